import Testing
@testable import Topiary
import TopiaryTestSupport

/// Compensated weight rounding moves what rounding one weight loses onto the weights not yet
/// rounded, so the int8 outputs lie closer to the float model's than with nearest rounding;
/// it changes only the int8 weights and the biases, keeps pruned weights at zero, and the
/// generated C stays bit-exact with the integer reference.
@Suite("CompensatedRounding")
struct CompensatedRoundingTests {
    @Test("two inputs that always carry the same value: the first weight's rounding error is moved onto the second")
    func errorMovesToACorrelatedInput() throws {
        // Inputs (t, t) and the bias's constant 1: the output reads w0 + w1 as one weight.
        var hessian = Hessian(size: 3)
        for t in 1...4 { hessian.add([Double(t), Double(t), 1]) }
        let upper = try CompensatedRounding.upperFactor(hessian, dampingFraction: 0.01, layer: "dense")
        var row = [0.4, 0.4, 0]
        let steps = CompensatedRounding.round(&row, rounded: 2, scale: 1, upper: upper)
        // Nearest rounding gives (0, 0) and loses 0.8 of every input; here 0.4 of the first
        // moves to the second, which rounds to 1 (0.2 lost).
        #expect(steps == [0, 1])
        #expect(row[0] == 0 && row[1] == 1)
    }

    @Test("inputs that never vary together leave nothing to compensate: the steps are the nearest ones")
    func independentInputsRoundToNearest() throws {
        var hessian = Hessian(size: 4)
        for i in 0..<3 {
            var x = [0.0, 0, 0, 0]
            x[i] = 1
            hessian.add(x)
        }
        hessian.add([0, 0, 0, 1])
        let upper = try CompensatedRounding.upperFactor(hessian, dampingFraction: 0, layer: "dense")
        var row = [0.26, -1.74, 3.49, 0.5]
        #expect(CompensatedRounding.round(&row, rounded: 3, scale: 0.5, upper: upper) == [1, -3, 7])
        #expect(row[3] == 0.5)
    }

    /// A Dense network over 96 inputs in 0...1 whose weights round coarsely (each channel has
    /// one weight ten times its others, `BiasCorrectionTests.outlierKernel`), so that the
    /// rounding errors of a channel's many inputs add up.
    static func network() throws -> Graph {
        var builder = GraphBuilder()
        builder.input([96])
        try builder.dense(
            BiasCorrectionTests.outlierKernel([96, 32], seed: 21), bias: randomTensor([32], seed: 22), activation: .plainRelu,
            name: "hidden")
        try builder.dense(BiasCorrectionTests.outlierKernel([32, 8], seed: 23), bias: randomTensor([8], seed: 24), name: "out")
        return builder.graph()
    }

    static func int8(_ graph: Graph, _ rounding: WeightRounding, samples: [[Tensor]], sparsity: Double = 0) throws -> Graph {
        var options = CompressionOptions(quantization: .int8, weightRounding: rounding, pruneMethod: .obs)
        if sparsity > 0 { options.pruning = PruningOptions(target: .uniform(sparsity)) }
        return try CompressionPipeline.run(graph, options: options, calibration: samples).graph
    }

    /// Mean squared difference between the int8 and the float model's outputs.
    static func outputError(_ integer: Graph, _ float: Graph, samples: [[Tensor]]) throws -> Double {
        let int8 = try Int8Inference(graph: integer), reference = try FloatInference(graph: float)
        var sum = 0.0, count = 0
        for sample in samples {
            let a = try int8.run(float: sample)[0].values, b = try reference.run(sample)[0].values
            for i in a.indices { sum += Double(a[i] - b[i]) * Double(a[i] - b[i]) }
            count += a.count
        }
        return sum / Double(count)
    }

    @Test(
        "the int8 outputs' squared error from the float model's is at least a quarter smaller than with nearest rounding, on held-out inputs"
    )
    func outputErrorShrinks() throws {
        let graph = try Self.network()
        let calibration = try Calibration.samples(from: [randomSamples([400, 96], in: 0...1, seed: 25)], for: graph)
        let heldOut = try Calibration.samples(from: [randomSamples([200, 96], in: 0...1, seed: 26)], for: graph)
        let nearest = try Self.outputError(Self.int8(graph, .nearest, samples: calibration), graph, samples: heldOut)
        let compensated = try Self.outputError(Self.int8(graph, .compensated, samples: calibration), graph, samples: heldOut)
        #expect(compensated < 0.75 * nearest, "mean squared output error \(nearest) with nearest rounding, \(compensated) compensated")
    }

    @Test(
        "on a pruned model only the int8 weights and biases change, and every pruned weight stays zero",
        arguments: ["cnn", "dscnn"])
    func onlyWeightsAndBiasesChange(_ name: String) throws {
        let graph = try Samples.graph(name)
        let calibration = try Samples.calibration(for: graph)
        let nearest = try Self.int8(graph, .nearest, samples: calibration, sparsity: 0.7)
        let compensated = try Self.int8(graph, .compensated, samples: calibration, sparsity: 0.7)
        var weighted = 0, moved = 0
        for (a, b) in zip(nearest.nodes, compensated.nodes) {
            #expect(a.weights == b.weights, "\(a.name): the float weights stay as pruning left them")
            #expect(a.quantization?.output == b.quantization?.output)
            let role: WeightRole = b.weights[.depthwiseKernel] != nil ? .depthwiseKernel : .kernel
            guard case let .weighted(x) = a.quantization?.arithmetic, case let .weighted(y) = b.quantization?.arithmetic,
                let rows = KernelRows(b, role), let kernel = b.weights[role]
            else {
                #expect(a.quantization == b.quantization)
                continue
            }
            weighted += 1
            #expect(x.weightScales == y.weightScales && x.requantization == y.requantization, "\(a.name): same scales")
            for c in 0..<rows.channels {
                for r in 0..<rows.rowLength where kernel.values[rows.index(channel: c, position: r)] == 0 {
                    #expect(y.weights[c * rows.rowLength + r] == 0, "\(a.name): pruned weight (\(c), \(r)) came back")
                }
            }
            if x.weights != y.weights { moved += 1 }
        }
        #expect(weighted > 0 && moved > 0, "\(name): \(moved) of \(weighted) weighted layers rounded differently")
    }

    @Test("compensated digits models convert to C with zero mismatches against the integer reference", arguments: ["cnn", "dscnn"])
    func cParity(_ name: String) throws {
        let graph = try Samples.graph(name)
        let compressed = try Self.int8(graph, .compensated, samples: try Samples.calibration(for: graph), sparsity: 0.8)
        let report = try ParityHarness(options: ConversionOptions()).verify(
            compressed, inputs: [try Samples.testData(name).inputs], reshape: true)
        #expect(report.passed, "\(name): \(report)")
        #expect(report.samples == 360)
    }
}
