import Foundation

/// Builds the int8 form (`QuantizedLayer`) of a Dense, convolution, depthwise convolution or
/// per-channel affine from its float weights and the quantization of its input and output.
enum WeightedLayerQuantization {
    /// The most steps of its scale a bias may take (see the scale floor in `quantize`).
    static let biasSteps = Double(1 << 24)

    /// `kernel` is in the Keras layout described by `rows` (channel `i % channels`); `bias`
    /// has one value per channel. With `compensation`, the weights are rounded by
    /// `CompensatedRounding` (and the bias takes what it moved) instead of to the nearest step.
    static func quantize(
        kernel: [Float], rows: KernelRows, bias: [Float], input: QuantizationParameters,
        output: QuantizationParameters, activation: Activation, layer: String,
        compensation: CompensatedRounding.Factors? = nil
    ) throws -> QuantizedLayer {
        var scales = ChannelWeightQuantization.scales(kernel, rows: rows)
        // A channel whose weights are all but zero (a kept weight refitted to almost nothing)
        // gets a scale so small that its bias would not fit in int32. Such a channel's scale
        // is raised until its bias takes at most 2^24 steps of the bias scale (float's own
        // precision for the bias); its weights are then negligible and round to zero.
        for c in 0..<rows.channels where bias[c] != 0 && input.scale > 0 {
            let floor = Float(Double(abs(bias[c])) / (Double(input.scale) * Self.biasSteps))
            if floor.isFinite, scales[c] < floor { scales[c] = floor }
        }
        var bias = bias
        let quantized: [Int8]
        if let compensation {
            (quantized, bias) = compensation.round(kernel, rows: rows, scales: scales, bias: bias)
        } else {
            quantized = ChannelWeightQuantization.quantize(kernel, scales: scales)
        }
        // Rows, one per output channel.
        var weights = [Int8](repeating: 0, count: quantized.count)
        for c in 0..<rows.channels {
            for r in 0..<rows.rowLength {
                weights[c * rows.rowLength + r] = quantized[rows.index(channel: c, position: r)]
            }
        }
        var foldedBias: [Int32] = []
        var requantization: [Requantization] = []
        for c in 0..<rows.channels {
            let biasScale = Double(input.scale) * Double(scales[c])
            let rowSum = weights[(c * rows.rowLength)..<((c + 1) * rows.rowLength)].reduce(Int64(0)) { $0 + Int64($1) }
            let biasValue = (Double(bias[c]) / biasScale).rounded()
            guard biasValue.isFinite, abs(biasValue) < 1e15 else {
                throw CompressionError(
                    .quantization, layer: layer, "the bias of channel \(c) (\(bias[c])) cannot be represented at scale \(biasScale)")
            }
            let folded = Int64(biasValue) - Int64(input.zeroPoint) * rowSum
            guard let value = Int32(exactly: folded) else {
                throw CompressionError(
                    .quantization, layer: layer,
                    "the int32 bias of channel \(c) overflows (\(folded)): the bias is too large for the input's scale \(input.scale); recalibrate with data that covers this layer's inputs"
                )
            }
            foldedBias.append(value)
            requantization.append(FixedPoint.quantizeMultiplier(biasScale / Double(output.scale)))
        }
        let clamp = outputClamp(activation, output: output)
        return QuantizedLayer(
            outputChannels: rows.channels, rowLength: rows.rowLength, weights: weights, weightScales: scales,
            bias: foldedBias, requantization: requantization, inputZeroPoint: input.zeroPoint,
            outputZeroPoint: output.zeroPoint, outputMin: clamp.low, outputMax: clamp.high)
    }

    /// The int8 interval a clamp activation leaves: all of it for linear; from the zero point
    /// (real 0) for ReLU; up to the code of the maximum for ReLU6 and its kin.
    static func outputClamp(_ activation: Activation, output: QuantizationParameters) -> (low: Int32, high: Int32) {
        switch activation {
        case let .relu(_, maxValue, _):
            let low = max(output.zeroPoint, -128)
            guard let maxValue else { return (low, 127) }
            let top = Double(output.zeroPoint) + (Double(maxValue) / Double(output.scale)).rounded()
            return (low, Int32(min(max(top, Double(low)), 127)))
        default:
            return (-128, 127)
        }
    }
}
