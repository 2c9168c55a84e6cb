import Testing
@testable import Topiary
import TopiaryTestSupport

/// Bias correction moves the mean of the int8 outputs back onto the float model's, changes
/// nothing but int32 biases, and leaves the generated C bit-exact with the integer reference.
@Suite("BiasCorrection")
struct BiasCorrectionTests {
    /// Networks whose int8 weights round coarsely: every output channel has one weight ten
    /// times its others, so the per-channel scale leaves the others few int8 steps and their
    /// rounding shifts each channel's mean. Inputs in 0...1, so the shift does not average out.
    static let networks: [String: @Sendable () throws -> Graph] = [
        "two Dense layers": {
            var builder = GraphBuilder()
            builder.input([32])
            try builder.dense(outlierKernel([32, 24], seed: 1), bias: randomTensor([24], seed: 2), activation: .plainRelu, name: "hidden")
            try builder.dense(outlierKernel([24, 6], seed: 3), bias: randomTensor([6], seed: 4), name: "out")
            return builder.graph()
        },
        "convolution, depthwise convolution and Dense": {
            var builder = GraphBuilder()
            builder.input([6, 6, 2])
            try builder.seededConvolution(8, kernel: 3, seed: 5, name: "conv")
            let depthwise = DepthwiseConvolution(
                depthMultiplier: 1, kernelSize: [3, 3], strides: [1, 1], dilation: [1, 1], padding: .same, useBias: true,
                activation: .plainRelu)
            try builder.add(
                .depthwiseConv(depthwise),
                weights: [.depthwiseKernel: outlierKernel([3, 3, 8, 1], seed: 7), .bias: randomTensor([8], seed: 8)],
                name: "depthwise")
            try builder.add(.flatten, name: "flatten")
            try builder.dense(outlierKernel([288, 5], seed: 9), bias: randomTensor([5], seed: 10), name: "out")
            return builder.graph()
        },
    ]

    static func outlierKernel(_ shape: [Int], seed: UInt64) -> Tensor {
        var kernel = randomTensor(shape, in: -0.3...0.3, seed: seed)
        // The first weight of each output channel (the last axes' flattened index).
        let channels = shape.count == 4 && shape[3] == 1 ? shape[2] : shape.last!
        for c in 0..<channels { kernel.values[c] = 3 }
        return kernel
    }

    static func inputs(for graph: Graph, count: Int = 300, seed: UInt64) -> NDArray {
        randomSamples([count] + graph.nodes[graph.inputs[0]].outputShape, in: 0...1, seed: seed)
    }

    /// The mean over output elements of |mean over samples of (int8 − float)|: the shift of
    /// the int8 outputs' mean from the float model's.
    static func meanOutputShift(_ integer: Graph, _ float: Graph, samples: [[Tensor]]) throws -> Double {
        let int8 = try Int8Inference(graph: integer), reference = try FloatInference(graph: float)
        var sums: [Double] = []
        for sample in samples {
            let a = try int8.run(float: sample)[0].values, b = try reference.run(sample)[0].values
            if sums.isEmpty { sums = Array(repeating: 0, count: a.count) }
            for i in a.indices { sums[i] += Double(a[i] - b[i]) }
        }
        return sums.map { abs($0) / Double(samples.count) }.reduce(0, +) / Double(sums.count)
    }

    static func int8(_ graph: Graph, samples: [[Tensor]], biasCorrection: Bool) throws -> CompressionPipeline.Result {
        try CompressionPipeline.run(
            graph, options: CompressionOptions(quantization: .int8, biasCorrection: biasCorrection), calibration: samples)
    }

    @Test(
        "the corrected int8 outputs' mean lies closer to the float model's, on the calibration data and on held-out inputs",
        arguments: networks.keys.sorted())
    func meanShiftShrinks(_ name: String) throws {
        let graph = try Self.networks[name]!()
        let calibration = try Calibration.samples(from: [Self.inputs(for: graph, seed: 11)], for: graph)
        let heldOut = try Calibration.samples(from: [Self.inputs(for: graph, seed: 12)], for: graph)
        let plain = try Self.int8(graph, samples: calibration, biasCorrection: false).graph
        let corrected = try Self.int8(graph, samples: calibration, biasCorrection: true).graph
        for (data, samples) in [("calibration", calibration), ("held-out", heldOut)] {
            let before = try Self.meanOutputShift(plain, graph, samples: samples)
            let after = try Self.meanOutputShift(corrected, graph, samples: samples)
            #expect(after < before / 2, "\(name), \(data) data: mean shift \(before) without correction, \(after) with")
        }
    }

    @Test("only the int32 biases change, and the summary names every weighted layer it moved")
    func onlyBiasesChange() throws {
        let graph = try Self.networks["convolution, depthwise convolution and Dense"]!()
        let calibration = try Calibration.samples(from: [Self.inputs(for: graph, seed: 11)], for: graph)
        let plain = try Self.int8(graph, samples: calibration, biasCorrection: false)
        let corrected = try Self.int8(graph, samples: calibration, biasCorrection: true)
        #expect(plain.biasCorrection == nil)
        #expect(corrected.biasCorrection == BiasCorrection.Summary(layers: ["conv", "depthwise", "out"], sampleCount: 300))
        #expect(plain.graph.nodes.count == corrected.graph.nodes.count)
        var changedBiases = 0
        for (a, b) in zip(plain.graph.nodes, corrected.graph.nodes) {
            #expect(a.weights == b.weights)
            #expect(a.quantization?.output == b.quantization?.output)
            guard case let .weighted(x) = a.quantization?.arithmetic, case let .weighted(y) = b.quantization?.arithmetic else {
                #expect(a.quantization == b.quantization)
                continue
            }
            var unbiased = y
            unbiased.bias = x.bias
            #expect(unbiased == x, "\(a.name): only the bias may change")
            if x.bias != y.bias { changedBiases += 1 }
        }
        #expect(changedBiases == 3)
    }

    @Test("corrected digits models convert to C with zero mismatches against the integer reference", arguments: ["cnn", "dscnn"])
    func cParity(_ name: String) throws {
        let graph = try Samples.graph(name)
        var options = CompressionOptions(quantization: .int8, biasCorrection: true, pruneMethod: .obs)
        options.pruning = PruningOptions(target: .uniform(0.8))
        let compressed = try CompressionPipeline.run(graph, options: options, calibration: try Samples.calibration(for: graph))
        #expect(compressed.biasCorrection?.layers.isEmpty == false)
        let inputs = try Samples.testData(name).inputs
        let report = try ParityHarness(options: ConversionOptions()).verify(compressed.graph, inputs: [inputs], reshape: true)
        #expect(report.passed, "\(name): \(report)")
        #expect(report.samples == 360)
    }

    @Test("the same model and calibration data give the same generated C, byte for byte")
    func deterministic() throws {
        let graph = try Samples.graph("cnn")
        let calibration = try Samples.calibration(for: graph)
        let sources = try (0..<2).map { _ in
            try CodeGenerator(options: ConversionOptions()).generate(
                try Self.int8(graph, samples: calibration, biasCorrection: true).graph
            ).files.map(\.contents)
        }
        #expect(sources[0] == sources[1])
    }

    @Test("bias correction without int8 quantization is refused, naming what it needs")
    func needsInt8() throws {
        let graph = try Self.networks["two Dense layers"]!()
        let calibration = try Calibration.samples(from: [Self.inputs(for: graph, seed: 11)], for: graph)
        var options = CompressionOptions(quantization: .int8Weights, biasCorrection: true)
        options.pruning = PruningOptions(target: .uniform(0.5))
        #expect(
            throws: CompressionError(
                .quantization, "bias correction adjusts the int32 biases of an int8 model; it applies only with int8 quantization")
        ) {
            try CompressionPipeline.run(graph, options: options, calibration: calibration)
        }
    }
}
