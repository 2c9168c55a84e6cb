import Foundation
import Testing
import Topiary

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// One folder of `samples/models/` or `samples/zoo/` (see `samples/common.py`, `write_sample`).
struct Sample: CustomTestStringConvertible, Sendable {
    /// `models/cnn`, `zoo/conv2d_same`, …
    let name: String
    let path: String

    var testDescription: String { name }

    /// Every folder with an `info.json` under `samples/<group>/`, sorted by name.
    static func all(in group: String) -> [Sample] {
        let root = repositoryRoot.appendingPathComponent("samples/" + group).path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted()
            .filter { FileManager.default.fileExists(atPath: root + "/" + $0 + "/info.json") }
            .map { Sample(name: group + "/" + $0, path: root + "/" + $0) }
    }

    static var modelsAndZoo: [Sample] { all(in: "models") + all(in: "zoo") }

    /// `samples/models/NAME`.
    static func model(_ name: String) -> Sample {
        Sample(name: "models/" + name, path: repositoryRoot.appendingPathComponent("samples/models/" + name).path)
    }

    func info() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path + "/info.json"))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    var modelPath: String {
        get throws { path + "/" + (try #require(try info()["file"] as? String)) }
    }

    var configPath: String? {
        get throws { (try info()["config"] as? String).map { path + "/" + $0 } }
    }

    /// `input.npy`, or `input_0.npy`, `input_1.npy`, … for several inputs.
    func inputs() throws -> [NDArray] {
        let single = path + "/input.npy"
        if FileManager.default.fileExists(atPath: single) { return [try NpyFile.read(path: single)] }
        var result: [NDArray] = []
        while FileManager.default.fileExists(atPath: path + "/input_\(result.count).npy") {
            result.append(try NpyFile.read(path: path + "/input_\(result.count).npy"))
        }
        return result
    }

    func graph() throws -> Graph {
        try KerasImporter().importGraph(modelPath: try modelPath, configPath: try configPath)
    }
}

/// A scratch folder removed at the end of the scope that made it.
func withScratchFolder<T>(_ body: (String) throws -> T) throws -> T {
    let folder = try TemporaryDirectory(prefix: "topiary-test")
    defer { folder.remove() }
    return try body(folder.path)
}

/// Writes a generated model's files into `folder`.
func write(_ model: GeneratedModel, to folder: String) throws {
    for file in model.files {
        try Data(file.contents.utf8).write(to: URL(fileURLWithPath: folder + "/" + file.name))
    }
}

/// True when a program of this name is in `PATH`.
func installed(_ tool: String) -> Bool { ExecutableSearch.find(tool) != nil }

/// `text` with C comments removed (string and character literals kept), for checking what a
/// compiler actually sees.
func strippingComments(_ text: String) -> String {
    var result = ""
    var index = text.startIndex
    func peek(_ offset: Int) -> Character? {
        guard let i = text.index(index, offsetBy: offset, limitedBy: text.endIndex), i < text.endIndex else { return nil }
        return text[i]
    }
    while index < text.endIndex {
        let c = text[index]
        if c == "/" && peek(1) == "*" {
            guard let end = text.range(of: "*/", range: text.index(index, offsetBy: 2)..<text.endIndex) else { break }
            result += " "
            index = end.upperBound
        } else if c == "/" && peek(1) == "/" {
            while index < text.endIndex && text[index] != "\n" { index = text.index(after: index) }
        } else if c == "\"" || c == "'" {
            result.append(c)
            index = text.index(after: index)
            while index < text.endIndex && text[index] != c {
                if text[index] == "\\" { result.append(text[index]); index = text.index(after: index) }
                if index < text.endIndex { result.append(text[index]); index = text.index(after: index) }
            }
            if index < text.endIndex { result.append(text[index]); index = text.index(after: index) }
        } else {
            result.append(c)
            index = text.index(after: index)
        }
    }
    return result
}
