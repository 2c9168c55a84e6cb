/// SimpleRNN, GRU and LSTM in integers (`QuantizedRecurrent`): the arithmetic of
/// `tp_simple_rnn_s8`, `tp_gru_s8`, `tp_gru_reset_before_s8` and `tp_lstm_s8`, step for step,
/// so that the C and this reference agree bit for bit.
struct Int8RecurrentKernel: Int8Kernel {
    let cell: Recurrent
    let layer: QuantizedRecurrent
    let timesteps: Int
    let features: Int

    /// `layer` fits `inputShape` and `cell`: `Graph.validate()` checked it.
    init(inputShape: [Int], cell: Recurrent, layer: QuantizedRecurrent) {
        self.cell = cell
        self.layer = layer
        timesteps = inputShape[0]
        features = inputShape[1]
    }

    private typealias Q15 = Q15ActivationTable

    func forward(_ inputs: [[Int8]]) throws -> [Int8] {
        let x = inputs[0]
        let u = cell.units
        var h = [Int32](repeating: 0, count: u)
        var c = [Int32](repeating: 0, count: u)
        var gates = [Int32](repeating: 0, count: layer.width)
        var reset = [Int32](repeating: 0, count: u)
        var output: [Int8] = []
        output.reserveCapacity(cell.returnSequences ? timesteps * u : u)
        for step in 0..<timesteps {
            let t = cell.goBackwards ? timesteps - 1 - step : step
            let xt = x[(t * features)..<((t + 1) * features)]
            switch cell.kind {
            case .simpleRNN:
                computeGates(0..<u, xt, h, into: &gates)
                for j in 0..<u {
                    h[j] = cell.activation == .tanh ? hidden(Q15.tanh(gates[j])) : clamp(gates[j])
                }
            case .lstm:
                computeGates(0..<(4 * u), xt, h, into: &gates)
                let cs = layer.cellShift
                for j in 0..<u {
                    let i = gateActivation(gates[j])
                    let f = gateActivation(gates[u + j])
                    let g = Q15.tanh(gates[2 * u + j])
                    let o = gateActivation(gates[3 * u + j])
                    let state = Q15.saturate16(
                        FixedPoint.roundingDivideByPowerOfTwo(f * c[j], 15) + FixedPoint.roundingDivideByPowerOfTwo(i * g, 30 - cs))
                    let q312 = cs >= 12 ? FixedPoint.roundingDivideByPowerOfTwo(state, cs - 12) : Q15.saturate16(state * (1 << (12 - cs)))
                    c[j] = state
                    h[j] = hidden(o * Q15.tanh(q312))
                }
            case .gru where cell.resetAfter:
                computeGates(0..<(2 * u), xt, h, into: &gates)
                computeGates((2 * u)..<(3 * u), xt, nil, into: &gates)
                for j in 0..<u {
                    let row = 2 * u + j
                    reset[j] = gate(row, dot(layer.recurrentWeights, row: row, length: u, h[...], layer.recurrentBias[j]))
                }
                for j in 0..<u {
                    let z = gateActivation(gates[j])
                    let r = gateActivation(gates[u + j])
                    let candidate = Q15.tanh(Q15.saturate16(gates[2 * u + j] + FixedPoint.roundingDivideByPowerOfTwo(r * reset[j], 15)))
                    h[j] = update(z: z, candidate: candidate, h: h[j])
                }
            case .gru:
                computeGates(0..<(2 * u), xt, h, into: &gates)
                for j in 0..<u { reset[j] = FixedPoint.roundingDivideByPowerOfTwo(gateActivation(gates[u + j]) * h[j], 15) }
                computeGates((2 * u)..<(3 * u), xt, reset, into: &gates)
                for j in 0..<u { h[j] = update(z: gateActivation(gates[j]), candidate: Q15.tanh(gates[2 * u + j]), h: h[j]) }
            }
            if cell.returnSequences || step == timesteps - 1 {
                output.append(contentsOf: h.map { Int8($0 + layer.outputZeroPoint) })
            }
        }
        return output
    }

    /// `tp_recurrent_gates_s8`: channels `rows` from `bias + kernel·x (+ recurrent kernel·h)`.
    private func computeGates(_ rows: Range<Int>, _ x: ArraySlice<Int8>, _ h: [Int32]?, into gates: inout [Int32]) {
        let u = cell.units
        for c in rows {
            var acc = layer.bias[c]
            let base = c * features
            for k in 0..<features { acc &+= Int32(layer.inputWeights[base + k]) * Int32(x[x.startIndex + k]) }
            if let h { acc = dot(layer.recurrentWeights, row: c, length: u, h[...], acc) }
            gates[c] = gate(c, acc)
        }
    }

    /// `acc + weights[row] · x`.
    private func dot(_ weights: [Int8], row: Int, length: Int, _ x: ArraySlice<Int32>, _ acc: Int32) -> Int32 {
        var acc = acc
        let base = row * length
        for k in 0..<length { acc &+= Int32(weights[base + k]) * x[x.startIndex + k] }
        return acc
    }

    /// `tp_recurrent_gate_activation_s8`: the sigmoid or hard sigmoid of a gate, as Q0.15.
    private func gateActivation(_ x: Int32) -> Int32 {
        let divisor = Q15.hardSigmoidDivisor(cell.recurrentActivation) ?? 0
        return divisor == 0 ? Q15.sigmoid(x) : Q15.hardSigmoid(x, divisor: divisor)
    }

    /// `tp_recurrent_gate_s8`: the accumulator of channel `c` rescaled and saturated to int16.
    private func gate(_ c: Int, _ acc: Int32) -> Int32 {
        let m = layer.gateRequantization(c)
        return Q15.saturate16(FixedPoint.multiplyByQuantizedMultiplier(acc, m.multiplier, m.shift))
    }

    /// `tp_recurrent_clamp_s8`: the centred state clamped to the hidden state's range.
    private func clamp(_ value: Int32) -> Int32 {
        min(max(value, layer.outputMin - layer.outputZeroPoint), layer.outputMax - layer.outputZeroPoint)
    }

    /// `tp_recurrent_hidden_s8`: the centred state from a Q0.15 or Q0.30 product.
    private func hidden(_ product: Int32) -> Int32 {
        let m = layer.outputRequantization
        return clamp(FixedPoint.multiplyByQuantizedMultiplier(product, m.multiplier, m.shift))
    }

    /// `tp_gru_update_s8`: `z · h` plus `(1 − z) · candidate` rescaled, over `2^15`.
    private func update(z: Int32, candidate: Int32, h: Int32) -> Int32 {
        let m = layer.outputRequantization
        let added = FixedPoint.multiplyByQuantizedMultiplier((32768 - z) * candidate, m.multiplier, m.shift)
        return clamp(FixedPoint.roundingDivideByPowerOfTwo(z * h + added, 15))
    }
}
