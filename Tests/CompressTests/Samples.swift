import Foundation
import Testing
import Topiary

/// The sample models and the digits data, as the compression tests use them.
enum Samples {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples").path

    /// The digits models the compression tests run over (all take one 64-pixel image).
    static let digitModels = ["mlp", "cnn", "dscnn", "residual", "conv1d"]

    /// The imported graph of `samples/models/NAME`.
    static func graph(_ name: String) throws -> Graph {
        let folder = root + "/models/" + name
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/info.json"))
        let info = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let file = try #require(info["file"] as? String)
        let config = (info["config"] as? String).map { folder + "/" + $0 }
        return try KerasImporter().importGraph(modelPath: folder + "/" + file, configPath: config)
    }

    /// The model's test inputs (`input.npy`) and labels.
    static func testData(_ name: String) throws -> (inputs: NDArray, labels: NDArray) {
        let folder = root + "/models/" + name
        return (try NpyFile.read(path: folder + "/input.npy"), try NpyFile.read(path: folder + "/labels.npy"))
    }

    /// The first `count` training digits, shaped for `graph`'s input.
    static func calibration(for graph: Graph, count: Int = 200) throws -> [[Tensor]] {
        let train = try NpyFile.read(path: root + "/data/digits_train_x.npy")
        return try Calibration.samples(from: [train], for: graph, reshape: true, limit: count)
    }

    /// Per-sample input tensors of the model's test inputs.
    static func testSamples(_ name: String, for graph: Graph, limit: Int? = nil) throws -> [[Tensor]] {
        try Calibration.samples(from: [testData(name).inputs], for: graph, reshape: true, limit: limit)
    }

    /// Top-1 accuracy (in [0, 1]) of `outputs` against `labels`.
    static func accuracy(_ outputs: NDArray, _ labels: NDArray) throws -> Double {
        guard case let .accuracy(correct, total) = try Evaluation.score(predictions: outputs, labels: labels) else { return 0 }
        return Double(correct) / Double(total)
    }
}
