/// Unstructured magnitude pruning: sets the smallest weights of the Dense, convolution,
/// depthwise and separable kernels to zero (never biases or normalisation parameters).
///
/// - `--sparsity s`: each prunable kernel loses its `round(s · count)` smallest weights
///   relative to their output channel's largest `|w|` (`scope == .layer`, see
///   `pruneSmallest`), or the `round(s · total)` smallest of all kernels ranked together
///   (`scope == .global`, raw `|w|`, see `PruningScope`; capped per layer and per output
///   channel so that none is emptied, see `GlobalRanking`).
/// - `--sparsity fc1=0.9,fc2=0.5`: only the named Keras layers, each with its own fraction.
/// - `--pattern N:M`: in each group of M consecutive input weights of each output channel,
///   the N largest stay.
///
/// Ties are broken by position, so the result is deterministic. A layer applied several
/// times (shared weights) is pruned once and every call gets the same weights.
public enum MagnitudePruning {
    /// One prunable kernel: the first node of its layer and the weight role.
    struct Site {
        let node: Int
        let role: WeightRole
        var layer: String
    }

    public static func apply(_ graph: Graph, _ options: PruningOptions) throws -> Graph {
        try options.validate()
        if options.isEmpty { return graph }
        let sites = prunableSites(graph)
        guard !sites.isEmpty else {
            throw CompressionError(.pruning, "the model has no Dense or convolution kernels to prune")
        }
        var pruned: [Int: [WeightRole: [Float]]] = [:]
        func values(_ site: Site) -> [Float] { graph.nodes[site.node].weights[site.role]!.values }
        func rows(_ site: Site) -> KernelRows { KernelRows(graph.nodes[site.node], site.role)! }

        if let pattern = options.pattern {
            for site in sites {
                let rows = KernelRows(graph.nodes[site.node], site.role)!
                pruned[site.node, default: [:]][site.role] = applyPattern(pattern, to: values(site), rows: rows)
            }
        } else if let target = options.target {
            switch (target, options.scope) {
            case let (.uniform(fraction), .layer):
                for site in sites {
                    pruned[site.node, default: [:]][site.role] = pruneSmallest(values(site), rows: rows(site), fraction: fraction)
                }
            case let (.uniform(fraction), .global):
                let ranking = GlobalRanking.prune(
                    sites.map(values), rows: sites.map { KernelRows(graph.nodes[$0.node], $0.role)! },
                    fraction: fraction)
                for (site, kept) in zip(sites, ranking.pruned) { pruned[site.node, default: [:]][site.role] = kept }
            case let (.perLayer(targets), _):
                try checkNames(Array(targets.keys), graph: graph, sites: sites)
                for site in sites {
                    guard let fraction = targets[site.layer] else { continue }
                    pruned[site.node, default: [:]][site.role] = pruneSmallest(values(site), rows: rows(site), fraction: fraction)
                }
            }
        }

        var result = graph
        for (nodeIndex, roles) in pruned {
            let layer = graph.nodes[nodeIndex].layerName
            for (role, newValues) in roles {
                let original = graph.nodes[nodeIndex].weights[role]!
                // Every call of the layer holding the same tensor gets the pruned one.
                for k in result.nodes.indices where result.nodes[k].layerName == layer && graph.nodes[k].weights[role] == original {
                    result.nodes[k].weights[role] = Tensor(shape: original.shape, values: newValues)
                }
            }
        }
        return result
    }

    /// The layers whose share `--prune-scope global` capped (`GlobalRanking`), in model
    /// order; empty for any other options.
    public static func globalRankingCaps(_ graph: Graph, _ options: PruningOptions) -> [GlobalRankingCap] {
        guard options.scope == .global, options.pattern == nil, case let .uniform(fraction)? = options.target else { return [] }
        let sites = prunableSites(graph)
        let kernels = sites.map { graph.nodes[$0.node].weights[$0.role]!.values }
        let ranking = GlobalRanking.prune(kernels, rows: sites.map { KernelRows(graph.nodes[$0.node], $0.role)! }, fraction: fraction)
        return ranking.bound.keys.sorted().map { k in
            let site = sites[k]
            let zeros = ranking.pruned[k].filter { $0 == 0 }.count
            let name = KernelRows.roles(of: graph.nodes[site.node].op).count > 1 ? "\(site.layer) (\(site.role.rawValue))" : site.layer
            return GlobalRankingCap(layer: name, sparsity: Double(zeros) / Double(kernels[k].count), uncapped: ranking.bound[k]!)
        }
    }

    /// The kernels pruning may touch, one per layer (the first call of a shared layer).
    static func prunableSites(_ graph: Graph) -> [Site] {
        var seen = Set<String>()
        var sites: [Site] = []
        for (index, node) in graph.nodes.enumerated() {
            let roles = KernelRows.roles(of: node.op).filter { KernelRows(node, $0) != nil }
            guard !roles.isEmpty, seen.insert(node.layerName).inserted else { continue }
            for role in roles { sites.append(Site(node: index, role: role, layer: node.layerName)) }
        }
        return sites
    }

    /// `values` with the `round(fraction · count)` weights smallest relative to their output
    /// channel's largest `|w|` set to zero.
    ///
    /// Raw `|w|` would compare channels by their scale, which BatchNorm folding sets per
    /// channel: a channel whose folded scale is small (ResNet-8's first convolution has one ten
    /// times below the others) would lose every weight and output a constant. Relative to the
    /// channel's largest, the ranking is what the per-channel int8 weights see and does not
    /// change when a channel is scaled.
    static func pruneSmallest(_ values: [Float], rows: KernelRows, fraction: Double) -> [Float] {
        let count = Int((fraction * Double(values.count)).rounded())
        guard count > 0 else { return values }
        var largest = [Float](repeating: 0, count: rows.channels)
        for (i, v) in values.enumerated() { largest[i % rows.channels] = max(largest[i % rows.channels], abs(v)) }
        let relative = values.indices.map { i in largest[i % rows.channels] > 0 ? abs(values[i]) / largest[i % rows.channels] : 0 }
        let order = values.indices.sorted { a, b in
            relative[a] != relative[b] ? relative[a] < relative[b] : a < b
        }
        var result = values
        for index in order.prefix(count) { result[index] = 0 }
        return result
    }

    /// `values` with only the `n` largest magnitudes of each group of `m` consecutive
    /// positions of each row kept.
    static func applyPattern(_ pattern: SparsityPattern, to values: [Float], rows: KernelRows) -> [Float] {
        var result = values
        for c in 0..<rows.channels {
            var start = 0
            while start < rows.rowLength {
                let end = min(start + pattern.m, rows.rowLength)
                let group = (start..<end).map { rows.index(channel: c, position: $0) }
                let ranked = group.sorted { a, b in
                    let x = abs(values[a]), y = abs(values[b])
                    return x != y ? x > y : a < b
                }
                for index in ranked.dropFirst(pattern.n) { result[index] = 0 }
                start = end
            }
        }
        return result
    }

    /// Every named layer must exist and have a prunable kernel.
    static func checkNames(_ names: [String], graph: Graph, sites: [Site]) throws {
        let prunable = Set(sites.map(\.layer))
        for name in names.sorted() where !prunable.contains(name) {
            if let node = graph.nodes.first(where: { $0.layerName == name }) {
                throw CompressionError(
                    .pruning, layer: name,
                    "\(node.kerasClass) has no Dense or convolution kernel to prune; prunable layers: \(prunable.sorted().joined(separator: ", "))"
                )
            }
            throw CompressionError(
                .pruning,
                "--sparsity names layer '\(name)', which the model does not have; prunable layers: \(sites.map(\.layer).uniqued().joined(separator: ", "))"
            )
        }
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each kept at its first occurrence.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
