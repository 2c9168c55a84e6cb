/// Folds each BatchNormalization into the Dense, convolution, depthwise or separable
/// convolution before it, when that layer's output feeds only the BatchNormalization, has no
/// activation of its own, and the normalisation runs over its channel (last) axis:
/// `W'[…, c] = W[…, c] · scale[c]`, `b' = b · scale[c] + shift[c]` with
/// `scale = gamma / sqrt(variance + ε)` and `shift = beta − mean · scale`, computed as the
/// float reference computes them.
///
/// A BatchNormalization that cannot be folded (after an activation, a pooling, a merge…)
/// stays; the quantizer turns it into a per-channel int8 multiply-add.
public enum BatchNormFolding {
    public static func apply(_ graph: Graph) throws -> Graph {
        var graph = graph
        var index = 0
        while index < graph.nodes.count {
            if let producer = foldableProducer(of: index, in: graph) {
                graph = try fold(batchNorm: index, into: producer, graph)
                // The BatchNorm is gone; the node now at `index` is the one after it.
            } else {
                index += 1
            }
        }
        return graph
    }

    /// The layer a BatchNorm at `index` can fold into, if any.
    static func foldableProducer(of index: Int, in graph: Graph) -> Int? {
        let node = graph.nodes[index]
        guard case let .batchNorm(bn) = node.op, node.inputs.count == 1 else { return nil }
        let producerIndex = node.inputs[0]
        let producer = graph.nodes[producerIndex]
        let rank = producer.outputShape.count
        guard rank > 0, bn.axis == rank - 1 || bn.axis == -1 else { return nil }
        guard producer.fusedActivation == .linear else { return nil }
        switch producer.op {
        case .dense, .conv, .depthwiseConv, .separableConv: break
        default: return nil
        }
        guard !graph.outputs.contains(producerIndex) else { return nil }
        let readers = graph.nodes.indices.filter { graph.nodes[$0].inputs.contains(producerIndex) }
        guard readers == [index] else { return nil }
        // A shared layer's weights serve other calls too; folding would change them.
        guard !graph.isShared(producer) else { return nil }
        return producerIndex
    }

    static func fold(batchNorm index: Int, into producerIndex: Int, _ graph: Graph) throws -> Graph {
        let bn = graph.nodes[index]
        guard case let .batchNorm(parameters) = bn.op else { return graph }
        var producer = graph.nodes[producerIndex]
        let channels = producer.outputShape.last!
        func channelWeight(_ role: WeightRole) throws -> [Float] {
            guard let tensor = bn.weights[role], let values = tensor.values.perChannel(channels) else {
                throw CompressionError(
                    .batchNormFolding, layer: bn.layerName,
                    "BatchNormalization weight '\(role.rawValue)' is missing or does not have \(channels) values")
            }
            return values
        }
        let gamma = try channelWeight(.gamma), beta = try channelWeight(.beta)
        let mean = try channelWeight(.movingMean), variance = try channelWeight(.movingVariance)
        var scale = [Float](repeating: 0, count: channels)
        var shift = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            scale[c] = gamma[c] / (variance[c] + parameters.epsilon).squareRoot()
            shift[c] = beta[c] - mean[c] * scale[c]
        }
        // The kernel whose last axis (or last two, for depthwise) is the output channel.
        let role: WeightRole
        switch producer.op {
        case .depthwiseConv: role = .depthwiseKernel
        case .separableConv: role = .pointwiseKernel
        default: role = .kernel
        }
        guard var kernel = producer.weights[role], let rows = KernelRows(producer, role), rows.channels == channels else {
            throw CompressionError(
                .batchNormFolding, layer: producer.layerName,
                "\(producer.kerasClass) has no '\(role.rawValue)' weight with \(channels) output channels to fold '\(bn.layerName)' into")
        }
        for i in kernel.values.indices { kernel.values[i] *= scale[i % channels] }
        let oldBias = producer.weights[.bias]?.values ?? [Float](repeating: 0, count: channels)
        guard oldBias.count == channels else {
            throw CompressionError(
                .batchNormFolding, layer: producer.layerName, "bias has \(oldBias.count) values for \(channels) channels")
        }
        let bias = (0..<channels).map { oldBias[$0] * scale[$0] + shift[$0] }
        producer.weights[role] = kernel
        producer.weights[.bias] = Tensor(shape: [channels], values: bias)
        switch producer.op {
        case var .dense(d): d.useBias = true; producer.op = .dense(d)
        case var .conv(c): c.useBias = true; producer.op = .conv(c)
        case var .depthwiseConv(c): c.useBias = true; producer.op = .depthwiseConv(c)
        case var .separableConv(c): c.useBias = true; producer.op = .separableConv(c)
        default: break
        }
        producer.parameterCount = producer.weights.values.reduce(0) { $0 + $1.count }
        var result = graph
        result.nodes[producerIndex] = producer
        return result.removingNode(index)
    }
}
