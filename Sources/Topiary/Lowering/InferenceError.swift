/// A failure to lower a graph or to run inference on it, naming the layer involved and what
/// to do.
///
/// Errors on a graph (missing or misshapen weights, shapes and windows that do not fit an op,
/// int8 parameters that do not fit) come from lowering: `Graph.validate()` and the checks each
/// op makes as it reads its weights and windows, whether a reference engine or the code
/// generator reads the graph, so that a bad import is caught before any data is run. Errors
/// on data (wrong input shape, an embedding index out of range) come from `run`.
public typealias InferenceError = LayerScopedError<InferenceFailure>

/// What an `InferenceError` is about.
public enum InferenceFailure: LayerErrorKind {
    /// The graph cannot be run as it is: a weight is missing or has the wrong shape, or the
    /// recorded shapes do not fit the op.
    case invalidGraph
    /// An input tensor has the wrong count or shape for the model.
    case badInput
    /// A value cannot be used by the op, e.g. an embedding index outside the vocabulary.
    case badValue

    /// The message names the layer, if any, first.
    public var stage: String? { nil }
}
