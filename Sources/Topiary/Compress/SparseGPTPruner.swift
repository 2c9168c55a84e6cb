/// SparseGPT: prunes a weight matrix `W` (`rows × columns`, one row per output channel, one
/// column per input) column by column, and after each column spreads the error of the weights
/// it removed over the columns not yet visited with the optimal-brain-surgeon update, so the
/// remaining weights absorb what the pruned ones did on the calibration inputs.
///
/// With `U` the upper Cholesky factor of `H⁻¹` (`H⁻¹ = UᵀU`, see `Hessian`), removing
/// `w_rj` costs `w_rj² / U_jj²`, and the update is
/// `W[r, j+1…] −= (w_rj / U_jj) · U[j, j+1…]`. Row `r`'s later weights depend only on its own
/// pruned ones, so all rows share `U`: the cost is `O(rows · columns²)`, against
/// `O(rows · columns³)` for exact per-row OBS (`ExactOBCPruner`).
///
/// The mask is chosen adaptively: every `blockSize` columns, the block's weights with the
/// smallest cost (over all rows together, on the weights as updated so far) are marked,
/// as many as keep the count of zeros on track for exactly `count` at the end. With an N:M
/// pattern, each group of `m` columns is decided when the pass reaches it: each row keeps its
/// `n` costliest weights of the group.
enum SparseGPTPruner {
    /// Small blocks decide the mask on weights already updated by more of the earlier
    /// removals: on the digits MLP (forced to SparseGPT), 8 columns gave a third of the
    /// output error of 32 or 64.
    static let defaultBlockSize = 8

    /// Prunes `w` (row-major) in place. Without a pattern, exactly `count` weights end up zero,
    /// unless more than that were zero to begin with.
    ///
    /// Only the first `prunable` columns may be removed; later ones (a bias) are only updated.
    static func prune(
        _ w: inout [Double], rows: Int, columns: Int, prunable: Int? = nil, upper u: [Double], count: Int,
        pattern: SparsityPattern? = nil, blockSize: Int = defaultBlockSize
    ) {
        let prunable = prunable ?? columns
        precondition(w.count == rows * columns && u.count == columns * columns, "W and U do not match \(rows) × \(columns)")
        let block = max(1, blockSize)
        var mask = [Bool](repeating: false, count: rows * columns)
        var zeros = 0
        w.withUnsafeMutableBufferPointer { w in
            u.withUnsafeBufferPointer { u in
                func cost(_ r: Int, _ j: Int) -> Double {
                    let x = w[r * columns + j] / u[j * columns + j]
                    return x * x
                }
                var start = 0
                while start < prunable {
                    let end = min(start + block, prunable)
                    if pattern == nil {
                        // Zeros wanted once this block is done, for `count` in total at the end.
                        let wanted = Int((Double(count) * Double(end) / Double(prunable)).rounded())
                        var candidates: [(cost: Double, index: Int)] = []
                        candidates.reserveCapacity(rows * (end - start))
                        for r in 0..<rows {
                            for j in start..<end { candidates.append((cost(r, j), r * columns + j)) }
                        }
                        candidates.sort { $0.cost != $1.cost ? $0.cost < $1.cost : $0.index < $1.index }
                        for candidate in candidates.prefix(max(0, wanted - zeros)) { mask[candidate.index] = true }
                    }
                    for j in start..<end {
                        if let pattern, j % pattern.m == 0 {
                            let groupEnd = min(j + pattern.m, prunable)
                            for r in 0..<rows {
                                let ranked = (j..<groupEnd).sorted { a, b in
                                    let x = cost(r, a), y = cost(r, b)
                                    return x != y ? x > y : a < b
                                }
                                for k in ranked.dropFirst(pattern.n) { mask[r * columns + k] = true }
                            }
                        }
                        let ujj = u[j * columns + j]
                        for r in 0..<rows where mask[r * columns + j] || w[r * columns + j] == 0 {
                            let base = r * columns
                            let error = w[base + j] / ujj
                            w[base + j] = 0
                            guard error != 0 else { continue }
                            for k in (j + 1)..<max(j + 1, columns) { w[base + k] -= error * u[j * columns + k] }
                        }
                    }
                    for r in 0..<rows {
                        for j in start..<end where w[r * columns + j] == 0 { zeros += 1 }
                    }
                    start = end
                }
            }
        }
    }
}
