import Foundation
import Testing
import TopiaryTestSupport

/// A sample or layer-zoo model written by real Keras, with what Keras said about it (`info.json`).
struct SampleModel: CustomTestStringConvertible, Sendable {
    var folder: URL
    var info: [String: any Sendable]

    var testDescription: String { folder.deletingLastPathComponent().lastPathComponent + "/" + folder.lastPathComponent }
    var modelPath: String { folder.appendingPathComponent(info["file"] as! String).path }
    var configPath: String? { (info["config"] as? String).map { folder.appendingPathComponent($0).path } }
    var countParams: Int { info["count_params"] as! Int }
    var inputShapes: [[Int]] {
        (info["input_shapes"] as? [[Int]]) ?? [(info["input_shape"] as! [Int])]
    }
    var outputShapes: [[Int]] { info["output_shapes"] as! [[Int]] }
    /// Keras's `model.layers`: name, class, params and output shape of each.
    var layers: [(name: String, kerasClass: String, params: Int, outputShape: [Int]?)] {
        (info["layers"] as? [[String: Any]] ?? []).map {
            ($0["name"] as! String, $0["class"] as! String, $0["params"] as! Int, $0["output_shape"] as? [Int])
        }
    }

    /// Every sample folder under `samples/<group>/`, sorted by name, with its `info.json` read.
    static func all(in group: String) -> [SampleModel] {
        SampleFolder.all(in: group).compactMap { sample in
            guard let info = try? sample.info() else { return nil }
            return SampleModel(folder: URL(fileURLWithPath: sample.path), info: info.mapValues { $0 as! any Sendable })
        }
    }
}
