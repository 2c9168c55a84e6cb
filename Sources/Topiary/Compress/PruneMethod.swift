/// How pruning picks the weights to remove and what it does to the others (`--prune-method`).
public enum PruneMethod: String, Equatable, Sendable, CaseIterable {
    /// The smallest `|w|` go; the rest stay as trained (`MagnitudePruning`). Needs no data.
    case magnitude
    /// Optimal brain surgeon on calibration data (`OBSPruning`): the weights whose removal
    /// changes the layer's outputs least go, and the remaining weights are updated to make up
    /// for them. Needs `--calibration`.
    case obs
}
