import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Intermediate-layer distillation: the residual block outputs it matches, its gradient, and
/// that training with it keeps those outputs closer to the unpruned model's.
@Suite struct BlockOutputMatchingTests {
    /// The mean over `samples` of each matched block's squared error relative to the
    /// teacher's mean square there, summed over the blocks.
    static func blockError(_ student: Graph, _ teacher: Graph, samples: [[Tensor]]) throws -> Double {
        let blocks = BlockOutputMatching.blockOutputs(student: student, teacher: teacher)
        let studentNet = try TrainingGraph(student), teacherNet = try TrainingGraph(teacher)
        let studentValues = studentNet.parameterValues(student), teacherValues = teacherNet.parameterValues(teacher)
        var targets: [[[Float]]] = []
        var outputs: [[[Float]]] = []
        for sample in samples {
            let inputs = sample.map(\.values)
            let expected = try teacherNet.forward(inputs, teacherValues)
            let actual = try studentNet.forward(inputs, studentValues)
            targets.append(blocks.map { expected.y[$0.teacher] })
            outputs.append(blocks.map { actual.y[$0.student] })
        }
        let matching = BlockOutputMatching(nodes: blocks.map(\.student), targets: targets, weight: 1)
        var total = 0.0
        for (i, output) in outputs.enumerated() {
            for k in blocks.indices { total += matching.evaluate(sample: i, node: k, y: output[k]).loss }
        }
        return total / Double(samples.count)
    }

    @Test("the residual sample's one block output is its Add layer, matched to the unpruned model's by name; the CNN has none")
    func blockOutputs() throws {
        let (teacher, student) = try teacherAndPrunedStudent("residual")
        let blocks = BlockOutputMatching.blockOutputs(student: student, teacher: teacher)
        #expect(blocks.map { student.nodes[$0.student].name } == ["add"])
        #expect(blocks.map { teacher.nodes[$0.teacher].name } == ["add"])
        let cnn = try Samples.graph("cnn")
        #expect(BlockOutputMatching.blockOutputs(student: cnn, teacher: cnn).isEmpty)
    }

    @Test("a block term's gradient matches its finite differences, relative to the teacher's mean square")
    func gradient() throws {
        let targets: [[[Float]]] = [[randomTensor([6], in: -2...2, seed: 80).values], [randomTensor([6], in: -2...2, seed: 81).values]]
        let matching = BlockOutputMatching(nodes: [0], targets: targets, weight: 0.7)
        let meanSquare = targets.flatMap { $0[0] }.reduce(0) { $0 + $1 * $1 } / 12
        #expect(abs(matching.meanSquares[0] - meanSquare) < 1e-5)
        let y = randomTensor([6], in: -2...2, seed: 82).values
        let analytic = matching.evaluate(sample: 1, node: 0, y: y).gradient
        for i in y.indices {
            let numeric = centralDifference(of: { matching.evaluate(sample: 1, node: 0, y: $0).loss }, at: y, element: i, step: 1e-2)
            #expect(abs(numeric - Double(analytic[i])) < 1e-3, "element \(i)")
        }
        #expect(matching.evaluate(sample: 0, node: 0, y: targets[0][0]).loss == 0)
    }

    @Test("fine-tuning the residual sample at 90% with block matching leaves its block output closer to the unpruned model's than without")
    func bringsBlocksBack() throws {
        let (teacher, student) = try teacherAndPrunedStudent("residual")
        let samples = try Samples.calibration(for: teacher, count: 128)
        let without = try FineTuning.apply(
            student, teacher: teacher, samples: samples, options: FineTuningOptions(epochs: 3, batchSize: 16)
        ).graph
        let with = try FineTuning.apply(
            student, teacher: teacher, samples: samples, options: FineTuningOptions(epochs: 3, batchSize: 16, blockOutputWeight: 1)
        ).graph
        let pruned = try Self.blockError(student, teacher, samples: samples)
        let plain = try Self.blockError(without, teacher, samples: samples)
        let matched = try Self.blockError(with, teacher, samples: samples)
        #expect(matched < plain, "block error: \(pruned) pruned, \(plain) fine-tuned on the outputs, \(matched) with block matching")
    }
}
