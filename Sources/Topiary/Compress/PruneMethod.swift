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

extension PruneMethod {
    /// The method when none is asked for: OBS whenever calibration samples are at hand, since
    /// at high sparsity it keeps the model close to the float one where magnitude pruning does
    /// not (the digits MLP at 80% int8: −0.6 against −52.8 points of top-1); magnitude without
    /// samples, and for N:M patterns, which OBS does not take.
    public static func defaultMethod(hasCalibration: Bool, hasPattern: Bool) -> PruneMethod {
        hasCalibration && !hasPattern ? .obs : .magnitude
    }

    /// Sparsity above which magnitude pruning without calibration data deserves a warning.
    public static let magnitudeWarningSparsity = 0.5
}
