import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Training through the int8 model: the rounded forward pass is the integer model's, the
/// steps are relative to each tensor's size, and fine-tuning never hands back a worse model.
@Suite struct Int8TrainingTests {
    /// The largest and the mean absolute difference between two equally long arrays.
    static func difference(_ a: [Float], _ b: [Float]) -> (largest: Float, mean: Double) {
        let d = zip(a, b).map { abs($0 - $1) }
        return (d.max() ?? 0, d.reduce(0.0) { $0 + Double($1) } / Double(max(d.count, 1)))
    }

    @Test(
        "the rounded training pass reproduces the integer residual net node by node (Add, Concatenate, pooling): most values exactly, none beyond two steps"
    )
    func roundedPassMatchesIntegerModel() throws {
        let graph = try BatchNormFolding.apply(Samples.graph("residual"))
        let calibration = try Samples.calibration(for: graph)
        let net = try TrainingGraph(graph)
        let rounding = try ActivationRounding(net, calibrating: graph, samples: calibration, method: .minmax)
        let integer = try Quantizer.quantize(graph, samples: calibration)
        let engine = try Int8Inference(graph: integer)
        let values = net.parameterValues(graph)
        let kernels = FakeQuantization(rows: net.parameters.map { KernelRows(graph.nodes[$0.node], $0.role) }).apply(values)
        // The integer model's nodes and the training graph's nodes of the same name (the
        // softmax, a node of its own in the integer model, is left out: its table is not exp).
        let pairs = integer.nodes.indices.compactMap { k in
            graph.nodes.firstIndex { $0.name == integer.nodes[k].name }.map { (k, $0) }
        }
        var exact = 0, total = 0
        var largest: Float = 0
        for sample in try Samples.testSamples("residual", for: graph, limit: 100) {
            let stored = try engine.runAllNodes(engine.quantize(sample))
            let pass = try net.forward(sample.map(\.values), kernels, rounding: rounding)
            for (k, t) in pairs {
                let quantization = try #require(integer.nodes[k].quantization?.output)
                // A split activation's layer: the integer node holds its input to the activation.
                let simulated = try #require(
                    integer.nodes.contains { $0.name == graph.nodes[t].name + "/activation" } ? pass.z[t] : pass.y[t])
                for (q, x) in zip(stored[k], simulated) {
                    let steps = abs(quantization.dequantize(q) - x) / quantization.scale
                    largest = max(largest, steps)
                    if steps < 0.01 { exact += 1 }
                    total += 1
                }
            }
        }
        #expect(largest <= 2.01, "a value \(largest) steps from the integer model's")
        #expect(Double(exact) >= 0.9 * Double(total), "\(exact) of \(total) values equal to the integer model's")
    }

    @Test(
        "the training pass, convolutions as patch-matrix products, gives the float reference's outputs",
        arguments: ["cnn", "residual", "conv1d", "dscnn"])
    func forwardMatchesReference(_ name: String) throws {
        let graph = try BatchNormFolding.apply(Samples.graph(name))
        let net = try TrainingGraph(graph)
        let reference = try FloatInference(graph: graph)
        let values = net.parameterValues(graph)
        for sample in try Samples.testSamples(name, for: graph, limit: 20) {
            let expected = try reference.runAllNodes(sample)[graph.outputs[0]].values
            let trained = try net.forward(sample.map(\.values), values).y[graph.outputs[0]]
            #expect(Self.difference(trained, expected).largest <= 1e-5, "\(name)")
        }
    }

    @Test("an Adam step moves each tensor by the same fraction of its size: 1,000 times smaller weights, 1,000 times smaller steps")
    func stepsAreRelative() {
        let parameters: [[Float]] = [[0.002, -0.001, 0.003], [2, -1, 3]]
        let sizes = parameters.map(AdamOptimizer.typicalSize)
        var adam = AdamOptimizer(parameters: parameters, masks: [nil, nil], scales: sizes, learningRate: 0.01, totalSteps: 10)
        var moved = parameters
        adam.update(&moved, gradients: [[1, 1, 1], [1, 1, 1]])
        let small = zip(moved[0], parameters[0]).map { $1 - $0 }, large = zip(moved[1], parameters[1]).map { $1 - $0 }
        for (s, l) in zip(small, large) {
            #expect(s > 0 && abs(l / s - 1000) < 1, "steps \(s) and \(l)")
        }
    }

    @Test("training that raises the loss hands back the pruned model as it was, and says so")
    func neverWorse() throws {
        let teacher = try BatchNormFolding.apply(Samples.graph("cnn"))
        let student = try OBSPruning.apply(
            teacher, PruningOptions(target: .uniform(0.8), scope: .global), samples: Samples.calibration(for: teacher))
        let samples = try Samples.calibration(for: teacher, count: 64)
        // Steps of nearly a whole weight: the model is wrecked.
        let result = try FineTuning.apply(
            student, teacher: teacher, samples: samples, options: FineTuningOptions(epochs: 2, batchSize: 16, learningRate: 0.99),
            int8: Int8Calibration(samples: samples))
        #expect(!result.summary.kept)
        #expect(result.graph == student)
        #expect(result.summary.lossAfter == result.summary.lossBefore)
        #expect(result.summary.description.contains("training did not lower it: the weights are left as they were"))
    }

    @Test("an unpruned model quantized to int8 is fine-tuned too, through the int8 rounding, and never comes back worse")
    func unprunedInt8() throws {
        let graph = try Samples.graph("cnn")
        let calibration = try Samples.calibration(for: graph)
        let options = CompressionOptions(quantization: .int8, fineTuning: FineTuningOptions(epochs: 2))
        let result = try CompressionPipeline.run(graph, options: options, calibration: calibration)
        let summary = try #require(result.fineTuning)
        #expect(summary.lossBefore > 0, "the int8 rounding costs something before training")
        #expect(summary.lossAfter <= summary.lossBefore)
    }
}
