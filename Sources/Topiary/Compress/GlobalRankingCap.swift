/// A layer `--prune-scope global` held back: the plain ranking of raw `|w|` would have removed
/// `uncapped` of its weights, but it lost only `sparsity` (see `GlobalRanking`).
public struct GlobalRankingCap: Equatable, Sendable {
    /// The layer's name, with the kernel's role for a separable convolution's two kernels.
    public var layer: String
    public var sparsity: Double
    public var uncapped: Double

    /// One line for the command line, e.g. `'conv1' lost 95% (global ranking of |w| would take 99.31%)`.
    public var description: String {
        "'\(layer)' lost \(Percent(sparsity)) (global ranking of |w| would take \(Percent(uncapped)))"
    }
}
