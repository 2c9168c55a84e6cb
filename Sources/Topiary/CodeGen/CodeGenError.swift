/// A model that cannot be turned into C, or generated files that cannot be written, with
/// what to do about it.
public enum CodeGenError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `--name` (or another user-given name) is not usable as a C identifier.
    case invalidName(String)
    /// A layer's weight holds NaN, which has no exact C spelling (`index` is the flat position).
    case nonFiniteWeight(layer: String, weight: String, index: Int)
    /// A layer parameter (an activation's slope, a rescaling factor…) is NaN.
    case nonFiniteParameter(layer: String, parameter: String)
    /// The layer is valid Keras but beyond what the C kernels handle.
    case unsupported(layer: String, reason: String)
    /// Writing the output folder failed; nothing was left behind.
    case cannotWrite(path: String, reason: String)
    /// A model or config file could not be opened to record its digest.
    case cannotRead(path: String)
    /// The model cannot be packaged for a build system under its C name.
    case unpackageable(name: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidName(name):
            return
                "'\(name)' is not a C identifier: use ASCII letters, digits and underscores, not starting with a digit, not a C keyword, and not starting with '__' or '_' and a capital"
        case let .nonFiniteWeight(layer, weight, index):
            return
                "layer '\(layer)': weight '\(weight)' holds NaN at index \(index); the model is broken: retrain it or fix the weights before converting"
        case let .nonFiniteParameter(layer, parameter):
            return "layer '\(layer)': parameter '\(parameter)' is NaN; fix the layer's configuration before converting"
        case let .unsupported(layer, reason):
            return "layer '\(layer)': \(reason)"
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason); nothing was written"
        case let .cannotRead(path):
            return "cannot read \(path): check that the file exists and is readable"
        case let .unpackageable(name, reason):
            return "cannot package the model '\(name)': \(reason)"
        }
    }
}
