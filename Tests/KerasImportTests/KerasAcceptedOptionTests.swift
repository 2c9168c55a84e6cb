import Foundation
import Testing
import ZIPFoundation
@testable import Topiary
import TopiaryTestSupport

/// Configurations spelled the way Keras accepts them (numbers for booleans as older tf.keras
/// saved them, one axis as a list of one, upper-case padding and data_format) import as the
/// usual spelling does; values Keras itself refuses stay errors naming the layer and option.
/// The fragments are edits of the real configuration of the conv + batch-norm sample.
@Suite struct KerasAcceptedOptionTests {
    static let model = samplesRoot.appendingPathComponent("zoo/keras_conv_bn/model.keras").path

    /// The sample's configuration with `edit` applied to the configuration of layer `layer`,
    /// imported with the sample's own weights.
    func importEdited(_ layer: String, _ edit: (inout [String: Any]) -> Void) throws -> Graph {
        let archive = try Archive(url: URL(fileURLWithPath: Self.model), accessMode: .read)
        var data = Data()
        _ = try archive.extract(try #require(archive["config.json"])) { data.append($0) }
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var config = try #require(root["config"] as? [String: Any])
        var layers = try #require(config["layers"] as? [[String: Any]])
        let index = try #require(layers.firstIndex { ($0["config"] as? [String: Any])?["name"] as? String == layer })
        var options = try #require(layers[index]["config"] as? [String: Any])
        edit(&options)
        layers[index]["config"] = options
        config["layers"] = layers
        root["config"] = config
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("topiary-options-\(UUID()).json")
        try JSONSerialization.data(withJSONObject: root).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try KerasImporter().importGraph(modelPath: Self.model, configPath: url.path)
    }

    func importError(_ layer: String, _ edit: @escaping (inout [String: Any]) -> Void) -> String? {
        do {
            _ = try importEdited(layer, edit)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func numbersForBooleansAndAListOfOneAxisImportAsTheUsualSpelling() throws {
        let usual = try importEdited("batch_normalization") { _ in }
        let spelled = try importEdited("batch_normalization") { options in
            options["scale"] = 1
            options["center"] = 1
            options["axis"] = [3]
        }
        #expect(spelled.nodes.map(\.op) == usual.nodes.map(\.op))
        #expect(spelled.nodes.map(\.weights) == usual.nodes.map(\.weights))
    }

    @Test func upperCasePaddingAndDataFormatAndANumericUseBiasImportAsTheUsualSpelling() throws {
        let usual = try importEdited("conv2d") { _ in }
        let spelled = try importEdited("conv2d") { options in
            options["padding"] = "SAME"
            options["data_format"] = "Channels_Last"
            options["use_bias"] = 1
            options["kernel_size"] = [3, 3.0]
        }
        #expect(spelled.nodes.map(\.op) == usual.nodes.map(\.op))
    }

    @Test func anAxisThatIsNotAWholeNumberNamesTheLayerAndTheOption() throws {
        let message = try #require(importError("batch_normalization") { $0["axis"] = 1.5 })
        #expect(message.contains("batch_normalization"))
        #expect(message.contains("option 'axis' should be an integer"))
    }

    @Test func anAxisTooLargeForAnIntegerIsAnErrorNotATrap() throws {
        let message = try #require(importError("batch_normalization") { $0["axis"] = 1e300 })
        #expect(message.contains("option 'axis' should be an integer"))
    }

    @Test func aPaddingKerasDoesNotKnowNamesTheLayerAndTheOption() throws {
        let message = try #require(importError("conv2d") { $0["padding"] = "full" })
        #expect(message.contains("conv2d"))
        #expect(message.contains("padding 'full' is not supported"))
    }

    /// Python would read the text "false" as true; refusing it is safer than following Keras.
    @Test func aBooleanWrittenAsTextIsRefusedNamingTheOption() throws {
        let message = try #require(importError("conv2d") { $0["use_bias"] = "false" })
        #expect(message.contains("conv2d"))
        #expect(message.contains("option 'use_bias' should be true or false"))
    }
}
