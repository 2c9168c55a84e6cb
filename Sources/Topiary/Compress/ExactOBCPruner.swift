/// Exact optimal brain compression (OBC) for one layer: every output row is pruned by the
/// optimal brain surgeon one weight at a time, each step removing the weight whose loss is
/// smallest given everything removed before, and re-solving the others exactly.
///
/// For row `w` with `H⁻¹` (the inverse of the damped `Hessian` of its inputs), removing `w_q`
/// costs `w_q² / [H⁻¹]_qq`; the other weights move by `−(w_q / [H⁻¹]_qq) · H⁻¹[:, q]`, and
/// `H⁻¹` loses row and column `q` by `H⁻¹ −= H⁻¹[:, q] H⁻¹[q, :] / [H⁻¹]_qq`. A row costs
/// `O(columns³)`, affordable for microcontroller-sized layers only (`isAffordable`).
///
/// Each row's sequence of removals and their losses is computed first; the layer then takes
/// its `count` removals from the rows where the next removal is cheapest, in a single ranking
/// across rows, so rows that matter less lose more weights while the layer's sparsity is
/// exactly the one asked for. Rows may have their own `H⁻¹` (depthwise channels each see a
/// different input channel).
enum ExactOBCPruner {
    /// Multiply-adds (`rows · columns³`) below which exact OBC is used instead of SparseGPT.
    static let affordableWork = 300_000_000.0

    static func isAffordable(rows: Int, columns: Int) -> Bool {
        Double(rows) * Double(columns) * Double(columns) * Double(columns) <= affordableWork
    }

    /// One row's removals in order: the loss each one added, and the row's weights after each.
    struct Trajectory {
        var losses: [Double] = []
        var weights: [[Double]] = []
    }

    /// Prunes `count` weights of `rows` (each `columns` long) in total. `inverses` holds one
    /// `H⁻¹` (row-major, `columns × columns`) for all rows, or one per row.
    /// Only the first `prunable` columns may be removed; later ones (a bias) are only updated.
    static func prune(_ rows: [[Double]], columns: Int, prunable: Int? = nil, inverses: [[Double]], count: Int) -> [[Double]] {
        let prunable = prunable ?? columns
        precondition(inverses.count == 1 || inverses.count == rows.count, "one H⁻¹ for all rows or one per row")
        let total = min(count, rows.count * prunable)
        guard total > 0 else { return rows }
        let trajectories = rows.indices.map { r in
            trajectory(rows[r], columns: columns, prunable: prunable, inverse: inverses.count == 1 ? inverses[0] : inverses[r])
        }
        // Take removals from the row whose next one is cheapest, `total` times.
        var taken = [Int](repeating: 0, count: rows.count)
        for _ in 0..<total {
            var best = -1
            var bestLoss = Double.infinity
            for r in rows.indices where taken[r] < prunable {
                let loss = trajectories[r].losses[taken[r]]
                if best < 0 || loss < bestLoss {
                    best = r
                    bestLoss = loss
                }
            }
            taken[best] += 1
        }
        return rows.indices.map { r in taken[r] == 0 ? rows[r] : trajectories[r].weights[taken[r] - 1] }
    }

    /// Removes every weight of the first `prunable` of `row`, cheapest first.
    static func trajectory(_ row: [Double], columns n: Int, prunable: Int, inverse: [Double]) -> Trajectory {
        var w = row
        var hinv = inverse
        var alive = [Bool](repeating: true, count: n)
        var result = Trajectory()
        result.losses.reserveCapacity(n)
        result.weights.reserveCapacity(n)
        for _ in 0..<prunable {
            var q = -1
            var best = Double.infinity
            for j in 0..<prunable where alive[j] {
                let d = hinv[j * n + j]
                let loss = d > 0 ? w[j] * w[j] / d : (w[j] == 0 ? 0 : .infinity)
                if q < 0 || loss < best {
                    q = j
                    best = loss
                }
            }
            let d = hinv[q * n + q]
            if w[q] != 0, d > 0 {
                let factor = w[q] / d
                for j in 0..<n where alive[j] { w[j] -= factor * hinv[j * n + q] }
            }
            w[q] = 0
            alive[q] = false
            if d > 0 {
                let column = (0..<n).map { hinv[$0 * n + q] }
                hinv.withUnsafeMutableBufferPointer { h in
                    for i in 0..<n where alive[i] && column[i] != 0 {
                        let scaled = column[i] / d
                        for j in 0..<n where alive[j] { h[i * n + j] -= scaled * column[j] }
                    }
                }
            }
            result.losses.append(best)
            result.weights.append(w)
        }
        return result
    }
}
