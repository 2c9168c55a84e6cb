/// What `MagnitudePruning` does: a sparsity target (uniform or per layer) ranked per layer or
/// globally, or an N:M pattern.
public struct PruningOptions: Equatable, Sendable {
    public var target: SparsityTarget?
    public var scope: PruningScope
    public var pattern: SparsityPattern?

    public init(target: SparsityTarget? = nil, scope: PruningScope = .layer, pattern: SparsityPattern? = nil) {
        self.target = target
        self.scope = scope
        self.pattern = pattern
    }

    /// True when the options prune nothing.
    public var isEmpty: Bool {
        pattern == nil && (target == nil || target == .uniform(0))
    }

    /// Checks that the options go together.
    public func validate() throws {
        if pattern != nil, target != nil {
            throw CompressionError(.pruning, "give either --sparsity or --pattern: an N:M pattern sets the sparsity itself")
        }
        if scope == .global, case .perLayer = target {
            throw CompressionError(
                .pruning,
                "--prune-scope global ranks all layers together and takes one fraction (e.g. --sparsity 0.8), not per-layer fractions")
        }
        if scope == .global, pattern != nil {
            throw CompressionError(.pruning, "--prune-scope global does not apply to an N:M pattern, which is decided group by group")
        }
    }
}
