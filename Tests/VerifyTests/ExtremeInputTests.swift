import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// Inputs of ±1e30, ±3.4e38, denormals, ±0 and NaN (samples/make_extremes.py wrote them and
/// Keras's outputs beside a few models): the reference keeps Keras's outputs where Keras's are
/// finite, and the generated C under AddressSanitizer and UndefinedBehaviorSanitizer gives
/// exactly the reference's outputs without a report.
@Suite("Extreme inputs")
struct ExtremeInputTests {
    static let samples: [SampleFolder] = SampleFolder.modelsAndZoo.filter {
        FileManager.default.fileExists(atPath: $0.path + "/extreme_input.npy")
    }

    @Test("there are extreme inputs to test")
    func thereAreSamples() {
        #expect(Self.samples.count >= 10)
    }

    @Test("the reference is finite and close wherever Keras is finite", arguments: samples)
    func referenceAgreesWithKeras(_ sample: SampleFolder) throws {
        let input = try NpyFile.read(path: sample.path + "/extreme_input.npy")
        let keras = try NpyFile.read(path: sample.path + "/extreme_output.npy")
        let ours = try FloatInference(graph: try sample.importGraph()).predict([input])[0]
        try #require(ours.values.count == keras.values.count)
        for (index, (got, want)) in zip(ours.values, keras.values).enumerated() where want.isFinite {
            // Values near float overflow lose digits to summation order; 1e-4 relative still
            // tells a right answer from a wrong one.
            #expect(got.isFinite && abs(got - want) <= 1e-4 * max(1, abs(want)), "element \(index): \(got), Keras \(want)")
        }
        for (got, want) in zip(ours.values, keras.values) where want.isInfinite {
            #expect(got == want)
        }
    }

    @Test("the C under sanitizers matches the reference exactly", arguments: samples)
    func sanitizedCMatchesTheReference(_ sample: SampleFolder) throws {
        let input = try NpyFile.read(path: sample.path + "/extreme_input.npy")
        let report = try ParityHarness(sanitize: true).verify(try sample.importGraph(), inputs: [input])
        #expect(report.passed, "\(sample.name): \(report)")
        #expect(report.maxAbsoluteError == 0, "\(sample.name): \(report)")
    }
}
