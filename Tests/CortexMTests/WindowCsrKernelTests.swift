import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// Convolutions wider than 1x1 of CSR rows with tabled row data (`tp_pointwise_conv2d_csr_s8`
/// over each position's patch), four positions per pass: 3x3 windows 'same' at stride 1 and
/// 'valid' at stride 2, a 3x3 window at dilation 2 over the padding, a 'valid' window of one
/// position (a pass per position), a 10x4 window at stride 2 over one channel, and 1D windows
/// of five and three taps; rows of 0 to 12 entries, and each output stage: after a ReLU, for
/// another zero point, and the general stage (one shift at -1). Compiled for the Cortex-M4
/// (DSP bodies), the Cortex-M3 (Thumb-2 without it) and the Cortex-M0+: each output must equal
/// the Swift integer reference bit for bit.
@Suite(.needsEmulator)
struct WindowCsrKernelTests {
    /// A one-group convolution of `entries.count` filters of `kernelSize` over `channels`
    /// inputs, filter `f` keeping `entries[f]` of its patch's weights
    /// (`CsrTableDenseKernelTests.kernel`, whose rows are the patch in filter order).
    static func convolution(
        _ g: inout GraphBuilder, kernelSize: [Int], channels: Int, entries: [Int], strides: [Int], dilation: [Int],
        padding: Padding, activation: Activation, seed: UInt64, name: String
    ) throws {
        let patch = kernelSize.reduce(channels, *)
        let rows = CsrTableDenseKernelTests.kernel(inputs: patch, entries: entries, seed: seed)
        let convolution = Convolution(
            filters: entries.count, kernelSize: kernelSize, strides: strides, dilation: dilation, padding: padding, useBias: true,
            activation: activation)
        try g.add(
            .conv(convolution),
            weights: [
                .kernel: Tensor(shape: kernelSize + [channels, entries.count], values: rows.values),
                .bias: randomTensor([entries.count], seed: seed + 1),
            ], name: name)
    }

    /// A 9x8x3 image: 13 ReLU filters 3x3 'same' (patches of 27, 72 positions), 7 filters 3x3
    /// 'valid' at stride 2 without activation (patches of 117, 4x3 positions), 5 filters 3x3 at
    /// dilation 2 'same' (every patch in the padding), whose one shift is set to -1 (`alter`),
    /// then 4 ReLU filters 3x3 'valid' at stride 2 over its 4x3 map: one position.
    static func imageGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([9, 8, 3], name: "image")
        try convolution(
            &g, kernelSize: [3, 3], channels: 3, entries: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 1, 0], strides: [1, 1],
            dilation: [1, 1], padding: .same, activation: .plainRelu, seed: 81, name: "relu_rows")
        try convolution(
            &g, kernelSize: [3, 3], channels: 13, entries: [1, 0, 3, 2, 6, 11, 5], strides: [2, 2], dilation: [1, 1],
            padding: .valid, activation: .linear, seed: 83, name: "signed_rows")
        try convolution(
            &g, kernelSize: [3, 3], channels: 7, entries: [2, 1, 3, 0, 9], strides: [1, 1], dilation: [2, 2], padding: .same,
            activation: .linear, seed: 85, name: "general_scale")
        try convolution(
            &g, kernelSize: [3, 3], channels: 5, entries: [3, 1, 4, 2], strides: [2, 2], dilation: [1, 1], padding: .valid,
            activation: .plainRelu, seed: 87, name: "one_position")
        return g.graph()
    }

    /// A 13x6 map of one channel into 8 ReLU filters 10x4 at stride 2 'same' (a keyword-spotting
    /// network's first layer: 7x3 positions, rows of 1 to 10 entries), then 6 filters 3x3
    /// 'same' without activation and 5 whose one shift is set to -1 (`alter`).
    static func spectrogramGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([13, 6, 1], name: "spectrogram")
        try convolution(
            &g, kernelSize: [10, 4], channels: 1, entries: [4, 1, 10, 7, 2, 3, 9, 5], strides: [2, 2], dilation: [1, 1],
            padding: .same, activation: .plainRelu, seed: 91, name: "relu_rows")
        try convolution(
            &g, kernelSize: [3, 3], channels: 8, entries: [5, 0, 2, 8, 1, 3], strides: [1, 1], dilation: [1, 1], padding: .same,
            activation: .linear, seed: 93, name: "signed_rows")
        try convolution(
            &g, kernelSize: [3, 3], channels: 6, entries: [2, 6, 1, 4, 3], strides: [1, 1], dilation: [1, 1], padding: .same,
            activation: .linear, seed: 95, name: "general_scale")
        return g.graph()
    }

    /// A sequence of 11 steps of 5 channels into 9 ReLU filters of five taps 'same' (a 1x5
    /// window), then 6 filters of three taps 'valid' at stride 2 and 5 of three taps 'causal',
    /// whose one shift is set to -1 (`alter`).
    static func sequenceGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([11, 5], name: "sequence")
        try convolution(
            &g, kernelSize: [5], channels: 5, entries: [0, 3, 9, 1, 2, 6, 4, 12, 7], strides: [1], dilation: [1], padding: .same,
            activation: .plainRelu, seed: 101, name: "relu_rows")
        try convolution(
            &g, kernelSize: [3], channels: 9, entries: [4, 1, 0, 8, 2, 5], strides: [2], dilation: [1], padding: .valid,
            activation: .linear, seed: 103, name: "signed_rows")
        try convolution(
            &g, kernelSize: [3], channels: 6, entries: [3, 1, 2, 5, 0], strides: [1], dilation: [1], padding: .causal,
            activation: .linear, seed: 105, name: "general_scale")
        return g.graph()
    }

    static let networks = [
        EmulatedInt8Case(
            "3x3 'same', 'valid' at stride 2, at dilation 2, and over one position", graph: { try imageGraph() },
            inputs: { randomSamples([5, 9, 8, 3], in: -2...2, seed: 89) }, format: .csr, limit: 5,
            alter: { try PointwiseCsrKernelTests.alter($0) },
            expectSource: { source in
                #expect(callCount(of: "tp_pointwise_conv2d_csr_s8", in: source) == 4)
                #expect(callCount(of: "tp_conv2d_csr_s8", in: source) == 0)
            }),
        EmulatedInt8Case(
            "10x4 at stride 2 over one channel, then 3x3 'same'", graph: { try spectrogramGraph() },
            inputs: { randomSamples([5, 13, 6, 1], in: -2...2, seed: 97) }, format: .csr, limit: 5,
            alter: { try PointwiseCsrKernelTests.alter($0) },
            expectSource: { source in
                try FoldedCsrTableTests.expectThreeTableLayers(source, calling: "tp_pointwise_conv2d_csr_s8")
                #expect(callCount(of: "tp_conv2d_csr_s8", in: source) == 0)
            }),
        EmulatedInt8Case(
            "1D windows of five taps 'same', three 'valid' at stride 2 and three 'causal'", graph: { try sequenceGraph() },
            inputs: { randomSamples([5, 11, 5], in: -2...2, seed: 107) }, format: .csr, limit: 5,
            alter: { try PointwiseCsrKernelTests.alter($0) },
            expectSource: { source in
                try FoldedCsrTableTests.expectThreeTableLayers(source, calling: "tp_pointwise_conv2d_csr_s8")
                #expect(callCount(of: "tp_conv2d_csr_s8", in: source) == 0)
            }),
    ]

    @Test(
        "CSR rows over four positions' gathered patches are bit-exact with the Swift reference, with and without the DSP extension",
        arguments: [CortexMTarget.cortexM4, .cortexM3, .cortexM0plus], networks)
    func patchRowsAreBitExact(on target: CortexMTarget, network: EmulatedInt8Case) throws {
        try network.expectBitExact(on: target)
    }
}
