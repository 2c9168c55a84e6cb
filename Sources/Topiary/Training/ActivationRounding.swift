/// The int8 rounding of the activations, seen in float: what training "through the int8
/// model" applies to every tensor the integer model stores in int8, with the scales and zero
/// points calibration gives the model being trained (straight-through estimator: the
/// backward pass treats the rounding as the identity).
///
/// The integer model rounds each node output of the quantizer's prepared graph
/// (`QuantizationPreparation`): the training graph's nodes are matched to them by name. A
/// non-clamp activation fused into a Dense or convolution is its own node there
/// (`NAME/activation`), so the layer's input to the activation is rounded as well as its
/// output; a ReLU that the quantizer fuses into the layer before it has no node of its own,
/// and that layer's output is rounded to the ReLU's range instead (which clips below zero,
/// as the fused clamp does). Pooling, flattening and the other pass-through ops keep their
/// input's parameters, so an average pooling's output is rounded to its input's grid, as
/// the integer kernel does. The tensor inside a separable convolution is not rounded.
struct ActivationRounding: Sendable {
    /// Per training-graph node: the parameters of its input to the activation, and of its
    /// output, where the integer model rounds them.
    let beforeActivation: [QuantizationParameters?]
    let output: [QuantizationParameters?]

    /// Calibrates `graph` (the model being trained, BatchNorm folded) on `samples` by `method`
    /// and matches the int8 parameters to the nodes of `net`.
    init(_ net: TrainingGraph, calibrating graph: Graph, samples: [[Tensor]], method: CalibrationMethod) throws {
        let quantized = try Quantizer.quantize(graph, samples: samples, method: method)
        var byName: [String: Int] = [:]
        for (index, node) in quantized.nodes.enumerated() { byName[node.name] = index }
        func parameters(_ name: String) -> QuantizationParameters? {
            byName[name].flatMap { quantized.nodes[$0].quantization?.output }
        }
        var before: [QuantizationParameters?] = []
        var after: [QuantizationParameters?] = []
        for node in net.graph.nodes {
            if let split = byName[node.name + "/activation"], quantized.nodes[split].inputs == [byName[node.name]] {
                before.append(parameters(node.name))
                after.append(parameters(node.name + "/activation"))
            } else {
                before.append(nil)
                after.append(parameters(node.name))
            }
        }
        beforeActivation = before
        output = after
    }

    /// `values` rounded to the int8 grid of `parameters` (clipped to its range), in place, as
    /// `QuantizationParameters.quantize` and `dequantize` would.
    static func round(_ values: inout [Float], _ parameters: QuantizationParameters) {
        let scale = parameters.scale
        let low = Float(-128 - parameters.zeroPoint), high = Float(127 - parameters.zeroPoint)
        values.withUnsafeMutableBufferPointer { v in
            for i in v.indices {
                let t = min(max((v[i] / scale).rounded(), low), high)
                v[i] = t * scale
            }
        }
    }
}
