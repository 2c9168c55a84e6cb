import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Every layer of the zoo quantized to int8 (calibrated on its own inputs) and converted:
/// lookup-table activations, softmax on any axis, merges, concatenation, padding, cropping,
/// up-sampling, permutation, pooling of every kind, depthwise and separable convolutions,
/// integer recurrent layers, and the layers kept in float (PReLU, recurrent layers with a hard
/// sigmoid). The C must agree exactly with the Swift
/// integer reference.
@Suite("int8 zoo parity")
struct ZooParityTests {
    static let root = samplesRoot.path + "/zoo"

    /// Zoo entries with an int8 form (Embedding reads integer ids and is refused).
    static let entries: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
        .filter { !$0.hasPrefix("embedding") && FileManager.default.fileExists(atPath: root + "/" + $0 + "/info.json") }
        .sorted()

    @Test("zero mismatches", arguments: entries)
    func parity(_ entry: String) throws {
        let graph = try SampleFolder.zoo(entry).importGraph()
        let inputs = try SampleFolder.zoo(entry).inputs()
        let samples = try Calibration.samples(from: inputs, for: graph)
        let quantized = try CompressionPipeline.run(graph, options: CompressionOptions(quantization: .int8), calibration: samples).graph
        let report = try ParityHarness().verify(quantized, inputs: inputs)
        #expect(report.passed, "\(entry): \(report)")
    }
}
