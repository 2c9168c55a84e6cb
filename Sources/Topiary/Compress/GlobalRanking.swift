/// The one ranking of `--prune-scope global`: the smallest raw `|w|` of every prunable kernel
/// go first, with two limits that keep the model alive.
///
/// Raw magnitudes differ between layers by their trained scale, so a plain global ranking can
/// empty a layer whose weights are all small (often the first convolution) and the network
/// then outputs a constant. Here no kernel loses more than `layerCap(for:)` of its weights,
/// and no output channel loses its last weight; what a capped layer would have lost goes to
/// the next smallest weights elsewhere, so the total stays the requested fraction.
enum GlobalRanking {
    /// The largest fraction one kernel may lose when the model as a whole loses `fraction`:
    /// half of what the target keeps stays in every layer (at 0.9, each keeps at least 5%).
    static func layerCap(for fraction: Double) -> Double { 1 - (1 - fraction) / 2 }

    /// The kernels' values with `round(fraction · total)` weights set to zero, and, for each
    /// kernel a limit held back, the fraction the plain ranking would have taken from it.
    /// `kernels[k]` is the flat kernel of `rows[k]`.
    static func prune(_ kernels: [[Float]], rows: [KernelRows], fraction: Double) -> (pruned: [[Float]], bound: [Int: Double]) {
        let total = kernels.reduce(0) { $0 + $1.count }
        let goal = Int((fraction * Double(total)).rounded())
        let cap = layerCap(for: fraction)
        let limits = kernels.map { Int((cap * Double($0.count)).rounded(.down)) }
        // Every weight once, as (kernel, index), smallest |w| first, ties by position.
        var order: [(kernel: Int, index: Int)] = []
        order.reserveCapacity(total)
        for (k, values) in kernels.enumerated() { for i in values.indices { order.append((k, i)) } }
        order.sort { a, b in
            let x = abs(kernels[a.kernel][a.index]), y = abs(kernels[b.kernel][b.index])
            if x != y { return x < y }
            return a.kernel != b.kernel ? a.kernel < b.kernel : a.index < b.index
        }
        var pruned = kernels
        var removed = [Int](repeating: 0, count: kernels.count)
        // The plain ranking's share of each kernel, for the report.
        var wouldRemove = [Int](repeating: 0, count: kernels.count)
        for (k, _) in order.prefix(goal) { wouldRemove[k] += 1 }
        var kept = rows.map { [Int](repeating: $0.rowLength, count: $0.channels) }
        var taken = 0
        for (k, i) in order {
            if taken == goal { break }
            let channel = i % rows[k].channels
            guard removed[k] < limits[k], kept[k][channel] > 1 else { continue }
            pruned[k][i] = 0
            removed[k] += 1
            kept[k][channel] -= 1
            taken += 1
        }
        var bound: [Int: Double] = [:]
        for k in kernels.indices where wouldRemove[k] > removed[k] {
            bound[k] = Double(wouldRemove[k]) / Double(kernels[k].count)
        }
        return (pruned, bound)
    }
}
