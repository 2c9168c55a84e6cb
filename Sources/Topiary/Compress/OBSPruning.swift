/// Post-training pruning with calibration data (`--prune-method obs`): each prunable kernel
/// loses the weights whose removal changes its layer's outputs least on the calibration
/// inputs, and the weights it keeps are updated to make up for them (optimal brain surgeon).
///
/// Layers are pruned in model order, and each one's inputs are what the calibration samples
/// become through the layers already pruned before it, so a layer also absorbs part of the
/// error of the earlier ones. Per kernel (see `Hessian`):
/// - Dense: one row per output unit over the layer's input rows; convolution: one row per
///   filter over the im2col patches; the pointwise half of a separable convolution: a Dense
///   over the depthwise half's output pixels; all rows share one Hessian;
/// - depthwise kernels: each channel is its own small problem over its input channel's
///   patches.
///
/// A layer is solved by exact OBC (`ExactOBCPruner`) when that is affordable, which it is for
/// microcontroller-sized layers, and by SparseGPT (`SparseGPTPruner`) otherwise and for N:M
/// patterns. How many weights each layer loses is what magnitude pruning with the same
/// options would remove (so `--sparsity`, per-layer fractions and `--prune-scope global` mean
/// the same with either method); which ones, and what the rest become, is OBS's choice.
///
/// Two departures from plain SparseGPT, both measured to help on the small sample models
/// (`bench/obs.sh`): the bias joins each problem as the weight of a constant input that is
/// updated but never pruned, so it absorbs the shift of the mean output; and each layer aims at
/// the unpruned model's outputs rather than at its own unpruned weights on the inputs it now
/// gets, so it also makes up for what the earlier layers lost (`Settings`).
public enum OBSPruning {
    /// The solver's knobs; the defaults are the ones the benchmark measured.
    public struct Settings: Equatable, Sendable {
        /// Columns per SparseGPT mask decision.
        public var blockSize = 8
        /// λ as a fraction of the mean of `diag H`.
        public var dampingFraction = 0.01
        /// Use exact OBC where affordable; false forces SparseGPT everywhere.
        public var exactWhereAffordable = true
        /// Let the layer's bias absorb the shift of the mean output that pruning causes: the
        /// bias joins the problem as the weight of a constant input, updated, never pruned.
        public var updateBias = true
        /// Aim at the unpruned model's layer outputs (`X₀ w₀`) rather than at this layer's
        /// unpruned weights on the inputs it now gets (`X w₀`), so each layer also corrects
        /// what the layers before it lost.
        public var targetOriginal = true
        /// After SparseGPT, re-solve the weights each row keeps exactly for the mask it chose
        /// (`MaskRefit`), where affordable.
        public var refitMask = true

        /// The defaults, as the benchmark measured them; change a field of a copy to try others.
        public static let measured = Settings()
    }

    /// What one kernel is asked to lose.
    enum Goal: Equatable {
        case count(Int)
        case pattern(SparsityPattern)
    }

    /// Prunes `graph` as `options` ask, with the Hessians of `samples` (one array of input
    /// tensors per sample). `progress` hears one line per layer.
    public static func apply(
        _ graph: Graph, _ options: PruningOptions, samples: [[Tensor]], settings: Settings = .measured,
        progress: ((String) -> Void)? = nil
    ) throws -> Graph {
        try options.validate()
        if options.isEmpty { return graph }
        guard !samples.isEmpty else {
            throw CompressionError(
                .pruning, "--prune-method obs needs calibration samples: give --calibration X.npy (e.g. 200 training samples)")
        }
        let sites = MagnitudePruning.prunableSites(graph)
        guard !sites.isEmpty else {
            throw CompressionError(.pruning, "the model has no Dense or convolution kernels to prune")
        }
        // How many weights each kernel loses: as many as magnitude pruning would remove.
        let magnitude = try MagnitudePruning.apply(graph, options)
        var goals: [Goal?] = []
        for site in sites {
            // The Hessian is of a layer's inputs; a recurrent kernel also reads the layer's own
            // state, so recurrent kernels take magnitude pruning's result (below).
            if case .recurrent = graph.nodes[site.node].op {
                goals.append(nil)
                continue
            }
            if let pattern = options.pattern {
                goals.append(.pattern(pattern))
                continue
            }
            let before = graph.nodes[site.node].weights[site.role]!.values
            let after = magnitude.nodes[site.node].weights[site.role]!.values
            goals.append(before == after ? nil : .count(after.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }))
        }
        var current = graph
        let active = sites.indices.filter { goals[$0] != nil }
        for (step, k) in active.enumerated() {
            let site = sites[k]
            progress?(
                "obs pruning: layer \(step + 1)/\(active.count) '\(site.layer)'\(site.role == .kernel ? "" : " (\(site.role.rawValue))"): Hessian over \(samples.count) samples"
            )
            current = try prune(site, goal: goals[k]!, in: current, original: graph, samples: samples, settings: settings)
        }
        for k in current.nodes.indices {
            guard case .recurrent = current.nodes[k].op else { continue }
            for role in [WeightRole.kernel, .recurrentKernel] { current.nodes[k].weights[role] = magnitude.nodes[k].weights[role] }
        }
        return current
    }

    /// `graph` with the kernel of `site` pruned to `goal` on the inputs `samples` give it.
    static func prune(
        _ site: MagnitudePruning.Site, goal: Goal, in graph: Graph, original: Graph, samples: [[Tensor]],
        settings: Settings
    ) throws -> Graph {
        let node = graph.nodes[site.node]
        let kernel = node.weights[site.role]!
        guard let rows = KernelRows(node, site.role) else { return graph }
        let calls = graph.nodes.indices.filter { graph.nodes[$0].layerName == site.layer && graph.nodes[$0].weights[site.role] == kernel }
        let (inputs, patches) = try layerInputs(site, calls: calls, graph: graph, samples: samples)
        // A separable layer's bias belongs to its pointwise half.
        let separableDepthwise: Bool
        if case .separableConv = node.op { separableDepthwise = site.role == .depthwiseKernel } else { separableDepthwise = false }
        let biasRole: WeightRole? = settings.updateBias && node.weights[.bias] != nil && !separableDepthwise ? .bias : nil
        let bias = biasRole.flatMap { node.weights[$0] }
        let width = rows.rowLength + (bias == nil ? 0 : 1)
        let originalInputs = settings.targetOriginal ? try layerInputs(site, calls: calls, graph: original, samples: samples).inputs : nil

        // Hessians (and cross-correlations with the unpruned model's inputs): one for the
        // layer, or one per channel.
        let groups = patches.shared ? 1 : rows.channels
        var hessians = [Hessian](repeating: Hessian(size: width), count: groups)
        var cross = [[Double]](repeating: originalInputs == nil ? [] : [Double](repeating: 0, count: width * width), count: groups)
        for (index, t) in inputs.enumerated() {
            for g in 0..<groups {
                let xs = patches.rows(t, g)
                let x0s = originalInputs.map { patches.rows($0[index], g) }
                for (k, row) in xs.enumerated() {
                    let x = bias == nil ? row : row + [1]
                    hessians[g].add(x)
                    if let x0s {
                        let x0 = bias == nil ? x0s[k] : x0s[k] + [1]
                        cross[g].withUnsafeMutableBufferPointer { cross in
                            for i in 0..<width where x[i] != 0 {
                                let xi = x[i], row = cross.baseAddress! + i * width
                                for j in 0..<width { row[j] += xi * x0[j] }
                            }
                        }
                    }
                }
            }
        }
        var w = [[Double]](repeating: [], count: rows.channels)
        for c in 0..<rows.channels {
            w[c] = (0..<rows.rowLength).map { Double(kernel.values[rows.index(channel: c, position: $0)]) }
            if let bias { w[c].append(Double(bias.values[c])) }
        }
        var damped: [[Double]] = []
        for g in 0..<groups {
            let (h, dead) = hessians[g].damped(settings.dampingFraction)
            damped.append(h)
            let members = patches.shared ? Array(0..<rows.channels) : [g]
            if originalInputs != nil, let lower = Cholesky.lower(h, n: width) {
                // Aim at what the unpruned model computed: the dense refit w* minimising
                // ‖X w − X₀ w₀‖² turns the objective into ‖X (w − w*)‖² plus a constant. It is
                // solved as a correction, (H + λI) δ = (C − H) w₀ with C = 2/N·Σ x x₀ᵀ, so
                // that the damping only shrinks the correction: with X = X₀, w* = w₀.
                let scale = 2 / Double(max(hessians[g].count, 1))
                let raw = hessians[g].matrix
                for c in members {
                    let rhs = cross[g].withUnsafeBufferPointer { cross in
                        raw.withUnsafeBufferPointer { raw in
                            (0..<width).map { i in
                                (0..<width).reduce(0.0) { $0 + (cross[i * width + $1] * scale - raw[i * width + $1]) * w[c][$1] }
                            }
                        }
                    }
                    let shift = SymmetricSolver.solve(factor: lower, rhs, n: width)
                    w[c] = (0..<width).map { w[c][$0] + shift[$0] }
                }
            }
            // A weight on an input that never varied is zeroed: the data cannot price it.
            for c in members {
                for j in 0..<rows.rowLength where dead[j] { w[c][j] = 0 }
            }
        }
        let pruned = try solve(
            w, columns: width, prunable: rows.rowLength, hessians: damped, goal: goal, settings: settings, layer: site.layer)

        var values = kernel.values
        var biasValues = bias?.values
        for c in 0..<rows.channels {
            for j in 0..<width {
                let x = pruned[c][j]
                guard x.isFinite else {
                    throw CompressionError(
                        .pruning, layer: site.layer,
                        "OBS produced a non-finite weight; the calibration inputs of this layer may be non-finite or too large")
                }
                if j == rows.rowLength {
                    biasValues![c] = Float(x)
                    continue
                }
                // A kept weight never becomes an exact zero by rounding to float.
                let value = Float(x)
                values[rows.index(channel: c, position: j)] =
                    x == 0 ? 0 : (value == 0 ? (x < 0 ? -Float.leastNormalMagnitude : .leastNormalMagnitude) : value)
            }
        }
        var result = graph
        for index in calls {
            result.nodes[index].weights[site.role] = Tensor(shape: kernel.shape, values: values)
            if let biasRole, let bias, let biasValues {
                result.nodes[index].weights[biasRole] = Tensor(shape: bias.shape, values: biasValues)
            }
        }
        return result
    }

    /// Each problem's pruned rows: `hessians` holds one damped `H` for all rows or one per row.
    static func solve(
        _ w: [[Double]], columns: Int, prunable: Int, hessians: [[Double]], goal: Goal, settings: Settings,
        layer: String
    ) throws -> [[Double]] {
        let shared = hessians.count == 1
        func factor(_ h: [Double], inverse: Bool) throws -> [Double] {
            // More damping if the requested amount was not enough for the factorisation.
            var h = h
            for attempt in 0..<4 {
                if let result = inverse ? Cholesky.inverse(h, n: columns) : Cholesky.upperFactorOfInverse(h, n: columns) { return result }
                let mean = (0..<columns).reduce(0.0) { $0 + h[$1 * columns + $1] } / Double(columns)
                for i in 0..<columns { h[i * columns + i] += mean * pow10(attempt - 2) }
            }
            throw CompressionError(
                .pruning, layer: layer,
                "the Hessian of this layer's calibration inputs is not positive definite even with extra damping; check the calibration data for non-finite or huge values"
            )
        }
        /// SparseGPT's rows with the kept weights re-solved exactly, where affordable.
        func refitted(_ pruned: [[Double]]) -> [[Double]] {
            let kept = pruned.map { row in (0..<columns).filter { $0 >= prunable || row[$0] != 0 }.count }
            guard MaskRefit.isAffordable(rows: pruned.count, kept: kept.max() ?? 0) else { return pruned }
            return pruned.indices.map { r in
                MaskRefit.refit(w[r], pruned: pruned[r], prunable: prunable, hessian: hessians[shared ? 0 : r], n: columns) ?? pruned[r]
            }
        }
        switch goal {
        case let .pattern(pattern):
            var result = w
            if shared {
                var flat = w.flatMap { $0 }
                SparseGPTPruner.prune(
                    &flat, rows: w.count, columns: columns, prunable: prunable, upper: try factor(hessians[0], inverse: false), count: 0,
                    pattern: pattern, blockSize: settings.blockSize)
                result = w.indices.map { Array(flat[($0 * columns)..<(($0 + 1) * columns)]) }
            } else {
                for r in w.indices {
                    SparseGPTPruner.prune(
                        &result[r], rows: 1, columns: columns, prunable: prunable, upper: try factor(hessians[r], inverse: false), count: 0,
                        pattern: pattern, blockSize: settings.blockSize)
                }
            }
            return settings.refitMask ? refitted(result) : result
        case let .count(count):
            let affordable = ExactOBCPruner.isAffordable(rows: w.count, columns: columns)
            if settings.exactWhereAffordable, affordable {
                let inverses = try hessians.map { try factor($0, inverse: true) }
                return ExactOBCPruner.prune(w, columns: columns, prunable: prunable, inverses: inverses, count: count)
            }
            if shared {
                var flat = w.flatMap { $0 }
                SparseGPTPruner.prune(
                    &flat, rows: w.count, columns: columns, prunable: prunable, upper: try factor(hessians[0], inverse: false),
                    count: count,
                    blockSize: settings.blockSize)
                let result = w.indices.map { Array(flat[($0 * columns)..<(($0 + 1) * columns)]) }
                return settings.refitMask ? refitted(result) : result
            }
            // Separate problems: each row loses its share of `count`.
            var result = w
            for r in w.indices {
                let share =
                    Int((Double(count) * Double(r + 1) / Double(w.count)).rounded())
                    - Int((Double(count) * Double(r) / Double(w.count)).rounded())
                SparseGPTPruner.prune(
                    &result[r], rows: 1, columns: columns, prunable: prunable, upper: try factor(hessians[r], inverse: false), count: share,
                    blockSize: settings.blockSize)
            }
            return settings.refitMask ? refitted(result) : result
        }
    }

    static func pow10(_ exponent: Int) -> Double {
        exponent >= 0 ? (0..<exponent).reduce(1.0) { x, _ in x * 10 } : 1 / pow10(-exponent)
    }

    /// What the kernel of `site` reads on every calibration sample (one tensor per sample and
    /// call of the layer), in the model as pruned so far, and how to cut it into input rows.
    static func layerInputs(
        _ site: MagnitudePruning.Site, calls: [Int], graph: Graph,
        samples: [[Tensor]]
    ) throws -> (inputs: [Tensor], patches: PruningReconstruction.Patches) {
        let node = graph.nodes[site.node]
        var runGraph = graph
        var sources: [Int]
        let patches: PruningReconstruction.Patches
        if case let .separableConv(c) = node.op, site.role == .pointwiseKernel {
            // The pointwise half reads the depthwise half's output, which only the split
            // graph holds: split every call, last first so earlier indices stay put.
            for index in calls.sorted(by: >) { runGraph = QuantizationPreparation.splitSeparable(index, c, runGraph) }
            sources = calls.sorted().enumerated().map { $1 + $0 }
            let width = (graph.nodes[node.inputs[0]].outputShape.last ?? 1) * c.depthMultiplier
            patches = PruningReconstruction.Patches(
                rows: { t, _ in
                    stride(from: 0, to: t.count, by: width).map { start in t.values[start..<(start + width)].map(Double.init) }
                }, shared: true)
        } else {
            sources = calls.map { graph.nodes[$0].inputs[0] }
            patches = try PruningReconstruction.patches(node, role: site.role, inputShape: graph.nodes[node.inputs[0]].outputShape)
        }
        let outputs = try FloatInference(graph: runGraph).values(of: sources, over: samples, failing: .pruning, layer: site.layer)
        return (outputs.flatMap { $0 }, patches)
    }
}
