import Foundation
import Testing
import Topiary

/// One folder of `samples/models/` or `samples/zoo/`: a model saved by Keras with inputs and
/// Keras's own outputs (see `samples/common.py`, `write_sample`).
public struct SampleFolder: CustomTestStringConvertible, Sendable {
    /// `models/cnn`, `zoo/conv2d_same`, …
    public let name: String
    public let path: String

    public var testDescription: String { name }

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// Every folder with an `info.json` under `samples/<group>/`, sorted by name.
    public static func all(in group: String) -> [SampleFolder] {
        let root = samplesRoot.path + "/" + group
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted()
            .filter { FileManager.default.fileExists(atPath: root + "/" + $0 + "/info.json") }
            .map { SampleFolder(name: group + "/" + $0, path: root + "/" + $0) }
    }

    public static var models: [SampleFolder] { all(in: "models") }
    public static var modelsAndZoo: [SampleFolder] { all(in: "models") + all(in: "zoo") }

    /// The zoo's entries that have an int8 form, sorted (Embedding reads integer ids and is refused).
    public static var int8ZooEntries: [String] {
        all(in: "zoo").map { String($0.name.dropFirst("zoo/".count)) }.filter { !$0.hasPrefix("embedding") }
    }

    /// `samples/zoo/ENTRY`: one layer of the zoo.
    public static func zoo(_ entry: String) -> SampleFolder {
        SampleFolder(name: "zoo/" + entry, path: samplesRoot.path + "/zoo/" + entry)
    }

    /// `samples/models/NAME`.
    public static func model(_ name: String) -> SampleFolder {
        SampleFolder(name: "models/" + name, path: samplesRoot.path + "/models/" + name)
    }

    /// The parsed `info.json`.
    public func info() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path + "/info.json"))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The model file `info.json` names.
    public var modelPath: String {
        get throws { path + "/" + (try #require(try info()["file"] as? String)) }
    }

    /// The architecture file `info.json` names, for a weights-only model.
    public var configPath: String? {
        get throws { (try info()["config"] as? String).map { path + "/" + $0 } }
    }

    /// `input.npy`, or `input_0.npy`, `input_1.npy`… (likewise for `output`).
    public func arrays(_ stem: String) throws -> [NDArray] {
        let single = path + "/\(stem).npy"
        if FileManager.default.fileExists(atPath: single) { return [try NpyFile.read(path: single)] }
        var result: [NDArray] = []
        while FileManager.default.fileExists(atPath: path + "/\(stem)_\(result.count).npy") {
            result.append(try NpyFile.read(path: path + "/\(stem)_\(result.count).npy"))
        }
        return result
    }

    /// The model's test inputs, one array per model input.
    public func inputs() throws -> [NDArray] { try arrays("input") }

    /// The imported graph, from `info.json`'s `file` and `config`.
    public func importGraph() throws -> Graph {
        try KerasImporter().importGraph(modelPath: try modelPath, configPath: try configPath)
    }

    /// The imported graph compressed to int8, calibrated on the sample's own test inputs.
    public func int8Graph() throws -> Graph {
        let graph = try importGraph()
        let samples = try Calibration.samples(from: try inputs(), for: graph)
        return try CompressionPipeline.run(graph, options: CompressionOptions(quantization: .int8), calibration: samples).graph
    }
}
