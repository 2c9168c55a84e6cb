import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// The float reference against the outputs Keras itself computed for every sample model and
/// every layer of the zoo.
@Suite("Parity with Keras")
struct KerasParityTests {
    @Test("the sample folders are there")
    func samplesExist() {
        #expect(SampleFolder.models.count >= 2, "no sample models under \(samplesRoot.path)/models")
    }

    /// max |Δ| ≤ 1e-5 · max(1, |y|) element-wise (1e-4 for recurrent models).
    @Test("outputs match Keras", arguments: SampleFolder.modelsAndZoo)
    func outputsMatch(_ folder: SampleFolder) throws {
        let info = try folder.info()
        let tolerance: Float = (info["recurrent"] as? Bool ?? false) ? 1e-4 : 1e-5
        let engine = try FloatInference(graph: folder.importGraph())
        let inputs = try folder.arrays("input")
        let expected = try folder.arrays("output")
        try #require(!inputs.isEmpty && !expected.isEmpty, "\(folder.name) has no input or output arrays")
        let outputs = try engine.predict(inputs)
        try #require(outputs.count == expected.count)
        for (index, (got, want)) in zip(outputs, expected).enumerated() {
            try #require(got.shape == want.shape, "output \(index): shape \(got.shape), Keras \(want.shape)")
            let worst = zip(got.values, want.values).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(worst <= tolerance, "output \(index): worst scaled |Δ| \(worst) exceeds \(tolerance)")
        }
    }

    /// Top-1 accuracy on the test digits equals the accuracy Keras reported, within one sample.
    @Test("accuracy matches Keras", arguments: SampleFolder.models)
    func accuracyMatches(_ folder: SampleFolder) throws {
        let info = try folder.info()
        guard let recorded = info["accuracy"] as? Double else { return }
        let labels = try NpyFile.read(path: folder.path + "/labels.npy")
        let engine = try FloatInference(graph: folder.importGraph())
        let outputs = try engine.predict(try folder.arrays("input"))
        let result = try Evaluation.score(predictions: outputs[0], labels: labels)
        guard case let .accuracy(correct, total) = result else {
            Issue.record("expected an accuracy, got \(result)")
            return
        }
        #expect(
            abs(Double(correct) - recorded * Double(total)) <= 1.0 + 1e-9,
            "accuracy \(correct)/\(total), Keras \(recorded)")
    }
}
