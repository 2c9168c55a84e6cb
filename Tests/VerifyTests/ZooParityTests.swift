import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Every layer of the zoo quantized to int8 (calibrated on its own inputs) and converted:
/// lookup-table activations, softmax on any axis, merges, concatenation, padding, cropping,
/// up-sampling, permutation, pooling of every kind, depthwise and separable convolutions,
/// and the layers kept in float (recurrent, PReLU). The C must agree exactly with the Swift
/// integer reference.
@Suite("int8 zoo parity")
struct ZooParityTests {
    static let root = samplesRoot.path + "/zoo"

    /// Zoo entries with an int8 form (Embedding reads integer ids and is refused).
    static let entries: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
        .filter { !$0.hasPrefix("embedding") && FileManager.default.fileExists(atPath: root + "/" + $0 + "/info.json") }
        .sorted()

    static func graph(_ entry: String) throws -> Graph {
        let folder = root + "/" + entry
        let info = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/info.json"))) as? [String: Any])
        let file = try #require(info["file"] as? String)
        return try KerasImporter().importGraph(modelPath: folder + "/" + file, configPath: (info["config"] as? String).map { folder + "/" + $0 })
    }

    static func inputs(_ entry: String) throws -> [NDArray] {
        let folder = root + "/" + entry
        if FileManager.default.fileExists(atPath: folder + "/input.npy") { return [try NpyFile.read(path: folder + "/input.npy")] }
        var arrays: [NDArray] = []
        while FileManager.default.fileExists(atPath: folder + "/input_\(arrays.count).npy") {
            arrays.append(try NpyFile.read(path: folder + "/input_\(arrays.count).npy"))
        }
        return arrays
    }

    @Test("zero mismatches", arguments: entries)
    func parity(_ entry: String) throws {
        let graph = try Self.graph(entry)
        let inputs = try Self.inputs(entry)
        let samples = try Calibration.samples(from: inputs, for: graph)
        let quantized = try CompressionPipeline.run(graph, options: CompressionOptions(quantization: .int8), calibration: samples).graph
        let report = try Int8ParityHarness().verify(quantized, inputs: inputs)
        #expect(report.passed, "\(entry): \(report)")
    }
}
