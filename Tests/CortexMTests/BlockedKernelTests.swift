import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// The blocked int8 kernels on awkward shapes, on the Cortex-M4 (DSP bodies) and the
/// Cortex-M0+ (portable bodies): each must equal the Swift integer reference bit for bit.
@Suite(.enabled(if: emulatorAvailable, "needs arm-none-eabi-gcc and qemu-system-arm"))
struct BlockedKernelTests {
    /// A 5x5x3 input (25 positions, an odd last one; 3 channels, gathered before widening) into
    /// a 3x3 convolution of 5 filters (an odd last channel; length 27, a remainder of 3), a 1x1
    /// convolution of 4 filters over 5 channels, a strided 3x3 convolution of 8 filters over 4
    /// channels (taps widened straight from the input), a residual Add of two branches and a
    /// Dense of 7 units. With `keep` above 1 every kernel keeps only one weight in `keep`.
    static func awkwardGraph(keep: Int = 1) throws -> Graph {
        func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
            var t = TopiaryTestSupport.randomTensor(shape, seed: seed)
            if shape.count > 1 { for i in t.values.indices where i % keep != 0 { t.values[i] = 0 } }
            return t
        }
        var g = GraphBuilder()
        g.input([5, 5, 3], name: "image")
        func conv(_ filters: Int, _ kernel: Int, stride: Int) -> Op {
            .conv(
                Convolution(
                    filters: filters, kernelSize: [kernel, kernel], strides: [stride, stride], dilation: [1, 1], padding: .same,
                    useBias: true, activation: .plainRelu))
        }
        let a = try g.add(
            conv(5, 3, stride: 1), weights: [.kernel: randomTensor([3, 3, 3, 5], seed: 1), .bias: randomTensor([5], seed: 2)],
            name: "odd")
        let b = try g.add(
            conv(4, 1, stride: 1), from: [a], weights: [.kernel: randomTensor([1, 1, 5, 4], seed: 3), .bias: randomTensor([4], seed: 4)],
            name: "pointwise")
        let c = try g.add(
            conv(4, 3, stride: 1), from: [b], weights: [.kernel: randomTensor([3, 3, 4, 4], seed: 5), .bias: randomTensor([4], seed: 6)],
            name: "wide")
        let sum = try g.add(.merge(.add), from: [b, c], name: "sum")
        try g.add(
            conv(8, 3, stride: 2), from: [sum],
            weights: [.kernel: randomTensor([3, 3, 4, 8], seed: 7), .bias: randomTensor([8], seed: 8)], name: "strided")
        try g.add(.flatten, name: "flat")
        try g.dense(randomTensor([72, 7], seed: 9), bias: randomTensor([7], seed: 10), name: "fc")
        return g.graph()
    }

    @Test(
        "odd positions, odd channels, gathered and widened taps, a residual Add and a Dense are bit-exact with and without the DSP extension",
        arguments: [CortexMTarget.cortexM4, .cortexM0plus])
    func awkwardShapesAreBitExact(_ target: CortexMTarget) throws {
        let graph = try Self.awkwardGraph()
        let t = randomTensor([12, 5, 5, 3], in: -2...2, seed: 11)
        let inputs = NDArray(shape: t.shape, values: t.values)
        let quantized = try Quantizer.quantize(graph, samples: try Calibration.samples(from: [inputs], for: graph))
        let model = try CodeGenerator(options: ConversionOptions(format: .dense)).generate(quantized)
        let report = try EmulatedProfiler(target: target).profile(model, graph: quantized, inputs: [inputs], limit: 4)
        #expect(report.passed, "\(report)")
        #expect(report.comparison == "bit-exact")
    }

    /// A 16x16x4 input through two 3x3 convolutions of 8 filters, their residual Add (2,048
    /// values per input: enough for the sum to tabulate its inputs' terms), a 1x1 stride-2
    /// shortcut convolution of 41 filters (more than the 32 channels the blocked product sums at
    /// a time, an odd last one) and a Dense of 7 units.
    static func residualGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([16, 16, 4], name: "image")
        func conv(_ filters: Int, _ kernel: Int, stride: Int) -> Op {
            .conv(
                Convolution(
                    filters: filters, kernelSize: [kernel, kernel], strides: [stride, stride], dilation: [1, 1], padding: .same,
                    useBias: true, activation: .plainRelu))
        }
        let a = try g.add(
            conv(8, 3, stride: 1), weights: [.kernel: randomTensor([3, 3, 4, 8], seed: 21), .bias: randomTensor([8], seed: 22)],
            name: "first")
        let b = try g.add(
            conv(8, 3, stride: 1), from: [a],
            weights: [.kernel: randomTensor([3, 3, 8, 8], seed: 23), .bias: randomTensor([8], seed: 24)],
            name: "second")
        let sum = try g.add(.merge(.add), from: [a, b], name: "sum")
        try g.add(
            conv(41, 1, stride: 2), from: [sum],
            weights: [.kernel: randomTensor([1, 1, 8, 41], seed: 25), .bias: randomTensor([41], seed: 26)], name: "shortcut")
        try g.add(.flatten, name: "flat")
        try g.dense(randomTensor([2624, 7], seed: 27), bias: randomTensor([7], seed: 28), name: "fc")
        return g.graph()
    }

    @Test(
        "a residual Add large enough to tabulate its inputs and a 1x1 stride-2 convolution of 41 filters are bit-exact with and without the DSP extension",
        arguments: [CortexMTarget.cortexM4, .cortexM0plus])
    func residualBlockIsBitExact(_ target: CortexMTarget) throws {
        let graph = try Self.residualGraph()
        let t = randomTensor([6, 16, 16, 4], in: -2...2, seed: 29)
        let inputs = NDArray(shape: t.shape, values: t.values)
        let quantized = try Quantizer.quantize(graph, samples: try Calibration.samples(from: [inputs], for: graph))
        let model = try CodeGenerator(options: ConversionOptions(format: .dense)).generate(quantized)
        #expect(model.source.contains("tp_sum_s8"))
        let report = try EmulatedProfiler(target: target).profile(model, graph: quantized, inputs: [inputs], limit: 3)
        #expect(report.passed, "\(report)")
        #expect(report.comparison == "bit-exact")
    }

    @Test(
        "CSR filters and rows (positions in pairs, an odd last one, gathered windows) are bit-exact with and without the DSP extension",
        arguments: [CortexMTarget.cortexM4, .cortexM0plus])
    func csrIsBitExact(_ target: CortexMTarget) throws {
        let graph = try Self.awkwardGraph(keep: 5)
        let t = randomTensor([12, 5, 5, 3], in: -2...2, seed: 11)
        let inputs = NDArray(shape: t.shape, values: t.values)
        let quantized = try Quantizer.quantize(graph, samples: try Calibration.samples(from: [inputs], for: graph))
        let model = try CodeGenerator(options: ConversionOptions(format: .csr)).generate(quantized)
        #expect(model.source.contains("tp_conv2d_csr_s8") && model.source.contains("tp_dense_csr_s8"))
        let report = try EmulatedProfiler(target: target).profile(model, graph: quantized, inputs: [inputs], limit: 4)
        #expect(report.passed, "\(report)")
        #expect(report.comparison == "bit-exact")
    }
}
