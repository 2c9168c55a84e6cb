import Foundation
import Testing
import TopiaryTestSupport

/// `topiary inspect` end to end: the table, the JSON, and the exit statuses the README documents.
@Suite struct InspectCommandTests {
    func sample(_ path: String) -> String { samplesRoot.appendingPathComponent(path).path }

    @Test func printsALayerTableWithKerasTotal() throws {
        let run = try topiary("inspect", sample("models/cnn/model.h5"))
        #expect(run.status == 0)
        #expect(run.stdout.contains("Total params: 9,450"))
        #expect(run.stdout.contains("BatchNormalization"))
        #expect(run.stderr.isEmpty)
    }

    @Test func printsJSONWithTotalAndLayers() throws {
        let run = try topiary("inspect", sample("models/residual/model.h5"), "--json")
        #expect(run.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["total_params"] as? Int == 3890)
        let layers = try #require(json["layers"] as? [[String: Any]])
        let add = try #require(layers.first { $0["class"] as? String == "Add" })
        #expect(add["output_shape"] as? [Int] == [8, 8, 8])
        #expect(add["params"] as? Int == 0)
        #expect(Set(layers.compactMap { $0["name"] as? String }).count == layers.count)
    }

    @Test func readsWeightsOnlyFilesWithTheirArchitecture() throws {
        let run = try topiary(
            "inspect", sample("models/mlp_weights/model.weights.h5"), "--config", sample("models/mlp_weights/model.json"), "--json")
        #expect(run.status == 0)
        #expect(run.stdout.contains("\"total_params\" : 6570"))
    }

    @Test(arguments: [
        "not_hdf5.h5", "empty.h5", "truncated.h5", "no_model_config.h5", "malformed_json.h5", "missing_weight.h5",
        "wrong_shape.h5", "unknown_layer.h5", "string_weight.h5", "huge_shape.h5", "nan_weight.h5",
    ])
    func aBrokenFileExitsOneWithOneMessageNamingTheFile(_ name: String) throws {
        let path = sample("bad/\(name)")
        try #require(FileManager.default.fileExists(atPath: path))
        let run = try topiary("inspect", path)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("error: \(path)"))
        #expect(!run.stderr.contains("HDF5-DIAG"), "libhdf5 must not print its own error stack")
    }

    @Test func aMissingArgumentIsAUsageError() throws {
        let run = try topiary("inspect")
        #expect(run.status == 2)
        #expect(run.stderr.contains("Missing expected argument"))
    }

    @Test func helpExitsZero() throws {
        let run = try topiary("inspect", "--help")
        #expect(run.status == 0)
        #expect(run.stdout.contains("--config"))
    }
}

/// Every command that reads a model refuses NaN weights by default and accepts them with
/// --allow-nonfinite.
@Suite struct NonfiniteWeightOptionTests {
    let model = samplesRoot.appendingPathComponent("bad/nan_weight.h5").path
    let input = samplesRoot.appendingPathComponent("models/mlp/input.npy").path

    @Test(arguments: ["inspect", "predict", "evaluate", "verify"])
    func nanWeightsAreRefusedWithTheLayerNamed(_ command: String) throws {
        var arguments = [command, model]
        if command != "inspect" { arguments += ["--input", input] }
        if command == "evaluate" { arguments += ["--labels", samplesRoot.appendingPathComponent("models/mlp/labels.npy").path] }
        let run = try topiary(arguments: arguments)
        #expect(run.status == 1)
        #expect(run.stderr.contains("layer 'fc1': weight 'kernel' holds 1 NaN or infinite value"))
        #expect(run.stderr.contains("--allow-nonfinite"))
    }

    @Test func predictRunsNanWeightsWhenAllowed() throws {
        let run = try topiary(arguments: ["predict", model, "--input", input, "--allow-nonfinite"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("nan"))
    }
}
