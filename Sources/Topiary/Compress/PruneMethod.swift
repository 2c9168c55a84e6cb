/// How pruning chooses the weights to remove.
public enum PruneMethod: String, Equatable, Sendable, CaseIterable {
    /// The smallest magnitudes (`MagnitudePruning`).
    case magnitude
    /// The same number per layer, chosen by the optimal-brain-surgeon saliency on the
    /// calibration data and spread over the channels where it costs least (`ObsMask`), then
    /// refitted (`PruningReconstruction`).
    case obs
}
