import Foundation

/// Builds the integer form (`QuantizedRecurrent`) of a SimpleRNN, GRU or LSTM from its float
/// weights, the quantization of its input and hidden state, and its calibrated cell state.
enum RecurrentQuantization {
    /// The integer layer, or nil when its activations have no integer form (they must be tanh
    /// with sigmoid or hard sigmoid gates; a SimpleRNN may also be ReLU or linear): such a
    /// layer stays float.
    static func quantize(
        _ node: Node, cell: Recurrent, featureCount features: Int, input: QuantizationParameters,
        hidden: QuantizationParameters, largestCell: Float
    ) throws -> QuantizedRecurrent? {
        let saturating: Bool
        switch cell.kind {
        case .simpleRNN:
            guard cell.activation == .tanh || cell.activation.isClamp else { return nil }
            saturating = cell.activation == .tanh
        case .gru, .lstm:
            guard cell.activation == .tanh, Q15ActivationTable.hardSigmoidDivisor(cell.recurrentActivation) != nil else { return nil }
            saturating = true
        }
        let units = cell.units
        let width = cell.kind.gateCount * units
        let resetAfter = cell.kind == .gru && cell.resetAfter
        func fail(_ message: String) -> CompressionError {
            CompressionError(.quantization, layer: node.layerName, message)
        }
        guard let kernel = node.weights[.kernel]?.values, kernel.count == features * width,
            let recurrent = node.weights[.recurrentKernel]?.values, recurrent.count == units * width
        else {
            throw fail("\(node.kerasClass) has no kernel [\(features), \(width)] and recurrent kernel [\(units), \(width)]")
        }
        // The real bias of each gate channel's shared accumulator, and a GRU's candidate
        // recurrent bias, which the reset gate multiplies apart from it.
        var bias = [Float](repeating: 0, count: width)
        var candidateBias: [Float] = []
        if let values = node.weights[.bias]?.values {
            guard values.count == (resetAfter ? 2 * width : width) else {
                throw fail("\(node.kerasClass) has a bias of \(values.count) values; expected \(resetAfter ? 2 * width : width)")
            }
            bias = Array(values[0..<width])
            if resetAfter {
                for c in 0..<(2 * units) { bias[c] += values[width + c] }
                candidateBias = Array(values[(width + 2 * units)...])
            }
        } else if resetAfter {
            candidateBias = [Float](repeating: 0, count: units)
        }

        // Both products of channel `c` count in steps of `scales[c]`: the largest real
        // contribution of one input step (weight · activation scale) over both maps to 127.
        let sx = Double(input.scale), sh = Double(hidden.scale)
        var scales = [Double](repeating: 0, count: width)
        for c in 0..<width {
            var largest = 0.0
            for k in 0..<features { largest = max(largest, abs(Double(kernel[k * width + c])) * sx) }
            for k in 0..<units { largest = max(largest, abs(Double(recurrent[k * width + c])) * sh) }
            scales[c] = largest / 127
        }
        let fallback = (scales.max() ?? 0) > 0 ? scales.max()! : 1.0 / 127
        for c in 0..<width {
            if scales[c] == 0 { scales[c] = fallback }
            // A bias the scale cannot hold in 2^24 steps raises the scale (float's own precision).
            let candidate = c >= 2 * units && resetAfter ? abs(Double(candidateBias[c - 2 * units])) : 0
            scales[c] = max(scales[c], max(abs(Double(bias[c])), candidate) / Double(1 << 24))
        }
        // Pre-activations in Q3.12, or at the hidden scale for a ReLU or linear SimpleRNN.
        let gateScale = saturating ? 1.0 / 4096 : sh
        let gates = fitGateScales(&scales, gateScale: gateScale)
        func step(_ value: Float, _ activationScale: Double, _ c: Int) -> Int8 {
            Int8(min(max((Double(value) * activationScale / scales[c]).rounded(), -127), 127))
        }
        var inputWeights = [Int8](repeating: 0, count: width * features)
        var recurrentWeights = [Int8](repeating: 0, count: width * units)
        for c in 0..<width {
            for k in 0..<features { inputWeights[c * features + k] = step(kernel[k * width + c], sx, c) }
            for k in 0..<units { recurrentWeights[c * units + k] = step(recurrent[k * width + c], sh, c) }
        }
        func integer(_ value: Double, channel c: Int) throws -> Int32 {
            guard value.isFinite, let result = Int32(exactly: value.rounded()) else {
                throw fail(
                    "the int32 bias of gate channel \(c) overflows at scale \(scales[c]); recalibrate with data that covers this layer's inputs"
                )
            }
            return result
        }
        var folded: [Int32] = []
        for c in 0..<width {
            let rowSum = inputWeights[(c * features)..<((c + 1) * features)].reduce(0.0) { $0 + Double($1) }
            folded.append(try integer(Double(bias[c]) / scales[c] - Double(input.zeroPoint) * rowSum, channel: c))
        }
        let recurrentBias = try candidateBias.indices.map { j in
            try integer(Double(candidateBias[j]) / scales[2 * units + j], channel: 2 * units + j)
        }
        let outputReal: Double
        switch cell.kind {
        case .lstm: outputReal = pow(2, -30) / sh
        case .gru, .simpleRNN: outputReal = saturating ? pow(2, -15) / sh : 0
        }
        let clamp = WeightedLayerQuantization.outputClamp(cell.activation, output: hidden)
        return QuantizedRecurrent(
            inputWeights: inputWeights, recurrentWeights: recurrentWeights, productScales: scales.map { Float($0) },
            bias: folded, recurrentBias: recurrentBias, gateMultipliers: gates.multipliers, gateShift: gates.shift,
            outputRequantization: FixedPoint.quantizeMultiplier(outputReal),
            cellShift: cell.kind == .lstm ? cellShift(largestCell) : 0, outputZeroPoint: hidden.zeroPoint,
            outputMin: clamp.low, outputMax: clamp.high)
    }

    /// Rounds each channel's scale up to the grid of `gateScale · 2^(shift − 16)`, the shift
    /// one for the layer, fixed by the largest scale: channel `c` then reaches its gate in
    /// exactly `multipliers[c] · 2^(shift − 16)`, stored in two bytes with no per-channel
    /// shift. A scale grows by less than one step of the grid, at most 2^−15 of the largest:
    /// its weights keep their resolution. A channel far below the largest stops at one step.
    static func fitGateScales(_ scales: inout [Double], gateScale: Double) -> (multipliers: [UInt16], shift: Int32) {
        let largest = (scales.max() ?? 0) / gateScale
        var shift = largest > 0 && largest.isFinite ? Int32(frexp(largest).1) : 0
        if (largest * pow(2, Double(16 - shift))).rounded(.up) > Double(UInt16.max) { shift += 1 }
        shift = min(max(shift, -31), 30)
        let step = gateScale * pow(2, Double(shift - 16))
        var multipliers: [UInt16] = []
        for c in scales.indices {
            let steps = min(max((scales[c] / step).rounded(.up), 1), Double(UInt16.max))
            multipliers.append(UInt16(steps))
            scales[c] = max(scales[c], steps * step)
        }
        return (multipliers, shift)
    }

    /// The cell state's scale `2^−shift`: the finest that still holds `largest` (`|c| < 2^(15 − shift)`).
    static func cellShift(_ largest: Float) -> Int32 {
        guard largest.isFinite, largest > 1 else { return 15 }
        let integerBits = Int32(ceil(log2(Double(largest)) + 1e-9))
        return max(0, 15 - integerBits)
    }
}
