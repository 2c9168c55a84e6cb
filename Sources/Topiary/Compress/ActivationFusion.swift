/// Fuses each standalone ReLU / ReLU6 (an activation node that clamps: `ReLU`,
/// `Activation('relu')`, `ReLU(max_value=6)`) into the Dense or convolution before it, when that
/// layer has no activation of its own and the activation is its only reader: the layer's kernel
/// then clamps each output as it writes it, and the separate pass over the tensor (about as
/// many instructions per value as the clamp itself saves on the core) goes. The reference gives
/// bit-identical outputs before and after: the clamp is the same function either way.
public enum ActivationFusion {
    public static func apply(_ graph: Graph) -> Graph {
        var graph = graph
        var index = 0
        while index < graph.nodes.count {
            if !fuse(index, &graph) { index += 1 }
        }
        return graph
    }

    /// Fuses the activation node at `index` into its producer when it can; true when it did (the
    /// node is gone and `index` now holds the one after it).
    static func fuse(_ index: Int, _ graph: inout Graph) -> Bool {
        guard case let .activation(activation) = graph.nodes[index].op, activation.isClamp, activation != .linear,
            let producer = fusableProducer(of: index, graph)
        else { return false }
        graph[producer].op = withActivation(graph[producer].op, activation)
        graph = graph.removingNode(index)
        return true
    }

    static func isWeighted(_ op: Op) -> Bool {
        switch op {
        case .dense, .conv, .depthwiseConv: return true
        default: return false
        }
    }

    /// The Dense/convolution before the activation node at `index` that can absorb it.
    static func fusableProducer(of index: Int, _ graph: Graph) -> Int? {
        let node = graph.nodes[index]
        guard node.inputs.count == 1 else { return nil }
        let producer = node.inputs[0]
        guard isWeighted(graph.nodes[producer].op), graph.nodes[producer].fusedActivation == .linear,
            !graph.outputs.contains(producer),
            graph.nodes.indices.filter({ graph.nodes[$0].inputs.contains(producer) }) == [index],
            !graph.isShared(graph.nodes[producer])
        else { return nil }
        return producer
    }

    static func withActivation(_ op: Op, _ activation: Activation) -> Op {
        switch op {
        case var .dense(d): d.activation = activation; return .dense(d)
        case var .conv(c): c.activation = activation; return .conv(c)
        case var .depthwiseConv(c): c.activation = activation; return .depthwiseConv(c)
        default: return op
        }
    }
}
