/// What a budgeted search must meet (`--max-accuracy-drop`, `--flash-budget`).
public enum CompressionBudget: Equatable, Sendable {
    /// At most this many points of top-1 accuracy below the uncompressed float model on the
    /// validation set; the search then makes the model as small as it can.
    case accuracyDrop(Double)
    /// At most this many bytes of constant data in the generated int8 C (weights, indices,
    /// per-channel metadata, tables); the search then keeps as much accuracy as it can.
    case flashBytes(Int)
}

extension CompressionBudget: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .accuracyDrop(points): return "at most \(points) points of top-1 below the float model"
        case let .flashBytes(bytes): return "at most \(bytes) bytes of constant data in the int8 C"
        }
    }
}
