/// The optimal-brain-surgeon update for a mask already chosen, solved exactly: the weights a
/// row keeps become `argmin (v − w)ᵀ H (v − w)` over `v` that are zero where the mask is.
///
/// SparseGPT compensates each pruned weight only with the columns after it, so the kept
/// weights of early columns never hear of later removals; on small layers at high sparsity
/// that costs several times the error of exact OBC. Re-solving the kept weights once the mask
/// is fixed recovers most of it, for `O(kept³)` per row: affordable whenever few weights stay.
enum MaskRefit {
    /// `rows` kept entries of `kept` each: is the refit within `ExactOBCPruner.affordableWork`?
    static func isAffordable(rows: Int, kept: Int) -> Bool {
        Double(rows) * Double(kept) * Double(kept) * Double(kept) <= ExactOBCPruner.affordableWork
    }

    /// `original` re-solved on the entries `pruned` keeps (nonzero, or at or after `prunable`),
    /// for the damped `hessian` (`n × n`). Nil when the kept block is not positive definite.
    static func refit(_ original: [Double], pruned: [Double], prunable: Int, hessian h: [Double], n: Int) -> [Double]? {
        let kept = (0..<n).filter { $0 >= prunable || pruned[$0] != 0 }
        guard !kept.isEmpty else { return pruned }
        // H_KK v_K = (H w)_K.
        let rhs = kept.map { i in (0..<n).reduce(0.0) { $0 + h[i * n + $1] * original[$1] } }
        let block = kept.flatMap { i in kept.map { h[i * n + $0] } }
        guard let solution = SymmetricSolver.solve(block, rhs, n: kept.count) else { return nil }
        var result = [Double](repeating: 0, count: n)
        for (k, i) in kept.enumerated() {
            // A kept weight stays a kept weight.
            result[i] = solution[k] == 0 && i < prunable ? Double.leastNormalMagnitude : solution[k]
        }
        return result
    }
}
