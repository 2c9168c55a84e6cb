/// `SimpleRNN`, `GRU` (both `reset_after` variants) and `LSTM` over `[timesteps, features]`,
/// starting from zero state.
///
/// The input projection `x · kernel (+ input bias)` of every timestep is computed first as
/// one matrix product; each step then adds the recurrent projection of the previous state.
/// Gate blocks are in Keras's order (GRU `z, r, h`; LSTM `i, f, c, o`). With `go_backwards`
/// the sequence is processed last to first and, with `return_sequences`, the outputs are
/// returned in that processed order, as Keras returns them.
struct RecurrentKernel: FloatKernel {
    let cell: Recurrent
    let timesteps: Int
    let features: Int
    let kernel: [Float]
    let recurrentKernel: [Float]
    /// Bias added to the input projection (all of it, except for GRU `reset_after`).
    let inputBias: [Float]?
    /// GRU `reset_after` only: the bias of the recurrent projection, inside the reset gate.
    let recurrentBias: [Float]?
    let outputShape: [Int]

    init(node: Node, inputShape: [Int], parameters r: Recurrent) throws {
        guard inputShape.count == 2 else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(node.kerasClass) expects an input [timesteps, features], got shape \(inputShape)")
        }
        guard r.units > 0 else {
            throw InferenceError(.invalidGraph, layer: node.name, "\(node.kerasClass) has \(r.units) units")
        }
        cell = r
        timesteps = inputShape[0]
        features = inputShape[1]
        let width = r.kind.gateCount * r.units
        kernel = try node.weight(.kernel, shape: [features, width]).values
        recurrentKernel = try node.weight(.recurrentKernel, shape: [r.units, width]).values
        if r.kind == .gru && r.resetAfter {
            let bias = try node.optionalWeight(.bias, shape: [2, width], required: r.useBias)?.values
            inputBias = bias.map { Array($0[0..<width]) }
            recurrentBias = bias.map { Array($0[width...]) }
        } else {
            inputBias = try node.optionalWeight(.bias, shape: [width], required: r.useBias)?.values
            recurrentBias = nil
        }
        outputShape = r.returnSequences ? [timesteps, r.units] : [r.units]
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        run(inputs[0], observe: nil)
    }

    /// The layer over `input`, handing `observe` the state after every step (what calibration of
    /// the integer recurrent layers measures: the hidden and cell states of every step).
    func run(_ input: Tensor, observe: ((RecurrentState) -> Void)?) -> Tensor {
        let units = cell.units
        let width = cell.kind.gateCount * units
        // Input projections of all timesteps: [timesteps, width].
        var projected = MatrixProduct.start(rows: timesteps, bias: inputBias, columns: width)
        input.values.withUnsafeBufferPointer { x in
            kernel.withUnsafeBufferPointer { w in
                projected.withUnsafeMutableBufferPointer { o in
                    MatrixProduct.accumulate(rows: timesteps, inner: features, columns: width, x: x, w: w, into: o)
                }
            }
        }
        var state = RecurrentState(units: units, width: width)
        var sequence: [Float] = []
        if cell.returnSequences { sequence.reserveCapacity(timesteps * units) }
        let order: [Int] = cell.goBackwards ? Array((0..<timesteps).reversed()) : Array(0..<timesteps)
        for t in order {
            projected.withUnsafeBufferPointer { p in
                let xt = p.baseAddress! + t * width
                switch cell.kind {
                case .simpleRNN: simpleStep(xt, &state)
                case .lstm: lstmStep(xt, &state)
                case .gru: cell.resetAfter ? gruResetAfterStep(xt, &state) : gruResetBeforeStep(xt, &state)
                }
            }
            observe?(state)
            if cell.returnSequences { sequence.append(contentsOf: state.h) }
        }
        return Tensor(shape: outputShape, values: cell.returnSequences ? sequence : state.h)
    }

    /// `h = act(x·W + b + h·U)`.
    private func simpleStep(_ xt: UnsafePointer<Float>, _ s: inout RecurrentState) {
        let units = cell.units
        for j in 0..<units { s.gates[j] = xt[j] }
        recurrentProduct(s.h, columns: units, into: &s.gates)
        for j in 0..<units { s.h[j] = cell.activation.scalar(s.gates[j]) }
    }

    /// `c = f ⊙ c + i ⊙ act(z_c)`, `h = o ⊙ act(c)` with `z = x·W + b + h·U`.
    private func lstmStep(_ xt: UnsafePointer<Float>, _ s: inout RecurrentState) {
        let u = cell.units
        for j in 0..<(4 * u) { s.gates[j] = xt[j] }
        recurrentProduct(s.h, columns: 4 * u, into: &s.gates)
        let gate = cell.recurrentActivation, act = cell.activation
        for j in 0..<u {
            let i = gate.scalar(s.gates[j])
            let f = gate.scalar(s.gates[u + j])
            let g = act.scalar(s.gates[2 * u + j])
            let o = gate.scalar(s.gates[3 * u + j])
            s.c[j] = f * s.c[j] + i * g
            s.h[j] = o * act.scalar(s.c[j])
        }
    }

    /// `reset_after`: `ĥ = act(x_h + r ⊙ (h·U_h + b_rec_h))`.
    private func gruResetAfterStep(_ xt: UnsafePointer<Float>, _ s: inout RecurrentState) {
        let u = cell.units
        if let recurrentBias {
            for j in 0..<(3 * u) { s.gates[j] = recurrentBias[j] }
        } else {
            for j in 0..<(3 * u) { s.gates[j] = 0 }
        }
        recurrentProduct(s.h, columns: 3 * u, into: &s.gates)
        let gate = cell.recurrentActivation, act = cell.activation
        for j in 0..<u {
            let z = gate.scalar(xt[j] + s.gates[j])
            let r = gate.scalar(xt[u + j] + s.gates[u + j])
            let candidate = act.scalar(xt[2 * u + j] + r * s.gates[2 * u + j])
            s.h[j] = z * s.h[j] + (1 - z) * candidate
        }
    }

    /// `reset_after = false`: `ĥ = act(x_h + (r ⊙ h)·U_h)`.
    private func gruResetBeforeStep(_ xt: UnsafePointer<Float>, _ s: inout RecurrentState) {
        let u = cell.units
        for j in 0..<(2 * u) { s.gates[j] = 0 }
        recurrentProduct(s.h, columns: 2 * u, into: &s.gates)
        let gate = cell.recurrentActivation
        for j in 0..<u {
            s.z[j] = gate.scalar(xt[j] + s.gates[j])
            s.reset[j] = gate.scalar(xt[u + j] + s.gates[u + j]) * s.h[j]
        }
        for j in 0..<u { s.candidate[j] = xt[2 * u + j] }
        recurrentKernel.withUnsafeBufferPointer { w in
            s.reset.withUnsafeBufferPointer { x in
                s.candidate.withUnsafeMutableBufferPointer { o in
                    MatrixProduct.accumulateRow(
                        inner: u, columns: u, x: x.baseAddress!, w: w.baseAddress! + 2 * u,
                        rowStride: 3 * u, into: o.baseAddress!)
                }
            }
        }
        for j in 0..<u {
            let candidate = cell.activation.scalar(s.candidate[j])
            s.h[j] = s.z[j] * s.h[j] + (1 - s.z[j]) * candidate
        }
    }

    /// Adds `h · recurrentKernel[:, 0..<columns]` to `out`.
    private func recurrentProduct(_ h: [Float], columns: Int, into out: inout [Float]) {
        let width = cell.kind.gateCount * cell.units
        recurrentKernel.withUnsafeBufferPointer { w in
            h.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { o in
                    MatrixProduct.accumulateRow(
                        inner: cell.units, columns: columns, x: x.baseAddress!, w: w.baseAddress!,
                        rowStride: width, into: o.baseAddress!)
                }
            }
        }
    }
}
