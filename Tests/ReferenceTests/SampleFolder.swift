import Foundation
import Testing
import Topiary

/// One folder of `samples/models/` or `samples/zoo/`: a model saved by Keras with inputs and
/// Keras's own outputs (see `samples/common.py`, `write_sample`).
struct SampleFolder: CustomTestStringConvertible, Sendable {
    /// `models/cnn`, `zoo/conv2d_same`, …
    let name: String
    let path: String

    var testDescription: String { name }

    /// The samples folder of the repository, found from this file's location.
    static let samplesRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples").path

    /// Every folder with an `info.json` under `samples/<group>/`, sorted by name.
    static func all(in group: String) -> [SampleFolder] {
        let root = samplesRoot + "/" + group
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted()
            .filter { FileManager.default.fileExists(atPath: root + "/" + $0 + "/info.json") }
            .map { SampleFolder(name: group + "/" + $0, path: root + "/" + $0) }
    }

    static var models: [SampleFolder] { all(in: "models") }
    static var modelsAndZoo: [SampleFolder] { all(in: "models") + all(in: "zoo") }

    /// The parsed `info.json`.
    func info() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path + "/info.json"))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// `input.npy`, or `input_0.npy`, `input_1.npy`… (likewise for `output`).
    func arrays(_ stem: String) throws -> [NDArray] {
        let single = path + "/\(stem).npy"
        if FileManager.default.fileExists(atPath: single) { return [try NpyFile.read(path: single)] }
        var result: [NDArray] = []
        while FileManager.default.fileExists(atPath: path + "/\(stem)_\(result.count).npy") {
            result.append(try NpyFile.read(path: path + "/\(stem)_\(result.count).npy"))
        }
        return result
    }

    /// The imported graph, from `info.json`'s `file` and `config`.
    func importGraph() throws -> Graph {
        let info = try info()
        let file = try #require(info["file"] as? String)
        let config = (info["config"] as? String).map { path + "/" + $0 }
        return try KerasImporter().importGraph(modelPath: path + "/" + file, configPath: config)
    }
}
