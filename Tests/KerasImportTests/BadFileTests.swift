import Foundation
import HDF5
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Each kind of broken file ends in its own typed error whose message names the file, the
/// layer or dataset, and the problem.
@Suite struct BadFileTests {
    static func bad(_ name: String) -> String { samplesRoot.appendingPathComponent("bad/\(name)").path }
    static let mlp = samplesRoot.appendingPathComponent("models/mlp/model.h5").path

    func importError(_ path: String, config: String? = nil, allowNonfinite: Bool = false) -> ImportError? {
        #expect(throws: ImportError.self) {
            try KerasImporter(allowNonfinite: allowNonfinite).importGraph(modelPath: path, configPath: config)
        }
    }

    @Test func aTextFileIsNotAModel() {
        guard case let .notAModel(file, reason)? = importError(Self.bad("not_hdf5.h5")) else { Issue.record("wrong error"); return }
        #expect(file == Self.bad("not_hdf5.h5"))
        #expect(reason.contains("not an HDF5 file"))
    }

    @Test func anEmptyFileSaysSo() {
        guard case let .notAModel(_, reason)? = importError(Self.bad("empty.h5")) else { Issue.record("wrong error"); return }
        #expect(reason == "the file is empty")
    }

    @Test func aMissingFileSaysSo() {
        guard case let .notAModel(_, reason)? = importError("/nonexistent/dir/model.h5") else { Issue.record("wrong error"); return }
        #expect(reason == "no such file")
    }

    @Test func aTruncatedFileIsReportedAsDamaged() {
        let error = importError(Self.bad("truncated.h5"))
        guard case let .hdf5(inner)? = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(inner.kind == .corrupt)
        #expect(inner.description.contains("truncated"))
    }

    @Test(arguments: [1, 8, 100, 512, 2048, 8192, 40_000, 90_000])
    func truncationAtAnyOffsetEndsInATypedError(_ length: Int) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.mlp))
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("topiary-cut-\(length)-\(UUID()).h5")
        try bytes.prefix(length).write(to: cut)
        defer { try? FileManager.default.removeItem(at: cut) }
        #expect(throws: ImportError.self) { try KerasImporter().importGraph(modelPath: cut.path) }
    }

    @Test func aFileWithoutModelConfigAsksForTheArchitecture() {
        guard case let .notAModel(_, reason)? = importError(Self.bad("no_model_config.h5")) else { Issue.record("wrong error"); return }
        #expect(reason.contains("no model_config"))
        #expect(reason.contains("--config"))
    }

    @Test func aFileWithoutModelConfigImportsWithTheArchitectureGivenSeparately() throws {
        let config = samplesRoot.appendingPathComponent("models/mlp_weights/model.json").path
        let graph = try KerasImporter().importGraph(modelPath: Self.bad("no_model_config.h5"), configPath: config)
        #expect(graph.parameterCount == 6570)
    }

    @Test func malformedJSONIsReportedWithTheParserMessage() {
        guard case let .malformedConfig(file, reason)? = importError(Self.bad("malformed_json.h5")) else {
            Issue.record("wrong error"); return
        }
        #expect(file == Self.bad("malformed_json.h5"))
        #expect(reason == "Unexpected end of file during JSON parse.")
    }

    @Test func aMissingWeightNamesTheLayerAndTheDataset() {
        guard case let .missingWeights(_, layer, reason)? = importError(Self.bad("missing_weight.h5")) else {
            Issue.record("wrong error"); return
        }
        #expect(layer == "fc2")
        #expect(reason.contains("bias"))
        #expect(reason.contains("/model_weights/fc2/"))
    }

    @Test func aWeightOfTheWrongShapeNamesBothShapes() {
        let error = importError(Self.bad("wrong_shape.h5"))
        #expect(
            error == .weightShape(file: Self.bad("wrong_shape.h5"), layer: "fc2", weight: "kernel", expected: [64, 32], found: [63, 32]))
        #expect(error?.description.contains("has shape [63, 32] but the layer's configuration needs [64, 32]") == true)
    }

    @Test func anUnknownLayerClassIsListedInTheUnsupportedReport() {
        let error = importError(Self.bad("unknown_layer.h5"))
        guard case let .unsupportedLayers(_, layers)? = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(layers.map(\.name) == ["fc2"])
        #expect(layers.first?.kerasClass == "FancyDense")
        #expect(error?.description.contains("'fc2' (FancyDense): layer class 'FancyDense' is not supported") == true)
    }

    @Test func aStringDatasetWhereFloatsBelongIsAWrongTypeError() {
        guard case let .hdf5(inner)? = importError(Self.bad("string_weight.h5")) else { Issue.record("wrong error"); return }
        #expect(inner.kind == .wrongType)
        #expect(inner.object.contains("/model_weights/fc1/"))
    }

    @Test func aHugeDeclaredShapeIsAnErrorNotAnAllocation() {
        let error = importError(Self.bad("huge_shape.h5"))
        #expect(
            error
                == .weightShape(
                    file: Self.bad("huge_shape.h5"), layer: "fc1", weight: "kernel", expected: [64, 64], found: [1 << 20, 1 << 20]))
    }

    @Test func nonFiniteWeightsAreRefusedUnlessAllowed() throws {
        let error = importError(Self.bad("nan_weight.h5"))
        #expect(error == .nonfiniteWeight(file: Self.bad("nan_weight.h5"), layer: "fc1", weight: "kernel", count: 1))
        #expect(error?.description.contains("--allow-nonfinite") == true)
        let graph = try KerasImporter(allowNonfinite: true).importGraph(modelPath: Self.bad("nan_weight.h5"))
        #expect(graph.nodes.first { $0.name == "fc1" }?.weights[.kernel]?.values.contains { $0.isNaN } == true)
    }

    @Test func aWeightsOnlyFileWithoutConfigAsksForOne() {
        let path = samplesRoot.appendingPathComponent("models/mlp_weights/model.weights.h5").path
        guard case let .notAModel(_, reason)? = importError(path) else { Issue.record("wrong error"); return }
        #expect(reason.contains("--config"))
    }

    @Test func weightsThatDoNotMatchTheArchitectureAreRefused() {
        // The CNN's architecture with the MLP's weights.
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("topiary-cnn-\(UUID()).json")
        let cnn = try? HDF5.File(path: samplesRoot.appendingPathComponent("models/cnn/model.h5").path).root.attribute("model_config")
            .readString()
        try? Data((cnn ?? "").utf8).write(to: config)
        defer { try? FileManager.default.removeItem(at: config) }
        let error = importError(Self.mlp, config: config.path)
        guard case .missingWeights? = error else { Issue.record("wrong error \(String(describing: error))"); return }
    }
}

/// Models whose layers cannot be converted fail with one report naming every such layer.
@Suite struct UnsupportedLayerTests {
    static let folders: [URL] = {
        let directory = samplesRoot.appendingPathComponent("unsupported")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("expected.json").path) }
    }()

    @Test func thereAreUnsupportedSamples() {
        #expect(Self.folders.count >= 3)
    }

    @Test(arguments: folders)
    func everyUnsupportedLayerIsListedOnce(_ folder: URL) throws {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        let expected = try #require(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let model = try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("model") }!
        let error = #expect(throws: ImportError.self) {
            try KerasImporter().importGraph(modelPath: folder.appendingPathComponent(model).path)
        }
        guard case let .unsupportedLayers(_, layers)? = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(layers.map(\.name) == expected.map { $0["name"] as! String })
        #expect(layers.map(\.kerasClass) == expected.map { $0["class"] as! String })
        #expect(layers.allSatisfy { !$0.reason.isEmpty })
        // Where the sample records the reason, the refusal gives it word for word.
        for (layer, entry) in zip(layers, expected) {
            if let reason = entry["reason"] as? String { #expect(layer.reason == reason) }
        }
    }
}
