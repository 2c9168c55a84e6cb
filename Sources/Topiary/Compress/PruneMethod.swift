/// How pruning chooses the weights to remove (`--prune-method`).
public enum PruneMethod: String, Equatable, Sendable, CaseIterable {
    /// The smallest magnitudes (`MagnitudePruning`); the rest stay as trained. Needs no data.
    case magnitude
    /// Optimal brain surgeon on the calibration data (`OBSPruning`): the same number of zeros
    /// per layer as magnitude pruning, on the weights whose removal changes the layer's
    /// outputs least, spread over the channels where it costs least, with the weights kept
    /// (and the bias) updated to make up for them. Needs `--calibration`.
    case obs
}
