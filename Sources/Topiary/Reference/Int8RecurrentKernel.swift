/// SimpleRNN, GRU and LSTM in integers (`QuantizedRecurrent`): the arithmetic of
/// `tp_simple_rnn_s8`, `tp_gru_s8`, `tp_gru_reset_before_s8` and `tp_lstm_s8`, step for step,
/// so that the C and this reference agree bit for bit.
struct Int8RecurrentKernel: Int8Kernel {
    let cell: Recurrent
    let layer: QuantizedRecurrent
    let timesteps: Int
    let features: Int

    init(node: Node, inputShape: [Int], cell: Recurrent, layer: QuantizedRecurrent) throws {
        let width = cell.kind.gateCount * cell.units
        guard inputShape.count == 2, cell.units > 0, layer.width == width,
            layer.inputWeights.count == width * inputShape[1], layer.recurrentWeights.count == width * cell.units
        else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(node.kerasClass) has integer weights that do not fit an input \(inputShape) and \(cell.units) units")
        }
        self.cell = cell
        self.layer = layer
        timesteps = inputShape[0]
        features = inputShape[1]
    }

    private typealias Table = Q15ActivationTable

    func forward(_ inputs: [[Int8]]) throws -> [Int8] {
        let x = inputs[0]
        let u = cell.units
        let width = layer.width
        var h = [Int8](repeating: Int8(layer.outputZeroPoint), count: u)
        var c = [Int32](repeating: 0, count: u)
        var gx = [Int32](repeating: 0, count: width)
        var gh = [Int32](repeating: 0, count: width)
        var output: [Int8] = []
        output.reserveCapacity(cell.returnSequences ? timesteps * u : u)
        let recurrentRows = cell.kind == .gru && !cell.resetAfter ? 2 * u : width
        for step in 0..<timesteps {
            let t = cell.goBackwards ? timesteps - 1 - step : step
            project(
                rows: width, length: features, weights: layer.inputWeights, bias: layer.inputBias,
                requantization: layer.inputRequantization, x: x[(t * features)..<((t + 1) * features)], into: &gx)
            project(
                rows: recurrentRows, length: u, weights: layer.recurrentWeights, bias: layer.recurrentBias,
                requantization: layer.recurrentRequantization, x: h[...], into: &gh)
            func gate(_ channel: Int) -> Int32 { Table.saturate16(gx[channel] + gh[channel]) }
            switch cell.kind {
            case .simpleRNN:
                for j in 0..<u {
                    if cell.activation == .tanh {
                        h[j] = hidden(Table.lookup(Table.tanh, gate(j)))
                    } else {
                        h[j] = Int8(min(max(gate(j) + layer.outputZeroPoint, layer.outputMin), layer.outputMax))
                    }
                }
            case .lstm:
                let cs = layer.cellShift
                for j in 0..<u {
                    let i = Table.lookup(Table.sigmoid, gate(j))
                    let f = Table.lookup(Table.sigmoid, gate(u + j))
                    let g = Table.lookup(Table.tanh, gate(2 * u + j))
                    let o = Table.lookup(Table.sigmoid, gate(3 * u + j))
                    let cell = Table.saturate16(
                        FixedPoint.roundingDivideByPowerOfTwo(f * c[j], 15) + FixedPoint.roundingDivideByPowerOfTwo(i * g, 30 - cs))
                    let c12 = cs >= 12 ? FixedPoint.roundingDivideByPowerOfTwo(cell, cs - 12) : Table.saturate16(cell * (1 << (12 - cs)))
                    c[j] = cell
                    h[j] = hidden(o * Table.lookup(Table.tanh, c12))
                }
            case .gru where cell.resetAfter:
                for j in 0..<u {
                    let z = Table.lookup(Table.sigmoid, gate(j))
                    let r = Table.lookup(Table.sigmoid, gate(u + j))
                    let reset = FixedPoint.roundingDivideByPowerOfTwo(r * gh[2 * u + j], 15)
                    let candidate = Table.lookup(Table.tanh, Table.saturate16(gx[2 * u + j] + reset))
                    h[j] = update(z: z, candidate: candidate, h: h[j])
                }
            case .gru:
                var z = [Int32](repeating: 0, count: u)
                var reset = [Int32](repeating: 0, count: u)
                for j in 0..<u {
                    let r = Table.lookup(Table.sigmoid, gate(u + j))
                    z[j] = Table.lookup(Table.sigmoid, gate(j))
                    reset[j] = FixedPoint.roundingDivideByPowerOfTwo(r * (Int32(h[j]) - layer.outputZeroPoint), 15)
                }
                for j in 0..<u {
                    let row = 2 * u + j
                    var acc = layer.recurrentBias[row]
                    for k in 0..<u { acc &+= Int32(layer.recurrentWeights[row * u + k]) * reset[k] }
                    let requantization = layer.recurrentRequantization[row]
                    let product = Table.saturate16(
                        FixedPoint.multiplyByQuantizedMultiplier(acc, requantization.multiplier, requantization.shift))
                    gx[j] = Table.lookup(Table.tanh, Table.saturate16(gx[row] + product))
                }
                for j in 0..<u { h[j] = update(z: z[j], candidate: gx[j], h: h[j]) }
            }
            if cell.returnSequences || step == timesteps - 1 { output.append(contentsOf: h) }
        }
        return output
    }

    /// `sat16(MBQM(bias[c] + rows[c] · x))` for the first `rows` rows.
    private func project(
        rows: Int, length: Int, weights: [Int8], bias: [Int32], requantization: [Requantization], x: ArraySlice<Int8>,
        into out: inout [Int32]
    ) {
        let start = x.startIndex
        for c in 0..<rows {
            var acc = bias[c]
            let base = c * length
            for k in 0..<length { acc &+= Int32(weights[base + k]) * Int32(x[start + k]) }
            out[c] = Q15ActivationTable.saturate16(
                FixedPoint.multiplyByQuantizedMultiplier(acc, requantization[c].multiplier, requantization[c].shift))
        }
    }

    /// `zp + MBQM(value, output)` clamped: `tp_recurrent_hidden_s8`.
    private func hidden(_ value: Int32) -> Int8 {
        FixedPoint.requantize(
            value, layer.outputRequantization, zeroPoint: layer.outputZeroPoint, low: layer.outputMin, high: layer.outputMax)
    }

    /// `tp_gru_update_s8`: `z · (h − zp)` plus `(1 − z) · candidate` rescaled, over `2^15`.
    private func update(z: Int32, candidate: Int32, h: Int8) -> Int8 {
        let kept = z * (Int32(h) - layer.outputZeroPoint)
        let m = layer.outputRequantization
        let added = FixedPoint.multiplyByQuantizedMultiplier((32768 - z) * candidate, m.multiplier, m.shift)
        let v = FixedPoint.roundingDivideByPowerOfTwo(kept + added, 15) + layer.outputZeroPoint
        return Int8(min(max(v, layer.outputMin), layer.outputMax))
    }
}
