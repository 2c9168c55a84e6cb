import Testing
@testable import Topiary
import TopiaryTestSupport

/// Anomaly-score matching: its term and gradient, the models it applies to, and that
/// fine-tuning with it keeps a pruned autoencoder's scores closer to the unpruned model's.
@Suite struct ReconstructionScoreMatchingTests {
    /// A 16 → 12 → 16 Dense autoencoder of seeded weights (the teacher) and the same with 70% of
    /// each kernel pruned by magnitude (the student), and 64 seeded inputs.
    static func autoencoder() throws -> (teacher: Graph, student: Graph, samples: [[Tensor]]) {
        let teacher = try HandMadeGraphs.smallThenLarge([16, 12, 16], smallScale: 1, seeds: (90, 91))
        let student = try MagnitudePruning.apply(teacher, PruningOptions(target: .uniform(0.7)))
        let samples = (0..<64).map { [randomTensor([16], in: -2...2, seed: 200 + UInt64($0))] }
        return (teacher, student, samples)
    }

    /// The largest relative change of the score from `teacher`'s to `student`'s over `samples`.
    static func largestScoreError(_ student: Graph, _ teacher: Graph, samples: [[Tensor]]) throws -> Float {
        let studentNet = try TrainingGraph(student), teacherNet = try TrainingGraph(teacher)
        let studentValues = studentNet.parameterValues(student), teacherValues = teacherNet.parameterValues(teacher)
        return try samples.map { sample -> Float in
            let x = sample[0].values
            let t = ReconstructionScoreMatching.score(try teacherNet.forward([x], teacherValues).y[teacher.outputs[0]], input: x)
            let s = ReconstructionScoreMatching.score(try studentNet.forward([x], studentValues).y[student.outputs[0]], input: x)
            return abs(s - t) / t
        }.max() ?? 0
    }

    @Test(
        "the score term is weight times the squared relative change of the score, zero at the teacher's output; its gradient matches its finite differences"
    )
    func termAndGradient() throws {
        let inputs = [randomTensor([6], in: -2...2, seed: 70).values, randomTensor([6], in: -2...2, seed: 71).values]
        let teacherOutputs = [randomTensor([6], in: -2...2, seed: 72).values, randomTensor([6], in: -2...2, seed: 73).values]
        let matching = ReconstructionScoreMatching(inputs: inputs, teacherOutputs: teacherOutputs, weight: 3)
        #expect(matching.evaluate(sample: 1, y: teacherOutputs[1]).loss == 0)
        let y = randomTensor([6], in: -2...2, seed: 74).values
        let s = ReconstructionScoreMatching.score(y, input: inputs[1]), t = matching.teacherScores[1]
        #expect(abs(matching.evaluate(sample: 1, y: y).loss - Double(3 * (s - t) * (s - t) / (t * t))) < 1e-4)
        let analytic = matching.evaluate(sample: 1, y: y).gradient
        for i in y.indices {
            let numeric = centralDifference(of: { matching.evaluate(sample: 1, y: $0).loss }, at: y, element: i, step: 1e-2)
            #expect(abs(numeric - Double(analytic[i])) < 1e-3, "element \(i)")
        }
    }

    @Test("it applies to a model whose one output has as many values as its one input, and fine-tuning a classifier with it says why not")
    func appliesToAutoencodersOnly() throws {
        let (teacher, _, samples) = try Self.autoencoder()
        #expect(ReconstructionScoreMatching.applies(to: teacher))
        let narrower = try HandMadeGraphs.smallThenLarge([16, 12, 4], smallScale: 1, seeds: (90, 91))
        #expect(!ReconstructionScoreMatching.applies(to: narrower))
        #expect(
            throws: CompressionError(
                .fineTuning,
                "anomaly-score matching needs an autoencoder: one input and one output with as many values, the output reconstructing the input"
            )
        ) {
            try FineTuning.apply(
                MagnitudePruning.apply(narrower, PruningOptions(target: .uniform(0.7))), teacher: narrower, samples: samples,
                options: FineTuningOptions(epochs: 1, scoreWeight: 1))
        }
    }

    @Test("fine-tuning a pruned autoencoder with score matching leaves its largest score error below what output distillation alone leaves")
    func keepsScores() throws {
        let (teacher, student, samples) = try Self.autoencoder()
        let plain = try FineTuning.apply(student, teacher: teacher, samples: samples, options: FineTuningOptions(epochs: 20, batchSize: 16))
        let matched = try FineTuning.apply(
            student, teacher: teacher, samples: samples, options: FineTuningOptions(epochs: 20, batchSize: 16, scoreWeight: 10))
        let pruned = try Self.largestScoreError(student, teacher, samples: samples)
        let distilled = try Self.largestScoreError(plain.graph, teacher, samples: samples)
        let scored = try Self.largestScoreError(matched.graph, teacher, samples: samples)
        #expect(scored < distilled, "largest score error: \(pruned) pruned, \(distilled) distilled, \(scored) with score matching")
    }
}
