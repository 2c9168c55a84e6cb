/// Empirical bias correction of an int8 graph (Nagel et al. 2019, "Data-Free Quantization
/// Through Weight Equalization and Bias Correction", §4.2; Banner et al. 2019, "Post training
/// 4-bit quantization of convolutional networks for rapid-deployment"): rounding the weights
/// to int8 shifts the mean of each output channel by `E[(W − W̃)·x]`, and that shift passes
/// from layer to layer. Each Dense and convolution gets that mean, measured on the calibration
/// samples, added to its int32 bias.
///
/// Layers are corrected in graph order, each on the inputs the integer model produces with
/// every layer before it already corrected, so that a layer's correction also absorbs what
/// remains of the shifts upstream instead of compounding them. Only the int32 biases change:
/// weights, scales, multipliers and the integer arithmetic are those the quantizer chose.
public enum BiasCorrection {
    /// What the correction did, for the command line.
    public struct Summary: Equatable, Sendable, CustomStringConvertible {
        /// The layers whose int32 biases moved, in graph order.
        public var layers: [String]
        public var sampleCount: Int

        public var description: String {
            "bias correction: moved the int32 biases of \(layers.count) layer\(layers.count == 1 ? "" : "s") by the mean int8 weight rounding error on \(sampleCount) calibration sample\(sampleCount == 1 ? "" : "s")"
        }
    }

    /// `graph` (int8, as the `Quantizer` made it) with the biases of its Dense and
    /// convolution layers corrected on `samples` (one array of float input tensors per sample).
    public static func apply(_ graph: Graph, samples: [[Tensor]]) throws -> (graph: Graph, summary: Summary) {
        guard graph.precision == .int8 else {
            throw CompressionError(
                .quantization, "bias correction adjusts the int32 biases of an int8 model; quantize the model to int8 first")
        }
        guard !samples.isEmpty else {
            throw CompressionError(.calibration, "bias correction measures the int8 rounding error on calibration samples; none were given")
        }
        // The reference engines' walk, with every sample at once as one node's value: a layer's
        // correction needs the inputs of all of them.
        let walked = graph
        let quantizedInputs = walked.inputs.enumerated().map { position, index in
            let quantization = walked.nodes[index].quantization!.output!
            return samples.map { $0[position].values.map(quantization.quantize) }
        }
        var graph = graph
        var corrected: [String] = []
        _ = try walked.evaluate(quantizedInputs, lastReaders: walked.lastReaders, keepAll: false) { index, inputs in
            let node = graph.nodes[index]
            if case let .weighted(layer) = node.quantization?.arithmetic,
                let updated = try correct(layer, of: node, in: graph, inputs: inputs[0])
            {
                graph.nodes[index].quantization!.arithmetic = .weighted(updated)
                if updated.bias != layer.bias { corrected.append(node.layerName) }
            }
            // Only input nodes have no kernel, and the walk does not compute them.
            let kernel = try Int8Inference.makeKernel(graph.nodes[index], graph: graph)!
            return try concurrentMap(samples.count) { s in
                try kernel.forward(inputs.map { $0[s] })
            } failing: { s, error in
                CompressionError(.quantization, layer: node.layerName, "calibration sample \(s): \(error)")
            }
        }
        return (graph, Summary(layers: corrected, sampleCount: samples.count))
    }

    /// `layer` with `E[(W − W̃)·x]` added to its bias, in steps of the bias scale, measured on
    /// `inputs` (one int8 input per sample); nil for a layer without a float kernel to compare
    /// with (a per-channel affine, whose single weight per channel int8 holds exactly).
    static func correct(_ layer: QuantizedLayer, of node: Node, in graph: Graph, inputs: [[Int8]]) throws -> QuantizedLayer? {
        guard let (role, rows) = KernelRows.quantizedKernel(of: node), let kernel = node.weights[role]?.values,
            rows.channels == layer.outputChannels, rows.rowLength == layer.rowLength
        else { return nil }
        let loop = try WeightedLayerLoop(node: node, inputShape: graph.nodes[node.inputs[0]].outputShape, layer: layer)
        let patch = try meanPatch(loop, layer: layer, inputs: inputs)
        let length = layer.rowLength
        var result = layer
        for c in 0..<layer.outputChannels {
            // In units of the bias scale s_x·s_w[c]: the weight's rounding residual W/s_w − w_q
            // times the centred input x_q − zp.
            let scale = Double(layer.weightScales[c])
            let mean = patch.means[c / patch.groupOutputs]
            var shift = 0.0
            for r in 0..<length {
                let residual = Double(kernel[rows.index(channel: c, position: r)]) / scale - Double(layer.weights[c * length + r])
                shift += residual * mean[r]
            }
            guard let bias = Int32(exactly: Int64(layer.bias[c]) + Int64(shift.rounded())) else {
                throw CompressionError(
                    .quantization, layer: node.layerName,
                    "the corrected int32 bias of channel \(c) overflows; the calibration data drives this layer's inputs beyond what int8 can carry"
                )
            }
            result.bias[c] = bias
        }
        return result
    }

    /// The mean, over samples and output positions, of the centred input row (`x_q − zp`,
    /// zero on padding) each group of output channels reads: one row for a Dense layer or a
    /// convolution, one per input channel for a depthwise one. Sums are exact integers, so
    /// the result does not depend on the order the samples are visited in.
    static func meanPatch(
        _ loop: WeightedLayerLoop, layer: QuantizedLayer, inputs: [[Int8]]
    ) throws -> (means: [[Double]], groupOutputs: Int) {
        let length = layer.rowLength, zeroPoint = Int64(layer.inputZeroPoint)
        let groupOutputs: Int
        let groups: Int
        switch loop.kind {
        case .dense:
            groupOutputs = layer.outputChannels
            groups = 1
        case let .convolution(_, _, outputs):
            groupOutputs = outputs
            groups = layer.outputChannels / outputs
        case .affine:
            throw CompressionError(.quantization, "a per-channel affine has no input rows to correct its bias on")
        }
        let sums = concurrentMap(inputs.count) { s in
            let x = inputs[s]
            var sum = [Int64](repeating: 0, count: groups * length)
            switch loop.kind {
            case let .dense(rowCount):
                for p in 0..<rowCount {
                    for r in 0..<length { sum[r] += Int64(x[p * length + r]) - zeroPoint }
                }
            case let .convolution(g, groupWidth, _):
                let taps = g.tapCount
                for p in 0..<g.outputPositions {
                    for t in 0..<taps {
                        let pixel = Int(g.taps[p * taps + t])
                        // A tap in the padding reads the zero point: a centred zero.
                        guard pixel >= 0 else { continue }
                        for group in 0..<groups {
                            for ci in 0..<groupWidth {
                                sum[group * length + t * groupWidth + ci] +=
                                    Int64(x[pixel * g.channels + group * groupWidth + ci]) - zeroPoint
                            }
                        }
                    }
                }
            case .affine:
                break
            }
            return sum
        }
        var total = [Int64](repeating: 0, count: groups * length)
        for sum in sums {
            for i in total.indices { total[i] += sum[i] }
        }
        let count = Double(inputs.count * loop.positions)
        let means = (0..<groups).map { group in (0..<length).map { Double(total[group * length + $0]) / count } }
        return (means, groupOutputs)
    }
}
