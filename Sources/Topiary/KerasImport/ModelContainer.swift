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
    /// architecture JSON from `configPath` (which also overrides a full model's own).
    static func open(modelPath: String, configPath: String?) throws -> ModelContainer {
        let external = try configPath.map { path -> String in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ImportError.notAModel(file: path, reason: "cannot read the architecture JSON file")
            }
            return String(decoding: data, as: UTF8.self)
        }
        guard let handle = FileHandle(forReadingAtPath: modelPath) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: modelPath, isDirectory: &isDirectory)
            throw ImportError.notAModel(file: modelPath, reason: !exists ? "no such file"
                : isDirectory.boolValue ? "is a directory, not a model file" : "cannot be read (check its permissions)")
        }
        let signature = (try? handle.read(upToCount: 4)) ?? Data()
        try? handle.close()
        if signature.isEmpty {
            throw ImportError.notAModel(file: modelPath, reason: "the file is empty")
        }
        if signature.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return try openArchive(modelPath, externalConfig: external, configPath: configPath)
        }
        return try openHDF5(modelPath, externalConfig: external, configPath: configPath)
    }

    private static func openHDF5(_ path: String, externalConfig: String?, configPath: String?) throws -> ModelContainer {
        let file: HDF5.File
        do {
            file = try HDF5.File(path: path)
        } catch let error as HDF5Error where error.kind == .corrupt && error.libraryMessages.isEmpty {
            throw ImportError.notAModel(file: path, reason: "not an HDF5 file or a .keras archive; Topiary reads Keras models saved as .h5, .keras or .weights.h5")
        }
        let root = file.root
        let version = root.hasAttribute("keras_version") ? try? root.attribute("keras_version").readString() : nil

        if root.hasAttribute("model_config") {
            let ownConfig = try root.attribute("model_config").readString()
            guard try root.kind(of: "model_weights") == .group else {
                throw ImportError.notAModel(file: path, reason: "has a model_config but no /model_weights group; the weights are missing from the file")
            }
            return ModelContainer(configText: externalConfig ?? ownConfig, configOrigin: configPath ?? path,
                                  kerasVersion: version, weights: LayerNamesWeightSource(group: try root.group("model_weights")), file: file)
        }
        let weights: WeightSource
        if try root.kind(of: "model_weights") == .group {
            // A full-model file whose architecture attribute was lost.
            guard let externalConfig, let configPath else {
                throw ImportError.notAModel(file: path, reason: "has model weights but no model_config attribute (the architecture); pass the architecture JSON written by model.to_json() with --config")
            }
            return ModelContainer(configText: externalConfig, configOrigin: configPath, kerasVersion: version,
                                  weights: LayerNamesWeightSource(group: try root.group("model_weights")), file: file)
        } else if try root.kind(of: "layers") == .group {
            weights = try VariablesWeightSource(root: root)
        } else if root.hasAttribute("layer_names") || root.hasAttribute("layer_names0") {
            weights = LayerNamesWeightSource(group: root)
        } else {
            throw ImportError.notAModel(file: path, reason: "has no model_config attribute and no Keras weights layout; it is not a Keras model file")
        }
        guard let externalConfig, let configPath else {
            throw ImportError.notAModel(file: path, reason: "has no model_config attribute: it holds weights only (save_weights); pass the architecture JSON written by model.to_json() with --config")
        }
        return ModelContainer(configText: externalConfig, configOrigin: configPath, kerasVersion: version, weights: weights, file: file)
    }

    /// A Keras 3 `.keras` zip: `config.json`, `metadata.json` and `model.weights.h5`, read in memory.
    private static func openArchive(_ path: String, externalConfig: String?, configPath: String?) throws -> ModelContainer {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ImportError.notAModel(file: path, reason: "is a zip file but cannot be read as a .keras archive; it may be truncated")
        }
        func member(_ name: String, limit: Int) throws -> Data? {
            guard let entry = archive[name] else { return nil }
            guard entry.uncompressedSize <= UInt64(limit) else {
                throw ImportError.notAModel(file: path, reason: "archive member \(name) declares \(entry.uncompressedSize) bytes, more than the \(limit) allowed")
            }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            } catch {
                throw ImportError.notAModel(file: path, reason: "archive member \(name) cannot be extracted (\(error)); the archive may be damaged")
            }
            return data
        }
        guard let weightsData = try member("model.weights.h5", limit: Int(Int32.max)) else {
            throw ImportError.notAModel(file: path, reason: "the archive has no model.weights.h5; it is not a Keras 3 .keras file")
        }
        let configText: String
        if let externalConfig {
            configText = externalConfig
        } else if let data = try member("config.json", limit: 64 << 20) {
            configText = String(decoding: data, as: UTF8.self)
        } else {
            throw ImportError.notAModel(file: path, reason: "the archive has no config.json; it is not a Keras 3 .keras file")
        }
        var version: String?
        if let metadata = try member("metadata.json", limit: 1 << 20) {
            version = (try? JSONValue.parse(String(decoding: metadata, as: UTF8.self)))?["keras_version"]?.string
        }
        let file = try HDF5.File(image: [UInt8](weightsData), name: path + "/model.weights.h5")
        return ModelContainer(configText: configText, configOrigin: configPath ?? path + "/config.json", kerasVersion: version,
                              weights: try VariablesWeightSource(root: file.root), file: file)
    }
}
