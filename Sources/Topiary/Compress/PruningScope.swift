/// Where magnitude pruning compares weights.
public enum PruningScope: String, Equatable, Sendable, CaseIterable {
    /// Each layer loses its own fraction of its smallest weights.
    case layer
    /// One ranking of the raw magnitudes `|w|` of every prunable layer together: the smallest
    /// fraction of all weights goes, wherever they are. Layers with small weights (often the
    /// wide first layer) lose more than the fraction, layers with large weights less. The
    /// magnitudes are not normalised per layer, so the ranking follows the trained scales;
    /// but no layer loses more than half of what the target keeps, nor any output channel its
    /// last weight (`GlobalRanking`), so none is emptied.
    case global
}
