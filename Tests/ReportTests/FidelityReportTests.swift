import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// `FidelityReport`'s figures on outputs small enough to work out by hand.
@Suite("Fidelity report")
struct FidelityReportTests {
    /// A model of one Dense layer with three outputs and the given activation.
    static func model(activation: Activation, units: Int = 3) -> Graph {
        Graph(
            name: "m",
            nodes: [
                HandMadeGraphs.input("x", width: 2), HandMadeGraphs.dense("out", input: 0, width: 2, units: units, activation: activation),
            ],
            inputs: [0], outputs: [1])
    }

    static let float = NDArray(shape: [2, 3], values: [0.7, 0.2, 0.1, 0.1, 0.3, 0.6])
    static let compressed = NDArray(shape: [2, 3], values: [0.6, 0.3, 0.1, 0.5, 0.3, 0.2])

    /// Σ f² / Σ (f − c)² of one sample, in dB.
    static func snr(_ f: [Float], _ c: [Float]) -> Double {
        let signal = f.reduce(0.0) { $0 + Double($1) * Double($1) }
        let noise = zip(f, c).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
        return 10 * log10(signal / noise)
    }

    @Test("a softmax output: agreement, accuracy change, cosine, SNR and largest error as computed directly")
    func classifierFigures() throws {
        let labels = NDArray(shape: [2], values: [0, 2])
        let report = try FidelityReport(
            original: Self.model(activation: .softmax(axis: 0)), float: [Self.float], compressed: [Self.compressed], data: "x.npy",
            labels: labels)
        let output = try #require(report.outputs.first)
        #expect(report.samples == 2 && output.classifier)
        // Sample 0 keeps class 0; sample 1 moves from class 2 to class 0.
        #expect(output.agreement == 50)
        #expect(output.floatAccuracy == 100 && output.compressedAccuracy == 50 && output.accuracyChange == -50)
        let f = Self.float.values.map(Double.init), c = Self.compressed.values.map(Double.init)
        let dot = zip(f, c).reduce(0) { $0 + $1.0 * $1.1 }
        let cosine = dot / (f.reduce(0) { $0 + $1 * $1 } * c.reduce(0) { $0 + $1 * $1 }).squareRoot()
        #expect(abs(output.cosineSimilarity - cosine) < 1e-12)
        let perSample =
            (Self.snr(Array(Self.float.values[0..<3]), Array(Self.compressed.values[0..<3]))
                + Self.snr(Array(Self.float.values[3..<6]), Array(Self.compressed.values[3..<6]))) / 2
        #expect(abs(output.snrDecibels! - perSample) < 1e-9)
        #expect(abs(output.overallSnrDecibels! - Self.snr(Self.float.values, Self.compressed.values)) < 1e-9)
        #expect(abs(output.maxAbsoluteError - 0.4) < 1e-6)
        // 50% agreement is poor; the text names every figure.
        #expect(report.isPoor)
        #expect(report.description.contains("top-1 agreement 50.00%"))
        #expect(report.description.contains("accuracy 50.00% (float 100.00%, -50.00 points)"))
    }

    @Test("a regression output has no agreement, says so, and still shows SNR, cosine and largest error")
    func regressionFigures() throws {
        let report = try FidelityReport(
            original: Self.model(activation: .linear), float: [Self.float], compressed: [Self.compressed], data: "x.npy")
        let output = try #require(report.outputs.first)
        #expect(!output.classifier && output.agreement == nil)
        #expect(output.snrDecibels != nil && output.maxAbsoluteError > 0.39)
        #expect(report.description.contains("no top-1 agreement: the output is not a softmax over classes"))
    }

    @Test("identical outputs: SNR is infinite (no value), cosine 1, error 0, nothing poor")
    func identicalOutputs() throws {
        let report = try FidelityReport(
            original: Self.model(activation: .softmax(axis: 0)), float: [Self.float], compressed: [Self.float], data: "x.npy")
        let output = try #require(report.outputs.first)
        #expect(output.agreement == 100 && output.snrDecibels == nil && output.overallSnrDecibels == nil)
        #expect(abs(output.cosineSimilarity - 1) < 1e-12 && output.maxAbsoluteError == 0 && !report.isPoor)
    }

    @Test("the JSON round-trips with snake_case keys")
    func jsonRoundTrip() throws {
        let report = try FidelityReport(
            original: Self.model(activation: .softmax(axis: 0)), float: [Self.float], compressed: [Self.compressed], data: "x.npy",
            labels: NDArray(shape: [2], values: [0, 2]))
        let text = try JSONReport.encode(report)
        #expect(text.contains("\"snr_decibels\"") && text.contains("\"accuracy_change\"") && text.contains("\"max_absolute_error\""))
        #expect(try JSONReport.decode(FidelityReport.self, from: text) == report)
    }

    @Test("the int8 digits MLP at 80% magnitude pruning is measured on the integer reference")
    func int8MeasurementUsesTheIntegerReference() throws {
        let graph = try Samples.graph("mlp")
        let compressed = try Samples.int8Compressed("mlp", sparsity: 0.8)
        let (inputs, labels) = try Samples.testData("mlp")
        let report = try FidelityReport.measure(
            original: graph, compressed: compressed, arrays: [inputs], sources: ["input.npy"], reshape: true, labels: labels)
        let direct = try Int8Inference(graph: compressed).predict([inputs], reshape: true)[0]
        let float = try FloatInference(graph: graph).predict([inputs], reshape: true)[0]
        let a = Evaluation.argmaxes(float.values, classes: 10), b = Evaluation.argmaxes(direct.values, classes: 10)
        let agreement = 100 * Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
        #expect(report.outputs[0].agreement == agreement)
        #expect(agreement < 90, "magnitude pruning to 80% loses many decisions: \(agreement)%")
    }
}
