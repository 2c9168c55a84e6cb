/// A failure to lower a graph or to run inference on it, naming the layer involved and what
/// to do.
///
/// Errors on a graph (missing or misshapen weights, shapes and windows that do not fit an op,
/// int8 parameters that do not fit) come from lowering: `Graph.validate()` and the checks each
/// op makes as it reads its weights and windows, whether a reference engine or the code
/// generator reads the graph, so that a bad import is caught before any data is run. Errors
/// on data (wrong input shape, an embedding index out of range) come from `run`.
public struct InferenceError: LayerScopedError, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The graph cannot be run as it is: a weight is missing or has the wrong shape, or
        /// the recorded shapes do not fit the op.
        case invalidGraph
        /// An input tensor has the wrong count or shape for the model.
        case badInput
        /// A value cannot be used by the op, e.g. an embedding index outside the vocabulary.
        case badValue
    }

    public var kind: Kind
    /// The node (layer) the failure belongs to; empty when it concerns the model as a whole.
    public var layer: String
    public var message: String

    public init(_ kind: Kind, layer: String = "", _ message: String) {
        self.kind = kind
        self.layer = layer
        self.message = message
    }

    public var description: String { layerMessage }
}
