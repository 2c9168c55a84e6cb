/// Removes the output channels (units, filters) of Dense and convolution layers that no later
/// layer reads once pruning has zeroed their weights: a channel whose every path ends in the
/// zero input rows of Dense or convolution layers contributes nothing to any output, so its
/// row, bias and activation are work and bytes spent on nothing.
///
/// Pruning leaves such channels whenever it empties a column of the next layer's kernel (on
/// the digits MLP at 90% OBS, 13 of the first layer's 64 units and 13 of the second's 32).
/// The removal is exact: the graph without them computes the same outputs, in float and, as
/// the int8 quantizer then sees the smaller graph, in the int8 arithmetic of the Swift
/// reference and the generated C alike. A layer losing channels may leave channels of the
/// layer before it unread in turn, so the pass repeats until nothing changes.
///
/// Which paths are followed is `ChannelPruning`'s rule (it does the removing): through ops
/// that act on each channel separately, a depthwise convolution (channel `c` feeds outputs
/// `c·m…c·m+m-1`) and a Flatten (every position of the channel); a path into anything else (a
/// merge, a concatenation, a reshape, a softmax over the channels, a model output…) reads
/// every channel.
public enum UnreadChannelRemoval {
    /// The graph without unread channels, and how many each layer lost, by Keras layer name.
    public static func apply(_ graph: Graph) -> (graph: Graph, removed: [String: Int]) {
        var graph = graph
        var removed: [String: Int] = [:]
        var changed = true
        while changed {
            changed = false
            // From the last layer back, so that one sweep usually carries a removal to the
            // layers before it.
            for index in graph.nodes.indices.reversed() {
                switch graph.nodes[index].op {
                case .dense, .conv: break
                default: continue
                }
                let channels = graph.nodes[index].outputShape.last ?? 0
                var read = readChannels(of: index, length: channels, in: graph)
                guard read.count < channels else { continue }
                // A layer none of whose channels is read keeps one: shapes of zero are not
                // supported downstream, and one channel of zero weights costs next to nothing.
                if read.isEmpty { read.insert(0) }
                guard read.count < channels else { continue }
                let unread = (0..<channels).filter { !read.contains($0) }
                // `remove` refuses a layer applied more than once, or whose fused softmax mixes
                // its channels, or a path `readChannels` did not follow: those keep every channel.
                guard let smaller = try? ChannelPruning.remove(channels: unread, from: index, graph) else { continue }
                graph = smaller
                removed[graph.nodes[index].layerName, default: 0] += unread.count
                changed = true
            }
        }
        return (graph, removed)
    }

    /// The channels of node `source`'s output (its last axis, `length` long) that some path
    /// reads.
    static func readChannels(of source: Int, length: Int, in graph: Graph) -> Set<Int> {
        let all = Set(0..<length)
        if graph.outputs.contains(source) { return all }
        var read = Set<Int>()
        for reader in graph.nodes.indices where graph.nodes[reader].inputs.contains(source) {
            let node = graph.nodes[reader]
            // A layer applied more than once shares its kernel, which `remove` will not slice.
            if graph.isShared(node), !node.weights.isEmpty { return all }
            switch node.op {
            case .dense:
                read.formUnion(nonzeroRows(node.weights[.kernel], axis: 0, length: length) ?? all)
            case .conv:
                let kernel = node.weights[.kernel]
                read.formUnion(nonzeroRows(kernel, axis: (kernel?.shape.count ?? 2) - 2, length: length) ?? all)
            case let .depthwiseConv(c):
                let m = c.depthMultiplier
                let outputs = readChannels(of: reader, length: length * m, in: graph)
                read.formUnion(outputs.map { $0 / m })
            case .flatten:
                let positions = graph.nodes[source].outputShape.dropLast().reduce(1, *)
                read.formUnion(readChannels(of: reader, length: positions * length, in: graph).map { $0 % length })
            default:
                guard ChannelPruning.actsOnEachChannel(node) else { return all }
                read.formUnion(readChannels(of: reader, length: length, in: graph))
            }
            if read.count == length { return all }
        }
        return read
    }

    /// The indices along `axis` of `kernel` (whose length there is `length`) with a nonzero
    /// weight; nil when there is no such kernel.
    static func nonzeroRows(_ kernel: Tensor?, axis: Int, length: Int) -> Set<Int>? {
        guard let kernel, axis >= 0, axis < kernel.shape.count, kernel.shape[axis] == length else { return nil }
        let inner = kernel.shape[(axis + 1)...].reduce(1, *)
        var rows = Set<Int>()
        for (i, value) in kernel.values.enumerated() where value != 0 { rows.insert(i / inner % length) }
        return rows
    }
}
