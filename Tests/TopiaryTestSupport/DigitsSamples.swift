import Foundation
import Topiary

/// The digits models and the digits data (`samples/data/`), as the compression tests use them.
public enum Samples {
    /// The digits models the compression tests run over (all take one 64-pixel image).
    public static let digitModels = ["mlp", "cnn", "dscnn", "residual", "conv1d"]

    /// The imported graph of `samples/models/NAME`.
    public static func graph(_ name: String) throws -> Graph {
        try SampleFolder.model(name).importGraph()
    }

    /// `samples/models/NAME` pruned to `sparsity` (or to `pattern`) and quantized to int8,
    /// calibrated on the training digits.
    public static func int8Compressed(_ name: String, sparsity: Double, pattern: SparsityPattern? = nil) throws -> Graph {
        let graph = try Samples.graph(name)
        var options = CompressionOptions(quantization: .int8)
        if let pattern {
            options.pruning = PruningOptions(pattern: pattern)
        } else if sparsity > 0 {
            options.pruning = PruningOptions(target: .uniform(sparsity))
        }
        return try CompressionPipeline.run(graph, options: options, calibration: try Samples.calibration(for: graph)).graph
    }

    /// The model's test inputs (`input.npy`) and labels.
    public static func testData(_ name: String) throws -> (inputs: NDArray, labels: NDArray) {
        let folder = samplesRoot.path + "/models/" + name
        return (try NpyFile.read(path: folder + "/input.npy"), try NpyFile.read(path: folder + "/labels.npy"))
    }

    /// The first `count` training digits, shaped for `graph`'s input.
    public static func calibration(for graph: Graph, count: Int = 200) throws -> [[Tensor]] {
        let train = try NpyFile.read(path: samplesRoot.path + "/data/digits_train_x.npy")
        return try Calibration.samples(from: [train], for: graph, reshape: true, limit: count)
    }

    /// Per-sample input tensors of the model's test inputs.
    public static func testSamples(_ name: String, for graph: Graph, limit: Int? = nil) throws -> [[Tensor]] {
        try Calibration.samples(from: [testData(name).inputs], for: graph, reshape: true, limit: limit)
    }

    /// Top-1 accuracy (in [0, 1]) of `outputs` against `labels`.
    public static func accuracy(_ outputs: NDArray, _ labels: NDArray) throws -> Double {
        guard case let .accuracy(correct, total) = try Evaluation.score(predictions: outputs, labels: labels) else { return 0 }
        return Double(correct) / Double(total)
    }
}
