/// Post-training reconstruction after pruning: with the pruning mask fixed, refits each
/// output channel's remaining weights and its bias so that the layer, fed with what the
/// pruned model gives it, reproduces on the calibration data what the unpruned model's layer
/// computed (`min ‖X·w − X₀·w₀‖²` over the kept entries, X the layer's inputs in the pruned
/// model, X₀ and w₀ those of the original: the optimal-brain-surgeon update for a fixed mask,
/// aimed at the original outputs so that each layer also absorbs the error of the layers
/// before it).
///
/// Layers are refitted in model order, each on the inputs it receives once the earlier
/// layers are pruned and refitted. The normal equations `(XᵀX + λI) w = XᵀX₀ w₀` run over
/// every input row (Dense rows, convolution patches, one patch per channel for depthwise),
/// with a column of ones for the bias; λ is 1% of the mean diagonal of XᵀX.
public enum PruningReconstruction {
    /// `pruned` is `original` with some kernel weights set to zero (same nodes and shapes).
    public static func apply(pruned: Graph, original: Graph, samples: [[Tensor]]) throws -> Graph {
        guard !samples.isEmpty else {
            throw CompressionError(.pruning, "reconstruction needs calibration samples; give --calibration X.npy")
        }
        var graph = pruned
        let reference = try FloatInference(graph: original)
        let originalOutputs = try samples.map { try reference.runAllNodes($0) }
        for site in MagnitudePruning.prunableSites(pruned) {
            // The pointwise half of a separable layer reads a tensor the graph does not hold.
            if case .separableConv = pruned.nodes[site.node].op, site.role == .pointwiseKernel { continue }
            // A recurrent kernel's output is not a least-squares function of its input: kept as pruned.
            if case .recurrent = pruned.nodes[site.node].op { continue }
            let before = original.nodes[site.node].weights[site.role]!.values
            let after = graph.nodes[site.node].weights[site.role]!.values
            guard before.count == after.count, after.contains(0) else { continue }
            let engine = try FloatInference(graph: graph)
            let source = graph.nodes[site.node].inputs[0]
            let inputs = try samples.map { try engine.runAllNodes($0)[source] }
            graph = try refit(site, in: graph, original: before, inputs: inputs, originalInputs: originalOutputs.map { $0[source] })
        }
        return graph
    }

    /// How a kernel's channel reads its input, for building its input rows.
    struct Patches {
        /// Rows of the problem for channel `c` of one input tensor: each a vector of the
        /// channel's row length.
        let rows: (Tensor, Int) -> [[Double]]
        /// Channels that share one set of input rows (all of them for Dense and convolution).
        let shared: Bool
    }

    static func patches(_ node: Node, role: WeightRole, inputShape: [Int]) throws -> Patches {
        switch (node.op, role) {
        case (.dense, _):
            let width = inputShape.last ?? 1
            return Patches(
                rows: { t, _ in
                    stride(from: 0, to: t.count, by: width).map { start in t.values[start..<(start + width)].map(Double.init) }
                }, shared: true)
        case let (.conv(c), _):
            let g = try WindowGeometry(
                node: node, inputShape: inputShape, kernel: c.kernelSize, strides: c.strides,
                dilation: c.dilation, padding: c.padding)
            return Patches(rows: { t, _ in windowRows(t, g, channel: nil) }, shared: true)
        case (.depthwiseConv, _), (.separableConv, .depthwiseKernel):
            let (kernel, strides, dilation, padding, multiplier): ([Int], [Int], [Int], Padding, Int)
            switch node.op {
            case let .depthwiseConv(d):
                (kernel, strides, dilation, padding, multiplier) = (d.kernelSize, d.strides, d.dilation, d.padding, d.depthMultiplier)
            case let .separableConv(s):
                (kernel, strides, dilation, padding, multiplier) = (s.kernelSize, s.strides, s.dilation, s.padding, s.depthMultiplier)
            default: throw CompressionError(.pruning, layer: node.layerName, "cannot reconstruct \(node.kerasClass)")
            }
            let g = try WindowGeometry(
                node: node, inputShape: inputShape, kernel: kernel, strides: strides, dilation: dilation, padding: padding)
            return Patches(rows: { t, channel in windowRows(t, g, channel: channel / multiplier) }, shared: false)
        default:
            throw CompressionError(
                .pruning, layer: node.layerName, "reconstruction of \(node.kerasClass) '\(role.rawValue)' is not supported")
        }
    }

    /// im2col rows of `t` for a window (zeros in the padding): every input channel per tap, or
    /// only `channel` when given.
    static func windowRows(_ t: Tensor, _ g: WindowGeometry, channel: Int?) -> [[Double]] {
        let cin = g.channels, taps = g.tapCount
        return (0..<g.outputPositions).map { p in
            var row: [Double] = []
            row.reserveCapacity(taps * (channel == nil ? cin : 1))
            for tap in 0..<taps {
                let pixel = Int(g.taps[p * taps + tap])
                if let channel {
                    row.append(pixel < 0 ? 0 : Double(t.values[pixel * cin + channel]))
                } else {
                    for c in 0..<cin { row.append(pixel < 0 ? 0 : Double(t.values[pixel * cin + c])) }
                }
            }
            return row
        }
    }

    static func refit(
        _ site: MagnitudePruning.Site, in graph: Graph, original: [Float], inputs: [Tensor],
        originalInputs: [Tensor]
    ) throws -> Graph {
        var node = graph.nodes[site.node]
        guard let rows = KernelRows(node, site.role) else { return graph }
        let inputShape = graph.nodes[node.inputs[0]].outputShape
        let patches = try patches(node, role: site.role, inputShape: inputShape)
        // A separable layer's bias belongs to its pointwise half, not to the depthwise kernel.
        let biasRole: WeightRole?
        switch (node.op, site.role) {
        case (.separableConv, .depthwiseKernel): biasRole = nil
        default: biasRole = node.weights[.bias] != nil ? .bias : nil
        }
        var kernel = node.weights[site.role]!.values
        var bias = biasRole.flatMap { node.weights[$0]?.values }
        let d = rows.rowLength + (bias == nil ? 0 : 1)

        /// `XᵀX` (damped) and `XᵀX₀` for channel `channel`'s input rows.
        func correlations(_ channel: Int) -> (h: [Double], cross: [Double]) {
            var h = [Double](repeating: 0, count: d * d)
            var cross = [Double](repeating: 0, count: d * d)
            for (t, t0) in zip(inputs, originalInputs) {
                for (row, row0) in zip(patches.rows(t, channel), patches.rows(t0, channel)) {
                    var x = row, x0 = row0
                    if bias != nil {
                        x.append(1)
                        x0.append(1)
                    }
                    for i in 0..<d where x[i] != 0 {
                        let xi = x[i]
                        for j in 0..<d {
                            h[i * d + j] += xi * x[j]
                            cross[i * d + j] += xi * x0[j]
                        }
                    }
                }
            }
            let damping = 0.01 * max((0..<d).reduce(0.0) { $0 + h[$1 * d + $1] } / Double(d), 1e-8)
            for i in 0..<d { h[i * d + i] += damping }
            return (h, cross)
        }
        var shared: (h: [Double], cross: [Double])?
        var perChannel: [(h: [Double], cross: [Double])] = []
        func problem(_ c: Int) -> (h: [Double], cross: [Double]) {
            if patches.shared {
                if shared == nil { shared = correlations(c) }
                return shared!
            }
            while perChannel.count <= c { perChannel.append(correlations(perChannel.count)) }
            return perChannel[c]
        }
        func target(_ c: Int) -> [Double] {
            (0..<rows.rowLength).map { Double(original[rows.index(channel: c, position: $0)]) } + (bias.map { [Double($0[c])] } ?? [])
        }
        // Which entries of each row stay: the pruned mask.
        let keptMask: [[Bool]] = (0..<rows.channels).map { c in
            (0..<rows.rowLength).map { kernel[rows.index(channel: c, position: $0)] != 0 }
        }
        for c in 0..<rows.channels {
            let (h, cross) = problem(c)
            let target = target(c)
            let kept = (0..<d).filter { $0 >= rows.rowLength || keptMask[c][$0] }
            guard !kept.isEmpty else { continue }
            // Normal equations restricted to the kept entries: H_KK w_K = (XᵀX₀ w₀)_K.
            let hw = (0..<d).map { i in (0..<d).reduce(0.0) { $0 + cross[i * d + $1] * target[$1] } }
            let sub = kept.flatMap { i in kept.map { h[i * d + $0] } }
            guard let solution = SymmetricSolver.solve(sub, kept.map { hw[$0] }, n: kept.count) else { continue }
            for i in 0..<rows.rowLength where !keptMask[c][i] { kernel[rows.index(channel: c, position: i)] = 0 }
            for (k, i) in kept.enumerated() {
                if i < rows.rowLength {
                    // A refitted weight never becomes an exact zero by accident.
                    let value = Float(solution[k])
                    kernel[rows.index(channel: c, position: i)] = value == 0 ? Float.leastNormalMagnitude : value
                } else {
                    bias![c] = Float(solution[k])
                }
            }
        }
        node.weights[site.role] = Tensor(shape: node.weights[site.role]!.shape, values: kernel)
        if let biasRole, let bias { node.weights[biasRole] = Tensor(shape: node.weights[biasRole]!.shape, values: bias) }
        var result = graph
        result.nodes[site.node] = node
        return result
    }
}
