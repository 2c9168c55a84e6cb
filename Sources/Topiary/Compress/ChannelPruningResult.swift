/// What `ChannelPruning` did: the smaller graph, the channels each layer lost, and the
/// layers it left alone with the reason (for the command line to report).
public struct ChannelPruningResult: Equatable, Sendable {
    public var graph: Graph
    /// Removed output channels (sorted original indices) by Keras layer name.
    public var removed: [String: [Int]]
    /// Layers that could not shrink, with the reason, in model order.
    public var skipped: [(layer: String, reason: String)]

    public static func == (a: Self, b: Self) -> Bool {
        a.graph == b.graph && a.removed == b.removed
            && a.skipped.map(\.layer) == b.skipped.map(\.layer) && a.skipped.map(\.reason) == b.skipped.map(\.reason)
    }
}
