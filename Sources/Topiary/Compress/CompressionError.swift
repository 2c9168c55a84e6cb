/// A compression pass that cannot do what was asked, naming the layer and what to do instead.
///
/// Thrown for options that do not fit the model (an unknown layer name, a channel that cannot
/// be removed, an op with no int8 form) and for unusable calibration data; never for a bug.
public struct CompressionError: LayerScopedError, Equatable, Sendable, CustomStringConvertible {
    public enum Pass: String, Sendable {
        case batchNormFolding = "BatchNorm folding"
        case pruning
        case channelPruning = "channel pruning"
        case calibration
        case quantization
        case fineTuning = "fine-tuning"
    }

    public var pass: Pass
    /// The Keras layer concerned; empty when the problem is the options or the model as a whole.
    public var layer: String
    public var message: String

    public init(_ pass: Pass, layer: String = "", _ message: String) {
        self.pass = pass
        self.layer = layer
        self.message = message
    }

    public var description: String { "\(pass.rawValue): \(layerMessage)" }
}
