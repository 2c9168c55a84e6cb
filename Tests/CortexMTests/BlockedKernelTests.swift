import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// The blocked int8 kernels on awkward shapes, on the Cortex-M4 (DSP bodies) and the
/// Cortex-M0+ (portable bodies): each must equal the Swift integer reference bit for bit.
@Suite(.needsEmulator)
struct BlockedKernelTests {
    /// A 5x5x3 input (25 positions, an odd last one; 3 channels, gathered before widening) into
    /// a 3x3 convolution of 5 filters (an odd last channel; length 27, a remainder of 3), a 1x1
    /// convolution of 4 filters over 5 channels, a strided 3x3 convolution of 8 filters over 4
    /// channels (taps widened straight from the input), a residual Add of two branches and a
    /// Dense of 7 units. With `keep` above 1 every kernel keeps only one weight in `keep`.
    static func awkwardGraph(keep: Int = 1) throws -> Graph {
        var g = GraphBuilder()
        g.input([5, 5, 3], name: "image")
        let a = try g.seededConvolution(5, kernel: 3, seed: 1, keep: keep, name: "odd")
        let b = try g.seededConvolution(4, kernel: 1, seed: 3, keep: keep, from: [a], name: "pointwise")
        let c = try g.seededConvolution(4, kernel: 3, seed: 5, keep: keep, from: [b], name: "wide")
        let sum = try g.add(.merge(.add), from: [b, c], name: "sum")
        try g.seededConvolution(8, kernel: 3, stride: 2, seed: 7, keep: keep, from: [sum], name: "strided")
        try g.add(.flatten, name: "flat")
        var fc = randomTensor([72, 7], seed: 9)
        for i in fc.values.indices where i % keep != 0 { fc.values[i] = 0 }
        try g.dense(fc, bias: randomTensor([7], seed: 10), name: "fc")
        return g.graph()
    }

    /// A 16x16x4 input through two 3x3 convolutions of 8 filters, their residual Add (2,048
    /// values per input: enough for the sum to tabulate its inputs' terms), a 1x1 stride-2
    /// shortcut convolution of 41 filters (more than the 32 channels the blocked product sums at
    /// a time, an odd last one) and a Dense of 7 units.
    static func residualGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([16, 16, 4], name: "image")
        let a = try g.seededConvolution(8, kernel: 3, seed: 21, name: "first")
        let b = try g.seededConvolution(8, kernel: 3, seed: 23, from: [a], name: "second")
        let sum = try g.add(.merge(.add), from: [a, b], name: "sum")
        try g.seededConvolution(41, kernel: 1, stride: 2, seed: 25, from: [sum], name: "shortcut")
        try g.add(.flatten, name: "flat")
        try g.dense(randomTensor([2624, 7], seed: 27), bias: randomTensor([7], seed: 28), name: "fc")
        return g.graph()
    }

    /// The first layer of an image network: a 3x3 convolution at stride 2 of 6 filters over a
    /// 9x11x3 input (3 channels, so windows gathered into 27 values and a zero-filled last group;
    /// 30 positions, a short last block of four). Inner windows are copied by whole rows, those
    /// at the border or whose last row's word would run past the input are gathered tap by tap.
    static func imageStemGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([9, 11, 3], name: "image")
        try g.seededConvolution(6, kernel: 3, stride: 2, seed: 31, name: "stem")
        return g.graph()
    }

    /// A 3x3 convolution of 3 filters over a 9x10x1 input (windows of three rows of three bytes,
    /// gathered by `tp_conv_rows_s8`), then a strided 3x3 convolution of 5 filters over its 3
    /// channels (three rows of nine bytes, `tp_conv_rows_3x9_s8`): both window gatherers in one
    /// model.
    static func gatheredRowsGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([9, 10, 1], name: "signal")
        try g.seededConvolution(3, kernel: 3, seed: 51, name: "single_channel")
        try g.seededConvolution(5, kernel: 3, stride: 2, seed: 53, name: "stem")
        return g.graph()
    }

    /// Three 1x1 convolutions at stride 1 (the pointwise kernel) over 15 positions (an odd last
    /// one): 7 filters over 6 channels (an odd last filter, 2 inputs after the group of four),
    /// then 5 filters over 7, then 4 over 5. After quantization the second layer's clamp is
    /// narrowed (the output stage's activation clamp) and one channel of the third gets a shift
    /// of -1 (a scale ratio the short output stage does not take, so the layer keeps the
    /// general one); the Swift reference reads the same altered layers.
    static func pointwiseGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([5, 3, 6], name: "image")
        try g.seededConvolution(7, kernel: 1, seed: 21, name: "odd_filters")
        try g.seededConvolution(5, kernel: 1, seed: 23, name: "clamped")
        try g.seededConvolution(4, kernel: 1, seed: 25, name: "general_scale")
        return g.graph()
    }

    /// Three Dense layers over three vectors of 22 inputs (a rank-2 input; five groups of four
    /// and a remainder of two): 9 units (two blocks of four and one unit after them), then 6 and
    /// 5 units. As made, each takes the short output stage; the cases below narrow clamps or set
    /// shifts of -1 so that some or all take the general one.
    static func denseGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([3, 22], name: "vectors")
        try g.dense(randomTensor([22, 9], seed: 61), bias: randomTensor([9], seed: 62), activation: .plainRelu, name: "odd_units")
        try g.dense(randomTensor([9, 6], seed: 63), bias: randomTensor([6], seed: 64), name: "clamped")
        try g.dense(randomTensor([6, 5], seed: 65), bias: randomTensor([5], seed: 66), name: "general_scale")
        return g.graph()
    }

    /// `graph` with the weighted layer `name` changed by `change`.
    static func altering(_ graph: Graph, _ name: String, _ change: (inout QuantizedLayer) -> Void) throws -> Graph {
        var graph = graph
        let index = try #require(graph.index(named: name))
        guard case var .weighted(layer) = graph.nodes[index].quantization?.arithmetic else {
            Issue.record("\(name) is not a weighted int8 layer")
            return graph
        }
        change(&layer)
        graph.nodes[index].quantization?.arithmetic = .weighted(layer)
        return graph
    }

    /// A fused activation's clamp inside the int8 range, which keeps `layer` on the general
    /// output stage.
    @Sendable static func narrowingClamp(_ layer: inout QuantizedLayer) {
        layer.outputMin = layer.outputZeroPoint + 3
        layer.outputMax = layer.outputZeroPoint + 90
    }

    /// `denseGraph` with each of its three layers changed by `change` so that it takes the
    /// general output stage: the generated C builds that stage alone, which the case checks.
    static func denseGeneralStageCase(_ label: String, _ change: @escaping @Sendable (inout QuantizedLayer) -> Void)
        -> EmulatedInt8Case
    {
        EmulatedInt8Case(
            label, graph: { try denseGraph() }, inputs: { randomSamples([12, 3, 22], in: -2...2, seed: 67) }, limit: 4,
            alter: { graph in try ["odd_units", "clamped", "general_scale"].reduce(graph) { try altering($0, $1, change) } },
            expectSource: { source in
                #expect(source.contains("#define TP_DENSE_S8_GENERAL_STAGE\n") && !source.contains("TP_DENSE_S8_SHORT_STAGE"))
            })
    }

    /// `graph` with the two changes that keep a layer on the general output stage: the layer
    /// "clamped" gets an activation clamp inside the int8 range, and channel `channel` of the
    /// layer "general_scale" a shift of -1 (a scale ratio the short output stage does not take).
    /// It first expects every layer of `shortStage` to take the short stage (each channel's
    /// shift -2 or below, the whole int8 range), so that the network runs both stages.
    static func keepingGeneralStages(_ graph: Graph, besideShortStages shortStage: [String], shiftedChannel channel: Int) throws
        -> Graph
    {
        for name in shortStage {
            _ = try altering(graph, name) { layer in
                #expect(
                    layer.requantization.allSatisfy { $0.shift <= -2 } && layer.outputMin == -128 && layer.outputMax == 127,
                    "\(name) takes the short output stage")
            }
        }
        let clamped = try altering(graph, "clamped", narrowingClamp)
        return try altering(clamped, "general_scale") { layer in layer.requantization[channel].shift = -1 }
    }

    /// Three 3x3 depthwise convolutions of 10 channels (two groups of four and a remainder):
    /// the first through the short output stage; the second, at stride 2, with its clamp
    /// narrowed after quantization and the third with one channel's shift set to -1, both of
    /// which keep the general output stage.
    static func depthwiseGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([6, 5, 10], name: "image")
        func depthwise(stride: Int, seed: UInt64, name: String) throws {
            try g.add(
                .depthwiseConv(
                    DepthwiseConvolution(
                        depthMultiplier: 1, kernelSize: [3, 3], strides: [stride, stride], dilation: [1, 1], padding: .same,
                        useBias: true, activation: .plainRelu)),
                weights: [.depthwiseKernel: randomTensor([3, 3, 10, 1], seed: seed), .bias: randomTensor([10], seed: seed + 1)],
                name: name)
        }
        try depthwise(stride: 1, seed: 31, name: "short_stage")
        try depthwise(stride: 2, seed: 33, name: "clamped")
        try depthwise(stride: 1, seed: 35, name: "general_scale")
        return g.graph()
    }

    /// 3x3 depthwise convolutions of `channels` channels over an 8x10 image, through every way
    /// a window of `tp_depthwise_conv2d_3x3_s8` meets the padding: 'valid' at stride 1 (no
    /// padding), 'same' at stride 2 over an even size (padding after only), 'same' at stride 1
    /// (padding on all four sides, a 3x4 map with one row of two inside windows), then a depth
    /// multiplier of 2, which the general grouped kernel takes.
    static func depthwise3x3Graph(channels: Int) throws -> Graph {
        var g = GraphBuilder()
        g.input([8, 10, channels], name: "image")
        func depthwise(stride: Int, padding: Padding, multiplier: Int = 1, seed: UInt64, name: String) throws {
            try g.add(
                .depthwiseConv(
                    DepthwiseConvolution(
                        depthMultiplier: multiplier, kernelSize: [3, 3], strides: [stride, stride], dilation: [1, 1], padding: padding,
                        useBias: true, activation: .linear)),
                weights: [
                    .depthwiseKernel: randomTensor([3, 3, channels, multiplier], seed: seed),
                    .bias: randomTensor([channels * multiplier], seed: seed + 1),
                ],
                name: name)
        }
        try depthwise(stride: 1, padding: .valid, seed: 41, name: "valid_stride1")
        try depthwise(stride: 2, padding: .same, seed: 43, name: "same_stride2")
        try depthwise(stride: 1, padding: .same, seed: 45, name: "same_stride1")
        try depthwise(stride: 1, padding: .same, multiplier: 2, seed: 47, name: "multiplier2")
        return g.graph()
    }

    static let networks =
        [
            EmulatedInt8Case(
                "odd positions, odd channels, gathered and widened taps, a residual Add and a Dense",
                graph: { try awkwardGraph() }, inputs: { randomSamples([12, 5, 5, 3], in: -2...2, seed: 11) }, limit: 4),
            EmulatedInt8Case(
                "a residual Add large enough to tabulate its inputs and a 1x1 stride-2 convolution of 41 filters",
                graph: { try residualGraph() }, inputs: { randomSamples([6, 16, 16, 4], in: -2...2, seed: 29) }, limit: 3,
                expectSource: { source in
                    let sumCall = try #require(source.split(separator: "\n").first { $0.contains("tp_sum_s8(&") })
                    #expect(sumCall.contains("->i32 + "), "the sum tabulates into planned scratch: \(sumCall)")
                    #expect(!source.contains("#define TP_CONV_S8_ROWS"), "taps of four or eight channels: no window gatherer is built")
                }),
            EmulatedInt8Case(
                "CSR filters and rows (four positions per pass over gathered patches, the last pass ending on the last one)",
                graph: { try awkwardGraph(keep: 5) }, inputs: { randomSamples([12, 5, 5, 3], in: -2...2, seed: 11) }, format: .csr,
                limit: 4,
                expectSource: { #expect($0.contains("tp_pointwise_conv2d_csr_s8") && $0.contains("tp_dense_csr_table_s8")) }),
            EmulatedInt8Case(
                "a strided 3x3 convolution over 3 channels (windows copied by rows or gathered by taps, a short last block)",
                graph: { try imageStemGraph() }, inputs: { randomSamples([6, 9, 11, 3], in: -2...2, seed: 33) }, limit: 3,
                expectSource: { source in
                    #expect(source.contains("#define TP_CONV_S8_ROWS_3X9\n"), "the 3x9 gatherer is built")
                    #expect(!source.contains("#define TP_CONV_S8_ROWS\n"), "the general gatherer is not")
                }),
            EmulatedInt8Case(
                "windows gathered by rows of three bytes (a 3x3 filter over one channel) and of nine, both gatherers in one model",
                graph: { try gatheredRowsGraph() }, inputs: { randomSamples([6, 9, 10, 1], in: -2...2, seed: 55) }, limit: 3,
                expectSource: { source in
                    #expect(source.contains("#define TP_CONV_S8_ROWS\n") && source.contains("#define TP_CONV_S8_ROWS_3X9\n"))
                }),
            EmulatedInt8Case(
                "pointwise convolutions (odd positions and filters, an input remainder, a narrowed clamp, a shift above -2)",
                graph: { try pointwiseGraph() }, inputs: { randomSamples([12, 5, 3, 6], in: -2...2, seed: 27) }, limit: 4,
                alter: { try keepingGeneralStages($0, besideShortStages: ["odd_filters", "clamped"], shiftedChannel: 1) },
                expectSource: { #expect(callCount(of: "tp_pointwise_conv2d_s8", in: $0) == 3) }),
            EmulatedInt8Case(
                "Dense layers over several vectors (units after the last block of four, an input remainder, a narrowed clamp, a shift above -2)",
                graph: { try denseGraph() }, inputs: { randomSamples([12, 3, 22], in: -2...2, seed: 67) }, limit: 4,
                alter: { try keepingGeneralStages($0, besideShortStages: ["odd_units"], shiftedChannel: 2) },
                expectSource: { source in
                    #expect(callCount(of: "tp_dense_s8", in: source) == 3)
                    #expect(source.contains("#define TP_DENSE_S8_SHORT_STAGE\n") && source.contains("#define TP_DENSE_S8_GENERAL_STAGE\n"))
                }),
            EmulatedInt8Case(
                "Dense layers that all take the short output stage (the general stage not built)",
                graph: { try denseGraph() }, inputs: { randomSamples([12, 3, 22], in: -2...2, seed: 67) }, limit: 4,
                expectSource: { source in
                    #expect(source.contains("#define TP_DENSE_S8_SHORT_STAGE\n") && !source.contains("TP_DENSE_S8_GENERAL_STAGE"))
                }),
            denseGeneralStageCase(
                "Dense layers that all take the general output stage (narrowed clamps; the short stage not built)", narrowingClamp),
            denseGeneralStageCase(
                "Dense layers that all take the general output stage (a channel of each with a shift of -1; the short stage not built)"
            ) { layer in layer.requantization[1].shift = -1 },
            EmulatedInt8Case(
                "depthwise convolutions through the short and the general output stage",
                graph: { try depthwiseGraph() }, inputs: { randomSamples([12, 6, 5, 10], in: -2...2, seed: 37) }, limit: 4,
                alter: { try keepingGeneralStages($0, besideShortStages: ["short_stage"], shiftedChannel: 5) },
                expectSource: {
                    #expect(callCount(of: "tp_depthwise_conv2d_3x3_s8", in: $0) == 3)
                }),
        ]
        + [12, 7, 3].map { channels in
            EmulatedInt8Case(
                "3x3 depthwise convolutions inside the input and over each side of the padding, at strides 1 and 2, with \(channels) channels and a depth multiplier of 2",
                graph: { try depthwise3x3Graph(channels: channels) },
                inputs: { randomSamples([12, 8, 10, channels], in: -2...2, seed: 49) }, limit: 4,
                expectSource: { source in
                    #expect(callCount(of: "tp_depthwise_conv2d_3x3_s8", in: source) == 3)
                    #expect(source.contains("tp_grouped_conv2d_s8("), "the depth multiplier of 2 takes the grouped kernel")
                })
        }

    @Test("each network is bit-exact with and without the DSP extension", arguments: networks, CortexMTarget.withAndWithoutDSP)
    func isBitExact(_ network: EmulatedInt8Case, on target: CortexMTarget) throws {
        try network.expectBitExact(on: target)
    }
}
