/// Structured pruning: removes whole output channels (neurons, filters) with the smallest L1
/// norm from Dense and convolution layers, and shrinks every consumer to match, so that the
/// smaller model is dense and needs no sparse kernels at all.
///
/// A layer's channels can go when every path from its output reaches a Dense or convolution
/// through ops that act on each channel separately: its next Dense/convolution loses the
/// matching input rows (after a Flatten, the rows of every spatial position of that
/// channel); a depthwise convolution loses the channel and passes the loss on; BatchNorm,
/// PReLU, Rescaling and Normalization lose the channel's parameters; activations (but not a
/// softmax over the channels), pooling, padding, cropping, up-sampling and dropout just get
/// narrower. A path into a merge (Add…), a concatenation, a reshape, a permutation, a
/// recurrent layer or a model output cannot shrink: such a layer is refused.
public enum ChannelPruning {
    /// With `.uniform(f)`, every layer that can shrink loses `round(f · channels)` channels
    /// (keeping at least one) and the others are listed as skipped; with `.perLayer`, the named
    /// layers must be able to shrink, or the error says why not.
    public static func apply(_ graph: Graph, _ target: SparsityTarget) throws -> ChannelPruningResult {
        var graph = graph
        var removed: [String: [Int]] = [:]
        var skipped: [(layer: String, reason: String)] = []
        let candidates = graph.nodes.indices.filter { index in
            switch graph.nodes[index].op {
            case .dense, .conv: return true
            default: return false
            }
        }
        if case let .perLayer(targets) = target {
            let names = Set(candidates.map { graph.nodes[$0].layerName })
            for name in targets.keys.sorted() where !names.contains(name) {
                if let node = graph.nodes.first(where: { $0.layerName == name }) {
                    throw CompressionError(
                        .channelPruning, layer: name,
                        "\(node.kerasClass) has no output channels to remove; only Dense and Conv1D/Conv2D layers can shrink")
                }
                throw CompressionError(
                    .channelPruning,
                    "--prune-channels names layer '\(name)', which the model does not have; candidates: \(candidates.map { graph.nodes[$0].layerName }.joined(separator: ", "))"
                )
            }
        }
        for index in candidates {
            let node = graph.nodes[index]
            let fraction: Double
            switch target {
            case let .uniform(f): fraction = f
            case let .perLayer(targets):
                guard let f = targets[node.layerName] else { continue }
                fraction = f
            }
            let channels = node.outputShape.last ?? 0
            let count = min(Int((fraction * Double(channels)).rounded()), channels - 1)
            guard count > 0 else { continue }
            do {
                let victims = try smallestChannels(node, count: count)
                graph = try remove(channels: victims, from: index, graph)
                removed[node.layerName] = victims
            } catch let refusal as Refusal {
                if case .uniform = target {
                    skipped.append((node.layerName, refusal.reason))
                } else {
                    throw CompressionError(.channelPruning, layer: node.layerName, "cannot remove channels: \(refusal.reason)")
                }
            }
        }
        if case .uniform = target, removed.isEmpty, !skipped.isEmpty {
            let reasons = skipped.map { "'\($0.layer)': \($0.reason)" }.joined(separator: "; ")
            throw CompressionError(.channelPruning, "no layer can lose channels: \(reasons)")
        }
        return ChannelPruningResult(graph: graph, removed: removed, skipped: skipped)
    }

    /// Why a layer's channels cannot be removed.
    struct Refusal: Error {
        let reason: String
    }

    /// The `count` output channels with the smallest L1 norm of their kernel row (ties by index).
    static func smallestChannels(_ node: Node, count: Int) throws -> [Int] {
        guard let rows = KernelRows(node, .kernel), let kernel = node.weights[.kernel] else {
            throw Refusal(reason: "\(node.kerasClass) has no kernel")
        }
        let norms = (0..<rows.channels).map { c in
            (0..<rows.rowLength).reduce(Float(0)) { $0 + abs(kernel.values[rows.index(channel: c, position: $1)]) }
        }
        return Array(norms.indices.sorted { norms[$0] != norms[$1] ? norms[$0] < norms[$1] : $0 < $1 }.prefix(count)).sorted()
    }

    /// The graph with output channels `victims` of node `index` removed and its consumers shrunk.
    static func remove(channels victims: [Int], from index: Int, _ graph: Graph) throws -> Graph {
        var graph = graph
        var node = graph.nodes[index]
        if graph.isShared(node) { throw Refusal(reason: "the layer is applied more than once (shared weights)") }
        let fused: Activation?
        switch node.op {
        case let .dense(d): fused = d.activation
        case let .conv(c): fused = c.activation
        default: fused = nil
        }
        if fused?.isAxisWise == true { throw Refusal(reason: "the softmax fused into it mixes its channels") }
        let channels = node.outputShape.last!
        let keep = keptIndices(length: channels, removing: Set(victims))
        node.weights[.kernel] = sliceLastAxis(node.weights[.kernel]!, keep: keep)
        if let bias = node.weights[.bias] { node.weights[.bias] = sliceLastAxis(bias, keep: keep) }
        switch node.op {
        case var .dense(d): d.units = keep.count; node.op = .dense(d)
        case var .conv(c): c.filters = keep.count; node.op = .conv(c)
        default: break
        }
        node.outputShape[node.outputShape.count - 1] = keep.count
        node.parameterCount = node.weights.values.reduce(0) { $0 + $1.count }
        graph.nodes[index] = node
        try propagate(from: index, removed: Set(victims), length: channels, graph: &graph)
        return graph
    }

    /// Shrinks every reader of node `source`, whose last axis had `length` entries of which
    /// `removed` are gone.
    static func propagate(from source: Int, removed: Set<Int>, length: Int, graph: inout Graph) throws {
        if graph.outputs.contains(source) {
            throw Refusal(reason: "'\(graph.nodes[source].layerName)' is a model output, whose shape is fixed")
        }
        let keep = keptIndices(length: length, removing: removed)
        for reader in graph.nodes.indices where graph.nodes[reader].inputs.contains(source) {
            var node = graph.nodes[reader]
            let what = "it feeds '\(node.layerName)' (\(node.kerasClass))"
            let rank = node.outputShape.count
            func narrowOutput() { node.outputShape[rank - 1] = keep.count }
            if graph.isShared(node), !node.weights.isEmpty {
                throw Refusal(reason: "\(what), a layer applied more than once, whose weights every application shares")
            }
            switch node.op {
            case .dense:
                node.weights[.kernel] = sliceAxis(node.weights[.kernel]!, axis: 0, keep: keep)
                graph.nodes[reader] = recount(node)
                continue
            case .conv:
                let kernel = node.weights[.kernel]!
                node.weights[.kernel] = sliceAxis(kernel, axis: kernel.shape.count - 2, keep: keep)
                graph.nodes[reader] = recount(node)
                continue
            case let .separableConv(c):
                let depthwise = node.weights[.depthwiseKernel]!
                node.weights[.depthwiseKernel] = sliceAxis(depthwise, axis: depthwise.shape.count - 2, keep: keep)
                let pointwise = node.weights[.pointwiseKernel]!
                let rows = keep.flatMap { k in (0..<c.depthMultiplier).map { k * c.depthMultiplier + $0 } }
                node.weights[.pointwiseKernel] = sliceAxis(pointwise, axis: pointwise.shape.count - 2, keep: rows)
                graph.nodes[reader] = recount(node)
                continue
            case let .depthwiseConv(c):
                let m = c.depthMultiplier
                let kernel = node.weights[.depthwiseKernel]!
                node.weights[.depthwiseKernel] = sliceAxis(kernel, axis: kernel.shape.count - 2, keep: keep)
                let outputs = keep.flatMap { k in (0..<m).map { k * m + $0 } }
                if let bias = node.weights[.bias] { node.weights[.bias] = sliceLastAxis(bias, keep: outputs) }
                narrowOutput()
                graph.nodes[reader] = recount(node)
                let gone = Set(removed.flatMap { k in (0..<m).map { k * m + $0 } })
                try propagate(from: reader, removed: gone, length: length * m, graph: &graph)
                continue
            case .identity, .pool, .globalPool:
                narrowOutput()
            case .activation:
                guard actsOnEachChannel(node) else { throw Refusal(reason: "\(what), a softmax over the channels") }
                narrowOutput()
            case let .batchNorm(bn):
                guard bn.axis == rank - 1 else { throw Refusal(reason: "\(what), which normalises another axis") }
                for role in [WeightRole.gamma, .beta, .movingMean, .movingVariance] {
                    if let t = node.weights[role], t.count == length { node.weights[role] = sliceLastAxis(t, keep: keep) }
                }
                narrowOutput()
            case let .normalization(n):
                guard n.axis == rank - 1 || n.axis == -1 else { throw Refusal(reason: "\(what), which normalises another axis") }
                for role in [WeightRole.mean, .variance] {
                    if let t = node.weights[role], t.count == length { node.weights[role] = sliceLastAxis(t, keep: keep) }
                }
                narrowOutput()
            case let .rescaling(scale, offset):
                let pick: ([Float]) -> [Float] = { values in values.count == length ? keep.map { values[$0] } : values }
                node.op = .rescaling(scale: pick(scale), offset: pick(offset))
                narrowOutput()
            case .prelu:
                if let alpha = node.weights[.alpha], alpha.shape.last == length {
                    node.weights[.alpha] = sliceLastAxis(alpha, keep: keep)
                }
                narrowOutput()
            case .flatten:
                // Channels-last: element (position p, channel c) is p · length + c.
                let positions = graph.nodes[source].outputShape.dropLast().reduce(1, *)
                let flatRemoved = Set((0..<positions).flatMap { p in removed.map { p * length + $0 } })
                node.outputShape = [positions * keep.count]
                graph.nodes[reader] = node
                try propagate(from: reader, removed: flatRemoved, length: positions * length, graph: &graph)
                continue
            case .merge:
                throw Refusal(reason: "\(what): every input of a merge must keep the same channels")
            case .concatenate:
                throw Refusal(reason: "\(what): the concatenation's layout would change")
            case .reshape:
                throw Refusal(reason: "\(what), which moves the channel axis")
            case .recurrent, .embedding, .input, .convTranspose, .layerNorm:
                throw Refusal(reason: "\(what), which cannot shrink its input")
            case let .move(movement):
                guard movement.keepsChannels(rank: rank) else { throw Refusal(reason: "\(what), which moves the channel axis") }
                narrowOutput()
            }
            graph.nodes[reader] = recount(node)
            try propagate(from: reader, removed: removed, length: length, graph: &graph)
        }
    }

    /// True when `node` computes each channel of its last axis from that channel alone and
    /// keeps the channels where they were, so that a channel of its input maps to the same
    /// channel of its output: the ops `propagate` narrows without further bookkeeping.
    static func actsOnEachChannel(_ node: Node) -> Bool {
        let rank = node.outputShape.count
        switch node.op {
        case .identity, .pool, .globalPool, .rescaling, .prelu:
            return true
        case let .activation(a):
            switch a {
            case let .softmax(axis), let .logSoftmax(axis): return axis != rank - 1 && axis != -1
            default: return true
            }
        case let .batchNorm(bn):
            return bn.axis == rank - 1
        case let .normalization(n):
            return n.axis == rank - 1 || n.axis == -1
        case let .move(movement):
            return movement.keepsChannels(rank: rank)
        default:
            return false
        }
    }

    static func recount(_ node: Node) -> Node {
        var node = node
        node.parameterCount = node.weights.values.reduce(0) { $0 + $1.count }
        return node
    }

    static func keptIndices(length: Int, removing removed: Set<Int>) -> [Int] {
        (0..<length).filter { !removed.contains($0) }
    }

    static func sliceLastAxis(_ tensor: Tensor, keep: [Int]) -> Tensor {
        sliceAxis(tensor, axis: tensor.shape.count - 1, keep: keep)
    }

    /// `tensor` with only the indices `keep` of `axis`.
    static func sliceAxis(_ tensor: Tensor, axis: Int, keep: [Int]) -> Tensor {
        let outer = tensor.shape[..<axis].reduce(1, *)
        let length = tensor.shape[axis]
        let inner = tensor.shape[(axis + 1)...].reduce(1, *)
        var values: [Float] = []
        values.reserveCapacity(outer * keep.count * inner)
        for o in 0..<outer {
            for k in keep {
                let start = (o * length + k) * inner
                values.append(contentsOf: tensor.values[start..<(start + inner)])
            }
        }
        var shape = tensor.shape
        shape[axis] = keep.count
        return Tensor(shape: shape, values: values)
    }
}
