/// Chooses which weights to prune by the optimal-brain-surgeon saliency instead of their
/// magnitude (`--prune-method obs`), as OBC does for each row:
///
/// For a row's least-squares problem (`H = XᵀX` damped, optimum `w* = H⁻¹ XᵀX₀ w₀`), removing
/// weight `q` and re-optimising the others raises the error by `w_q² / [H⁻¹]_qq`. Removing the
/// cheapest weight, updating `w` and `H⁻¹` and repeating gives each row a sequence of removals
/// with their costs; a layer's removals then go to the rows where they cost the least, so
/// channels that matter keep more of their weights.
enum ObsMask {
    /// The order in which row entries `0..<prunable` would be removed, with the error each
    /// removal adds. `h` and `cross` are `d × d`; entries from `prunable` on (the bias) stay.
    /// `inverse` is `H⁻¹`.
    static func removalSequence(inverse start: [Double], cross: [Double], target: [Double], prunable: Int, d: Int) -> [(index: Int, loss: Double)] {
        var inverse = start
        let rhs = (0..<d).map { i in (0..<d).reduce(0.0) { $0 + cross[i * d + $1] * target[$1] } }
        var w = (0..<d).map { i in (0..<d).reduce(0.0) { $0 + inverse[i * d + $1] * rhs[$1] } }
        var removed = [Bool](repeating: false, count: d)
        var sequence: [(index: Int, loss: Double)] = []
        for _ in 0..<prunable {
            var best = -1
            var bestLoss = Double.infinity
            for q in 0..<prunable where !removed[q] && inverse[q * d + q] > 0 {
                let loss = w[q] * w[q] / inverse[q * d + q]
                if loss < bestLoss { (best, bestLoss) = (q, loss) }
            }
            guard best >= 0 else { break }
            let pivot = inverse[best * d + best]
            let factor = w[best] / pivot
            let column = (0..<d).map { inverse[$0 * d + best] }
            for i in 0..<d { w[i] -= factor * column[i] }
            w[best] = 0
            for i in 0..<d where column[i] != 0 {
                let scale = column[i] / pivot
                for j in 0..<d { inverse[i * d + j] -= scale * column[j] }
            }
            removed[best] = true
            sequence.append((best, max(bestLoss, 0)))
        }
        return sequence
    }

    /// Spreads `removals` over the rows, taking the cheapest next removal of any row each time;
    /// returns which entries each row keeps.
    static func allocate(_ sequences: [[(index: Int, loss: Double)]], removals: Int, rowLength: Int) -> [[Bool]] {
        var taken = [Int](repeating: 0, count: sequences.count)
        var kept = [[Bool]](repeating: [Bool](repeating: true, count: rowLength), count: sequences.count)
        for _ in 0..<removals {
            var best = -1
            var bestLoss = Double.infinity
            for (r, sequence) in sequences.enumerated() where taken[r] < sequence.count && sequence[taken[r]].loss < bestLoss {
                (best, bestLoss) = (r, sequence[taken[r]].loss)
            }
            guard best >= 0 else { break }
            kept[best][sequences[best][taken[best]].index] = false
            taken[best] += 1
        }
        return kept
    }
}
