import HDF5

/// A layer the importer cannot translate, and why.
public struct UnsupportedLayer: Equatable, Sendable, CustomStringConvertible {
    public var name: String
    public var kerasClass: String
    public var reason: String

    public var description: String { "'\(name)' (\(kerasClass)): \(reason)" }
}

/// Why a Keras model could not be imported. Every case names the file and, where there is
/// one, the layer and the weight or dataset path, and says what to do.
public enum ImportError: Error, Equatable, CustomStringConvertible, Sendable {
    /// libhdf5 could not read the file or one of its objects.
    case hdf5(HDF5Error)
    /// The file exists but is not a model Topiary can read (wrong container, no configuration…).
    case notAModel(file: String, reason: String)
    /// The model configuration JSON is not valid or not shaped as Keras writes it.
    case malformedConfig(file: String, reason: String)
    /// One report of every layer that cannot be converted.
    case unsupportedLayers(file: String, layers: [UnsupportedLayer])
    /// A layer's configuration is inconsistent (bad option values, shapes that do not fit).
    case invalidLayer(file: String, layer: String, kerasClass: String, reason: String)
    /// The file has no weights (or too few) for a layer that needs them.
    case missingWeights(file: String, layer: String, reason: String)
    /// A weight's stored shape differs from what the layer's configuration implies.
    case weightShape(file: String, layer: String, weight: String, expected: [Int], found: [Int])
    /// A weight holds NaN or infinite values.
    case nonfiniteWeight(file: String, layer: String, weight: String, count: Int)

    public var description: String {
        switch self {
        case let .hdf5(error):
            return error.description
        case let .notAModel(file, reason):
            return "\(file): \(reason)"
        case let .malformedConfig(file, reason):
            return "\(file): the model configuration is malformed: \(reason)"
        case let .unsupportedLayers(file, layers):
            let lines = ShortList.cut(layers.map(\.description), limit: 20).map { "  - \($0)" }.joined(separator: "\n")
            let count = layers.count == 1 ? "1 layer" : "\(layers.count) layers"
            return "\(file): cannot convert \(count):\n\(lines)"
        case let .invalidLayer(file, layer, kerasClass, reason):
            return "\(file): layer '\(layer)' (\(kerasClass)): \(reason)"
        case let .missingWeights(file, layer, reason):
            return "\(file): layer '\(layer)': \(reason)"
        case let .weightShape(file, layer, weight, expected, found):
            return
                "\(file): layer '\(layer)': weight '\(weight)' has shape \(found) but the layer's configuration needs \(expected); the weights do not belong to this architecture"
        case let .nonfiniteWeight(file, layer, weight, count):
            return
                "\(file): layer '\(layer)': weight '\(weight)' holds \(count) NaN or infinite value\(count == 1 ? "" : "s"); fix the training run, or pass --allow-nonfinite to convert anyway"
        }
    }
}
