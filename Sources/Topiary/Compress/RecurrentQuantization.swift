import Foundation

/// Builds the integer form (`QuantizedRecurrent`) of a SimpleRNN, GRU or LSTM from its float
/// weights, the quantization of its input and hidden state, and its calibrated cell state.
enum RecurrentQuantization {
    /// The integer layer, or nil when its activations have no integer form (they must be tanh
    /// with sigmoid gates; a SimpleRNN may also be ReLU or linear): such a layer stays float.
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
            guard cell.activation == .tanh, cell.recurrentActivation == .sigmoid else { return nil }
            saturating = true
        }
        let units = cell.units
        let width = cell.kind.gateCount * units
        func fail(_ message: String) -> CompressionError {
            CompressionError(.quantization, layer: node.layerName, message)
        }
        guard let kernel = node.weights[.kernel], kernel.count == features * width,
            let recurrent = node.weights[.recurrentKernel], recurrent.count == units * width
        else {
            throw fail("\(node.kerasClass) has no kernel [\(features), \(width)] and recurrent kernel [\(units), \(width)]")
        }
        var inputBias = [Float](repeating: 0, count: width)
        var recurrentBias = [Float](repeating: 0, count: width)
        if let bias = node.weights[.bias]?.values {
            let resetAfter = cell.kind == .gru && cell.resetAfter
            guard bias.count == (resetAfter ? 2 * width : width) else {
                throw fail("\(node.kerasClass) has a bias of \(bias.count) values; expected \(resetAfter ? 2 * width : width)")
            }
            inputBias = Array(bias[0..<width])
            if resetAfter { recurrentBias = Array(bias[width...]) }
        }
        // With the reset gate before the product, the candidate's rows read `r ⊙ (h − zp_h)`:
        // no zero point to fold, and no bias.
        let centredRows = cell.kind == .gru && !cell.resetAfter ? (2 * units)..<width : width..<width
        // Pre-activations in Q3.12, or at the hidden scale for a ReLU or linear SimpleRNN.
        let gateScale = saturating ? Double(1) / 4096 : Double(hidden.scale)
        let x = try side(
            kernel.values, rowLength: features, bias: inputBias, input: input, gateScale: gateScale, centred: width..<width,
            fail: fail)
        let h = try side(
            recurrent.values, rowLength: units, bias: recurrentBias, input: hidden, gateScale: gateScale,
            centred: centredRows, fail: fail)
        let outputReal: Double
        switch cell.kind {
        case .lstm: outputReal = pow(2, -30) / Double(hidden.scale)
        case .gru, .simpleRNN: outputReal = saturating ? pow(2, -15) / Double(hidden.scale) : 0
        }
        let clamp = WeightedLayerQuantization.outputClamp(cell.activation, output: hidden)
        return QuantizedRecurrent(
            inputWeights: x.rows, recurrentWeights: h.rows, inputWeightScales: x.scales, recurrentWeightScales: h.scales,
            inputBias: x.bias, recurrentBias: h.bias, inputRequantization: x.requantization,
            recurrentRequantization: h.requantization, outputRequantization: FixedPoint.quantizeMultiplier(outputReal),
            cellShift: cell.kind == .lstm ? cellShift(largestCell) : 0, outputZeroPoint: hidden.zeroPoint,
            outputMin: clamp.low, outputMax: clamp.high)
    }

    /// The cell state's scale `2^−shift`: the finest that still holds `largest` (`|c| < 2^(15 − shift)`).
    static func cellShift(_ largest: Float) -> Int32 {
        guard largest.isFinite, largest > 1 else { return 15 }
        let integerBits = Int32(ceil(log2(Double(largest)) + 1e-9))
        return max(0, 15 - integerBits)
    }

    /// One of the two products of every gate channel: rows of int8 weights (a scale per gate
    /// channel), int32 biases with the input's zero point folded in (except in `centred` rows,
    /// which read zero-centred values), and the rescaling to the gate scale.
    private static func side(
        _ values: [Float], rowLength: Int, bias: [Float], input: QuantizationParameters, gateScale: Double,
        centred: Range<Int>, fail: (String) -> CompressionError
    ) throws -> (rows: [Int8], scales: [Float], bias: [Int32], requantization: [Requantization]) {
        let width = bias.count
        let layout = KernelRows(channels: width, rowLength: rowLength)
        let scales = ChannelWeightQuantization.scales(values, rows: layout)
        let quantized = ChannelWeightQuantization.quantize(values, scales: scales)
        var rows = [Int8](repeating: 0, count: quantized.count)
        for c in 0..<width {
            for k in 0..<rowLength { rows[c * rowLength + k] = quantized[layout.index(channel: c, position: k)] }
        }
        var folded: [Int32] = []
        var requantization: [Requantization] = []
        for c in 0..<width {
            let scale = Double(input.scale) * Double(scales[c])
            let rowSum = rows[(c * rowLength)..<((c + 1) * rowLength)].reduce(Int64(0)) { $0 + Int64($1) }
            let zeroPoint = centred.contains(c) ? 0 : Int64(input.zeroPoint)
            let value = (Double(bias[c]) / scale).rounded()
            guard value.isFinite, abs(value) < 1e15, let total = Int32(exactly: Int64(value) - zeroPoint * rowSum) else {
                throw fail(
                    "the int32 bias of gate channel \(c) (\(bias[c])) overflows at scale \(scale); recalibrate with data that covers this layer's inputs"
                )
            }
            folded.append(total)
            requantization.append(FixedPoint.quantizeMultiplier(scale / gateScale))
        }
        return (rows, scales, folded, requantization)
    }
}
