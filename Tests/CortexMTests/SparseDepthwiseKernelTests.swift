import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// Depthwise convolutions of CSR filters (`tp_depthwise_conv2d_csr_s8`), channel by channel
/// over the nonzero taps: channels of 0, 1, 2, 3, 4 and 9 taps (every loop of the kernel, and
/// a channel whose outputs are all its bias's), ten channels (not a multiple of four), 3x3
/// windows 'same' and 'valid' at strides 1 and 2, 5x5, 3x1, a dilation of 2, 1D layers, maps
/// of 1x1, 2x3, 7x6 and 25x5 (the blocks of windows whose taps lie inside the input and those
/// over the padding), ReLU outputs and the general output stage (one shift at -1). Compiled
/// for the Cortex-M4 (DSP extension), the Cortex-M3 and the Cortex-M0+: each output must
/// equal the Swift integer reference bit for bit.
@Suite(.needsEmulator)
struct SparseDepthwiseKernelTests {
    /// Nonzero taps of each channel, cycled over the channels (at most the window's taps).
    static let tapsPerChannel = [0, 1, 2, 9, 3, 1, 4, 0, 2, 1]

    /// A depthwise kernel `[kernel..., channels, 1]` of seeded values in which channel `c`
    /// keeps `tapsPerChannel[c]` taps (at most all of them), at taps `(4c + 7k) % taps`, signs
    /// alternating so that sums cancel as well as add.
    static func kernel(_ size: [Int], channels: Int, seed: UInt64) -> Tensor {
        let taps = size.reduce(1, *)
        var kernel = randomTensor(size + [channels, 1], in: 0.2...1, seed: seed)
        for i in kernel.values.indices where i % 3 == 1 { kernel.values[i] = -kernel.values[i] }
        for c in 0..<channels {
            let count = min(tapsPerChannel[c % tapsPerChannel.count], taps)
            let kept = Set((0..<count).map { (4 * c + 7 * $0) % taps })
            for tap in 0..<taps where !kept.contains(tap) { kernel.values[tap * channels + c] = 0 }
        }
        return kernel
    }

    /// Adds a depthwise layer of `kernelSize` over the last node's channels.
    static func depthwise(
        _ g: inout GraphBuilder, kernelSize: [Int], strides: [Int], dilation: [Int]? = nil, padding: Padding,
        activation: Activation = .linear, seed: UInt64, name: String
    ) throws {
        let channels = g.nodes[g.nodes.count - 1].outputShape.last ?? 0
        let convolution = DepthwiseConvolution(
            depthMultiplier: 1, kernelSize: kernelSize, strides: strides, dilation: dilation ?? kernelSize.map { _ in 1 },
            padding: padding, useBias: true, activation: activation)
        try g.add(
            .depthwiseConv(convolution),
            weights: [
                .depthwiseKernel: kernel(kernelSize, channels: channels, seed: seed), .bias: randomTensor([channels], seed: seed + 1),
            ], name: name)
    }

    /// The networks the cases run, by input shape: every layer a sparse depthwise convolution.
    static func graph(_ input: [Int]) throws -> Graph {
        var g = GraphBuilder()
        g.input(input, name: "map")
        switch input.count {
        case 2:
            try depthwise(&g, kernelSize: [5], strides: [1], padding: .same, activation: .plainRelu, seed: 81, name: "same_5")
            try depthwise(&g, kernelSize: [3], strides: [2], padding: .valid, seed: 83, name: "valid_3_stride_2")
        case _ where input[0] == 7:
            try depthwise(&g, kernelSize: [3, 3], strides: [1, 1], padding: .same, activation: .plainRelu, seed: 85, name: "same_3x3")
            try depthwise(&g, kernelSize: [5, 5], strides: [1, 1], padding: .same, seed: 87, name: "same_5x5")
            try depthwise(&g, kernelSize: [3, 1], strides: [1, 1], padding: .valid, seed: 89, name: "valid_3x1")
            try depthwise(&g, kernelSize: [3, 3], strides: [1, 1], dilation: [2, 2], padding: .same, seed: 91, name: "dilated")
            try depthwise(&g, kernelSize: [3, 3], strides: [2, 2], padding: .same, seed: 93, name: "general_scale")
        case _ where input[0] == 25:
            try depthwise(&g, kernelSize: [3, 3], strides: [1, 1], padding: .same, activation: .plainRelu, seed: 95, name: "same_3x3")
            try depthwise(&g, kernelSize: [3, 3], strides: [1, 1], padding: .valid, seed: 97, name: "valid_3x3")
        default:
            try depthwise(&g, kernelSize: [3, 3], strides: [2, 2], padding: .same, seed: 99, name: "same_3x3_stride_2")
            try depthwise(&g, kernelSize: [3, 3], strides: [1, 1], padding: .same, seed: 101, name: "same_3x3")
        }
        return g.graph()
    }

    /// The 7x6 network's last layer with one channel at shift -1, which keeps the layer off
    /// the short output stage.
    static func alter(_ quantized: Graph) throws -> Graph {
        guard quantized.index(named: "general_scale") != nil else { return quantized }
        return try BlockedKernelTests.altering(quantized, "general_scale") { layer in layer.requantization[1].shift = -1 }
    }

    static let cases: [(description: String, input: [Int])] = [
        ("7x6 map: 3x3 'same', 5x5, 3x1 'valid', dilation 2, stride 2 through the general output stage", [7, 6, 10]),
        ("25x5 map: 3x3 'same' and 'valid'", [25, 5, 10]),
        ("2x3 map: 3x3 'same' at stride 2, then over 1x2", [2, 3, 10]),
        ("1x1 map: 3x3 'same', every tap but the center in the padding", [1, 1, 10]),
        ("1D: 5 'same', 3 'valid' at stride 2", [12, 10]),
    ]

    @Test(
        "sparse depthwise layers are bit-exact with the Swift reference, with and without the DSP extension",
        arguments: [CortexMTarget.cortexM4, .cortexM3, .cortexM0plus], 0..<cases.count)
    func channelByChannelIsBitExact(on target: CortexMTarget, case index: Int) throws {
        let (description, input) = Self.cases[index]
        let samples = randomSamples([4] + input, in: -2...2, seed: 103 + UInt64(index))
        let layers = try Self.graph(input).nodes.count - 1
        try EmulatedInt8Case(
            description, graph: { try Self.graph(input) }, inputs: { samples }, format: .csr, limit: 4, alter: Self.alter,
            expectSource: { source in
                #expect(callCount(of: "tp_depthwise_conv2d_csr_s8", in: source) == layers)
                #expect(callCount(of: "tp_conv2d_csr_s8", in: source) == 0)
            }
        ).expectBitExact(on: target)
    }
}
