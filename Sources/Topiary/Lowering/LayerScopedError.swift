/// An error about one layer of the model, named by its Keras name, or about the model as a
/// whole when `layer` is empty: lowering, inference and compression errors (`InferenceError`,
/// `CompressionError`) all say where the problem is the same way, and differ only in what
/// kind of failure they report.
public struct LayerScopedError<Kind: LayerErrorKind>: Error, Equatable, Sendable, CustomStringConvertible {
    public var kind: Kind
    /// The Keras layer concerned; empty when the problem is the options or the model as a whole.
    public var layer: String
    public var message: String

    public init(_ kind: Kind, layer: String = "", _ message: String) {
        self.kind = kind
        self.layer = layer
        self.message = message
    }

    /// `[stage: ]layer 'NAME': message`, without the layer when none is concerned.
    public var description: String {
        let scoped = layer.isEmpty ? message : "layer '\(layer)': \(message)"
        return kind.stage.map { "\($0): \(scoped)" } ?? scoped
    }
}

/// What a `LayerScopedError` reports, and the stage its message starts with, if any.
public protocol LayerErrorKind: Equatable, Sendable {
    /// Said first, e.g. `quantization`; nil when the message needs no introduction.
    var stage: String? { get }
}
