/// A compression pass that cannot do what was asked, naming the layer and what to do instead.
///
/// Thrown for options that do not fit the model (an unknown layer name, a channel that cannot
/// be removed, an op with no int8 form) and for unusable calibration data; never for a bug.
public typealias CompressionError = LayerScopedError<CompressionPass>

/// The pass a `CompressionError` comes from; its message starts with the pass's name.
public enum CompressionPass: String, LayerErrorKind {
    case batchNormFolding = "BatchNorm folding"
    case pruning
    case channelPruning = "channel pruning"
    case calibration
    case quantization
    case fineTuning = "fine-tuning"

    public var stage: String? { rawValue }
}
