/// int8 post-training quantization (TensorFlow Lite's scheme, with gemmlowp's rounding):
/// per-channel symmetric int8 weights, per-tensor asymmetric int8 activations
/// calibrated on sample inputs, int32 biases with the input zero point folded in, and a
/// per-channel fixed-point multiplier and shift.
///
/// The result is the prepared graph (`QuantizationPreparation`) with a `NodeQuantization` on
/// every node. Float weights stay in place (the float reference still runs the graph);
/// `Int8Inference` runs the integer arithmetic the generated C runs.
public enum Quantizer {
    /// Quantizes `graph` to int8, calibrating activations on `samples` (one array of input
    /// tensors per sample) with `method` and rounding weights by `rounding`.
    public static func quantize(
        _ graph: Graph, samples: [[Tensor]], method: CalibrationMethod = .minmax, rounding: WeightRounding = .nearest
    ) throws -> Graph {
        let prepared = try QuantizationPreparation.apply(graph)
        let values = try Calibration.nodeValues(prepared, samples: samples)
        let ranges = try Calibration.ranges(prepared, values: values, method: method)
        let recurrent = try RecurrentCalibration.statistics(prepared, values: values)
        let compensation = rounding == .compensated ? try CompensatedRounding.factors(prepared, values: values) : [:]
        var result = prepared
        for index in result.nodes.indices {
            result.nodes[index].quantization = try quantizeNode(
                index, in: result, range: ranges[index], recurrent: recurrent[index], compensation: compensation[index])
        }
        return result
    }

    static func quantizeNode(
        _ index: Int, in graph: Graph, range: ClosedRange<Float>, recurrent: RecurrentStatistics? = nil,
        compensation: CompensatedRounding.Factors? = nil
    ) throws -> NodeQuantization {
        let node = graph.nodes[index]
        let calibrated = QuantizationParameters(range: range.lowerBound, range.upperBound)
        let inputs = node.inputs.map { graph.nodes[$0].quantization!.output! }
        func fail(_ message: String) -> CompressionError {
            CompressionError(.quantization, layer: node.layerName, message)
        }

        switch node.op {
        case .input:
            return NodeQuantization(output: calibrated, arithmetic: .input)
        case .identity, .flatten, .reshape, .move, .pool, .globalPool:
            return NodeQuantization(output: inputs[0], arithmetic: .passThrough)

        case let .dense(d):
            return try weighted(
                node, role: .kernel, activation: d.activation, input: inputs[0], output: calibrated, compensation: compensation)
        case let .conv(c):
            return try weighted(
                node, role: .kernel, activation: c.activation, input: inputs[0], output: calibrated, compensation: compensation)
        case let .depthwiseConv(c):
            return try weighted(
                node, role: .depthwiseKernel, activation: c.activation, input: inputs[0], output: calibrated,
                compensation: compensation)
        case .separableConv:
            throw fail("a separable convolution must be split before quantization (QuantizationPreparation)")

        case .batchNorm, .rescaling, .normalization:
            guard let (scale, shift) = try channelAffine(node, inputShape: graph.nodes[node.inputs[0]].outputShape) else {
                return NodeQuantization(output: calibrated, arithmetic: .float)
            }
            let layer = try WeightedLayerQuantization.quantize(
                kernel: scale, rows: KernelRows(channels: scale.count, rowLength: 1), bias: shift,
                input: inputs[0], output: calibrated, activation: .linear, layer: node.layerName)
            return NodeQuantization(output: calibrated, arithmetic: .weighted(layer))

        case let .activation(a):
            switch a {
            case .softmax:
                return NodeQuantization(
                    output: SoftmaxTable.outputQuantization,
                    arithmetic: .softmax(ActivationTables.softmax(input: inputs[0])))
            case .logSoftmax:
                return NodeQuantization(output: calibrated, arithmetic: .float)
            default:
                return NodeQuantization(
                    output: calibrated,
                    arithmetic: .lookup(table: ActivationTables.lookup(a, input: inputs[0], output: calibrated)))
            }

        case let .merge(kind):
            switch kind {
            case .add, .subtract, .average:
                return NodeQuantization(output: calibrated, arithmetic: .sum(sumRescale(kind, inputs: inputs, output: calibrated)))
            case .multiply:
                guard inputs.count == 2 else { return NodeQuantization(output: calibrated, arithmetic: .float) }
                let real = Double(inputs[0].scale) * Double(inputs[1].scale) / Double(calibrated.scale)
                return NodeQuantization(output: calibrated, arithmetic: .product(FixedPoint.quantizeMultiplier(real)))
            case .maximum, .minimum:
                return NodeQuantization(output: calibrated, arithmetic: .rescale(inputs: rescales(inputs, to: calibrated)))
            }
        case .concatenate:
            // Inputs that already share one quantization are copied as they are.
            let output = Set(inputs).count == 1 ? inputs[0] : calibrated
            return NodeQuantization(output: output, arithmetic: .rescale(inputs: rescales(inputs, to: output)))

        case let .recurrent(r):
            guard let recurrent else { return NodeQuantization(output: calibrated, arithmetic: .float) }
            let hidden = QuantizationParameters(
                range: min(range.lowerBound, recurrent.hidden.lowerBound), max(range.upperBound, recurrent.hidden.upperBound))
            let features = graph.nodes[node.inputs[0]].outputShape.last ?? 0
            guard
                let layer = try RecurrentQuantization.quantize(
                    node, cell: r, featureCount: features, input: inputs[0], hidden: hidden, largestCell: recurrent.largestCell)
            else { return NodeQuantization(output: calibrated, arithmetic: .float) }
            return NodeQuantization(output: hidden, arithmetic: .recurrent(layer))
        case .prelu, .convTranspose, .layerNorm:
            return NodeQuantization(output: calibrated, arithmetic: .float)
        case .embedding:
            throw fail(
                "Embedding reads integer ids, which int8 inputs cannot carry exactly; keep this model in float or quantize its weights only"
            )
        }
    }

    static func weighted(
        _ node: Node, role: WeightRole, activation: Activation, input: QuantizationParameters,
        output: QuantizationParameters, compensation: CompensatedRounding.Factors? = nil
    ) throws -> NodeQuantization {
        guard let rows = KernelRows(node, role), let kernel = node.weights[role] else {
            throw CompressionError(.quantization, layer: node.layerName, "\(node.kerasClass) has no '\(role.rawValue)' weight")
        }
        guard activation.isClamp else {
            throw CompressionError(
                .quantization, layer: node.layerName,
                "activation \(activation) must be split from the layer before quantization (QuantizationPreparation)")
        }
        let bias = node.weights[.bias]?.values ?? [Float](repeating: 0, count: rows.channels)
        let layer = try WeightedLayerQuantization.quantize(
            kernel: kernel.values, rows: rows, bias: bias, input: input,
            output: output, activation: activation, layer: node.layerName, compensation: compensation)
        return NodeQuantization(output: output, arithmetic: .weighted(layer))
    }

    /// `y = scale[c] · x + shift[c]` over the last axis for BatchNorm, Rescaling and
    /// Normalization, or nil when the op works on another axis (it then stays float).
    static func channelAffine(_ node: Node, inputShape: [Int]) throws -> (scale: [Float], shift: [Float])? {
        guard let channels = inputShape.last else { return nil }
        switch node.op {
        case let .batchNorm(bn):
            guard bn.axis == inputShape.count - 1 else { return nil }
            let affine = try ChannelAffine(node: node, inputShape: inputShape, batchNorm: bn)
            return (affine.scale, affine.shift)
        case let .rescaling(scale, offset):
            guard let s = scale.perChannel(channels), let o = offset.perChannel(channels) else {
                return nil
            }
            return (s, o)
        case let .normalization(n):
            guard n.axis == inputShape.count - 1 || n.axis == -1 else { return nil }
            let mean = try node.channelWeight(.mean, channels: channels)
            let deviation = try node.channelWeight(.variance, channels: channels).map { max($0.squareRoot(), Normalization.epsilon) }
            if n.invert { return (deviation, mean) }
            return (deviation.map { 1 / $0 }, (0..<channels).map { -mean[$0] / deviation[$0] })
        default:
            return nil
        }
    }

    /// TensorFlow Lite's add: inputs less their zero points, shifted left 20 bits, brought to
    /// the scale `2 · max s_i`, summed with their signs, and rescaled to the output.
    static func sumRescale(_ kind: MergeKind, inputs: [QuantizationParameters], output: QuantizationParameters) -> SumRescale {
        let leftShift: Int32 = 20
        let twiceMax = 2 * Double(inputs.map(\.scale).max()!)
        let count = kind == .average ? Double(inputs.count) : 1
        return SumRescale(
            leftShift: leftShift,
            inputs: inputs.map { FixedPoint.quantizeMultiplier(Double($0.scale) / twiceMax) },
            signs: inputs.indices.map { kind == .subtract && $0 > 0 ? -1 : 1 },
            output: FixedPoint.quantizeMultiplier(twiceMax / (Double(1 << leftShift) * Double(output.scale) * count)))
    }

    static func rescales(_ inputs: [QuantizationParameters], to output: QuantizationParameters) -> [Requantization] {
        inputs.map { FixedPoint.quantizeMultiplier(Double($0.scale) / Double(output.scale)) }
    }
}
