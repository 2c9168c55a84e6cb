/// `--quantize int8-weights`: every Dense, convolution, depthwise and separable kernel is
/// stored as int8 with one scale per output channel, and computed in float.
///
/// The float weights are replaced by exactly what the int8 storage stands for
/// (`scale[c] · q`), so the float reference of the returned graph is the arithmetic of the
/// compressed model; `NodeQuantization.storedWeights` keeps the int8 values and scales for
/// code generation. Activations and biases stay float; no calibration is needed.
public enum WeightOnlyQuantization {
    public static func apply(_ graph: Graph) -> Graph {
        var result = graph
        for index in result.nodes.indices {
            var node = result.nodes[index]
            // Recurrent layers have no kernel computing in float on int8-stored weights.
            if case .recurrent = node.op { continue }
            var stored: [WeightRole: QuantizedWeights] = [:]
            for role in KernelRows.roles(of: node.op) {
                guard let rows = KernelRows(node, role), let tensor = node.weights[role] else { continue }
                let scales = ChannelWeightQuantization.scales(tensor.values, rows: rows)
                let int8 = QuantizedWeights(
                    shape: tensor.shape, values: ChannelWeightQuantization.quantize(tensor.values, scales: scales),
                    scales: scales)
                stored[role] = int8
                node.weights[role] = Tensor(shape: tensor.shape, values: int8.dequantized)
            }
            guard !stored.isEmpty else { continue }
            node.quantization = NodeQuantization(output: nil, arithmetic: .float, storedWeights: stored)
            result.nodes[index] = node
        }
        return result
    }
}
