import Foundation
import HDF5
import ZIPFoundation

/// The parts of a saved Keras model, whatever file layout held them: the architecture JSON,
/// the Keras version that wrote it, and where the weights are.
struct ModelContainer {
    var configText: String
    /// Where the configuration came from, for messages.
    var configOrigin: String
    var kerasVersion: String?
    var weights: WeightSource
    /// Keeps the HDF5 file open while weights are read.
    var file: HDF5.File

    /// Opens a full-model `.h5`, a `.keras` archive, or a weights-only file with the
    /// architecture JSON from `configPath` (which also overrides a full model's own), reading
    /// no more than `limits` allow.
    static func open(modelPath: String, configPath: String?, limits: ReadLimits) throws -> ModelContainer {
        let external = try configPath.map { path -> String in
            if let refusal = SpecialFile.refusal(for: path) {
                throw ImportError.notAModel(file: path, reason: refusal + "; give the architecture JSON file")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            if let size, size > limits.configurationBytes {
                throw ImportError.notAModel(
                    file: path,
                    reason:
                        "the architecture JSON is \(ReadLimits.describe(size)), more than the \(ReadLimits.describe(limits.configurationBytes)) allowed; raise the model size limit if the model is really that large"
                )
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ImportError.notAModel(file: path, reason: "cannot read the architecture JSON file")
            }
            return String(decoding: data, as: UTF8.self)
        }
        if let refusal = SpecialFile.refusal(for: modelPath) {
            throw ImportError.notAModel(file: modelPath, reason: refusal + "; give a Keras model file (.h5 or .keras)")
        }
        guard let handle = FileHandle(forReadingAtPath: modelPath) else {
            let exists = FileManager.default.fileExists(atPath: modelPath)
            throw ImportError.notAModel(file: modelPath, reason: !exists ? "no such file" : "cannot be read (check its permissions)")
        }
        let signature = (try? handle.read(upToCount: 4)) ?? Data()
        try? handle.close()
        if signature.isEmpty {
            throw ImportError.notAModel(file: modelPath, reason: "the file is empty")
        }
        if signature.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return try openArchive(modelPath, externalConfig: external, configPath: configPath, limits: limits)
        }
        return try openHDF5(modelPath, externalConfig: external, configPath: configPath, limits: limits)
    }

    private static func openHDF5(_ path: String, externalConfig: String?, configPath: String?, limits: ReadLimits) throws -> ModelContainer
    {
        let file: HDF5.File
        do {
            file = try HDF5.File(path: path)
        } catch let error as HDF5Error where error.kind == .corrupt && error.libraryMessages.isEmpty {
            throw ImportError.notAModel(
                file: path, reason: "not an HDF5 file or a .keras archive; Topiary reads Keras models saved as .h5, .keras or .weights.h5")
        }
        let root = file.root
        let version = root.hasAttribute("keras_version") ? try? root.attribute("keras_version").readString() : nil

        if root.hasAttribute("model_config") {
            let ownConfig: String
            do {
                ownConfig = try root.attribute("model_config").readString(limit: limits.configurationBytes)
            } catch let error as HDF5Error where error.kind == .tooLarge {
                throw ImportError.notAModel(
                    file: path,
                    reason:
                        "the model_config attribute (the architecture) is larger than the \(ReadLimits.describe(limits.configurationBytes)) allowed; raise the model size limit if the model is really that large"
                )
            }
            guard try root.kind(of: "model_weights") == .group else {
                throw ImportError.notAModel(
                    file: path, reason: "has a model_config but no /model_weights group; the weights are missing from the file")
            }
            return ModelContainer(
                configText: externalConfig ?? ownConfig, configOrigin: configPath ?? path,
                kerasVersion: version, weights: LayerNamesWeightSource(group: try root.group("model_weights")), file: file)
        }
        let weights: WeightSource
        if try root.kind(of: "model_weights") == .group {
            // A full-model file whose architecture attribute was lost.
            guard let externalConfig, let configPath else {
                throw ImportError.notAModel(
                    file: path,
                    reason:
                        "has model weights but no model_config attribute (the architecture); pass the architecture JSON written by model.to_json() with --config"
                )
            }
            return ModelContainer(
                configText: externalConfig, configOrigin: configPath, kerasVersion: version,
                weights: LayerNamesWeightSource(group: try root.group("model_weights")), file: file)
        } else if try root.kind(of: "layers") == .group {
            weights = try VariablesWeightSource(root: root)
        } else if root.hasAttribute("layer_names") || root.hasAttribute("layer_names0") {
            weights = LayerNamesWeightSource(group: root)
        } else {
            throw ImportError.notAModel(
                file: path, reason: "has no model_config attribute and no Keras weights layout; it is not a Keras model file")
        }
        guard let externalConfig, let configPath else {
            throw ImportError.notAModel(
                file: path,
                reason:
                    "has no model_config attribute: it holds weights only (save_weights); pass the architecture JSON written by model.to_json() with --config"
            )
        }
        return ModelContainer(configText: externalConfig, configOrigin: configPath, kerasVersion: version, weights: weights, file: file)
    }

    /// A Keras 3 `.keras` zip: `config.json`, `metadata.json` and `model.weights.h5`, read in
    /// memory through `KerasArchive`, which bounds every entry by what it inflates to.
    private static func openArchive(_ path: String, externalConfig: String?, configPath: String?, limits: ReadLimits) throws
        -> ModelContainer
    {
        let archive = try KerasArchive(path: path, limits: limits)
        guard let weightsData = try archive.member("model.weights.h5", limit: limits.modelBytes) else {
            throw ImportError.notAModel(file: path, reason: "the archive has no model.weights.h5; it is not a Keras 3 .keras file")
        }
        let configText: String
        if let externalConfig {
            configText = externalConfig
        } else if let data = try archive.member("config.json", limit: limits.configurationBytes) {
            configText = String(decoding: data, as: UTF8.self)
        } else {
            throw ImportError.notAModel(file: path, reason: "the archive has no config.json; it is not a Keras 3 .keras file")
        }
        var version: String?
        if let metadata = try archive.member("metadata.json", limit: limits.metadataBytes) {
            version = (try? JSONValue.parse(String(decoding: metadata, as: UTF8.self)))?["keras_version"]?.string
        }
        let file = try HDF5.File(image: [UInt8](weightsData), name: path + "/model.weights.h5")
        return ModelContainer(
            configText: configText, configOrigin: configPath ?? path + "/config.json", kerasVersion: version,
            weights: try VariablesWeightSource(root: file.root), file: file)
    }
}
