import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Fine-tuning a pruned model by distillation: it recovers accuracy, keeps the pruning masks,
/// and gives the same weights, bit for bit, on every run.
@Suite struct FineTuningTests {
    static func zeros(_ graph: Graph) -> [String: [Bool]] {
        var result: [String: [Bool]] = [:]
        for node in graph.nodes {
            for role in KernelRows.roles(of: node.op) { result[node.name + role.rawValue] = node.weights[role]!.values.map { $0 == 0 } }
        }
        return result
    }

    @Test("the CNN at 90% global OBS, int8: fine-tuning on training digits raises the integer model's top-1 on the test digits")
    func recoversAccuracy() throws {
        let graph = try Samples.graph("cnn")
        let calibration = try Samples.calibration(for: graph)
        let training = try Samples.calibration(for: graph, count: 600)
        var options = CompressionOptions(
            pruning: PruningOptions(target: .uniform(0.9), scope: .global), quantization: .int8,
            pruneMethod: .obs)
        let plain = try CompressionPipeline.run(graph, options: options, calibration: calibration)
        options.fineTuning = FineTuningOptions(epochs: 4)
        let tuned = try CompressionPipeline.run(graph, options: options, calibration: calibration, fineTuningSamples: training)
        let test = try Samples.testData("cnn")
        let before = try Samples.accuracy(CompressedPrediction.predict(plain.graph, [test.inputs], reshape: true)[0], test.labels)
        let after = try Samples.accuracy(CompressedPrediction.predict(tuned.graph, [test.inputs], reshape: true)[0], test.labels)
        #expect(after >= before + 0.01, "top-1 \(before) before fine-tuning, \(after) after")
        let summary = try #require(tuned.fineTuning)
        #expect(summary.lossAfter < summary.lossBefore / 2)
        #expect(summary.frozenLayers.isEmpty)
        #expect(summary.samples == 600)
    }

    @Test("pruned weights stay zero, the surviving weights and biases move")
    func masksHold() throws {
        let (teacher, student) = try teacherAndPrunedStudent("cnn")
        let samples = try Samples.calibration(for: teacher, count: 64)
        let tuned = try FineTuning.apply(student, teacher: teacher, samples: samples, options: FineTuningOptions(epochs: 1, batchSize: 16))
            .graph
        let masks = Self.zeros(student)
        #expect(Self.zeros(tuned) == masks)
        for (old, new) in zip(student.nodes, tuned.nodes) where old.weights[.bias] != nil {
            #expect(old.weights[.bias] != new.weights[.bias], "bias of \(old.name) did not train")
            #expect(old.weights[.kernel] != new.weights[.kernel], "kernel of \(old.name) did not train")
        }
    }

    @Test("the same samples and options give the same weights, bit for bit, through the int8 rounding too")
    func deterministic() throws {
        let (teacher, student) = try teacherAndPrunedStudent("cnn")
        let samples = try Samples.calibration(for: teacher, count: 50)
        let options = FineTuningOptions(epochs: 2, batchSize: 8, seed: 3)
        let first = try FineTuning.apply(
            student, teacher: teacher, samples: samples, options: options, int8: Int8Calibration(samples: samples))
        let second = try FineTuning.apply(
            student, teacher: teacher, samples: samples, options: options, int8: Int8Calibration(samples: samples))
        #expect(first.graph == second.graph)
        #expect(first.summary == second.summary)
        var other = options
        other.seed = 4
        #expect(
            try FineTuning.apply(student, teacher: teacher, samples: samples, options: other, int8: Int8Calibration(samples: samples)).graph
                != first.graph)
    }

    @Test("labels that do not fit the samples or the classes are refused with what to give")
    func badLabels() throws {
        let (teacher, student) = try teacherAndPrunedStudent("cnn")
        let samples = try Samples.calibration(for: teacher, count: 4)
        #expect(throws: CompressionError(.fineTuning, "there are 3 labels for 4 fine-tuning samples; give one label per sample")) {
            try FineTuning.apply(student, teacher: teacher, samples: samples, labels: [1, 2, 3])
        }
        #expect(throws: CompressionError(.fineTuning, "label 10 is not a class of the model's 10 outputs")) {
            try FineTuning.apply(student, teacher: teacher, samples: samples, labels: [1, 2, 3, 10])
        }
    }
}
