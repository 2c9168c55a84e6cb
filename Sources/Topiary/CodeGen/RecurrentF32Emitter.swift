/// `SimpleRNN`, `GRU` and `LSTM` as `tp_simple_rnn_f32`, `tp_gru_f32` (reset after),
/// `tp_gru_reset_before_f32` and `tp_lstm_f32`. Their projections, state and gates live in
/// planned scratch memory, sized as the `TP_*_F32_SCRATCH` macros say.
struct RecurrentF32Emitter: LayerKernel {
    let node: Node
    let cell: Recurrent
    let timesteps: Int
    let features: Int

    init(node: Node, inputShape: [Int], cell: Recurrent) throws {
        guard inputShape.count == 2, cell.units > 0 else {
            throw CodeGenError.unsupported(
                layer: node.name, reason: "\(node.kerasClass) expects an input [timesteps, features], got \(inputShape)")
        }
        self.node = node
        self.cell = cell
        timesteps = inputShape[0]
        features = inputShape[1]
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_recurrent_f32.h"] }

    /// Mirrors `TP_SIMPLE_RNN_F32_SCRATCH`, `TP_GRU_F32_SCRATCH` and `TP_LSTM_F32_SCRATCH`.
    var scratchBytes: Int {
        let u = cell.units
        switch cell.kind {
        case .simpleRNN: return (timesteps * u + 2 * u) * 4
        case .gru: return (timesteps * 3 * u + 7 * u) * 4
        case .lstm: return (timesteps * 4 * u + 6 * u) * 4
        }
    }

    private var width: Int { cell.kind.gateCount * cell.units }
    private var gates: String { cell.gateOrderComment }

    func weights() throws -> [WeightRequest] {
        let kernel = try node.weight(.kernel, shape: [features, width])
        let recurrent = try node.weight(.recurrentKernel, shape: [cell.units, width])
        var result = [
            WeightRequest(key: "kernel", meaning: "kernel [features, gates * units]" + gates, shape: kernel.shape, values: kernel.values),
            WeightRequest(
                key: "recurrent_kernel", meaning: "recurrent kernel [units, gates * units]" + gates, shape: recurrent.shape,
                values: recurrent.values),
        ]
        if cell.kind == .gru && cell.resetAfter {
            if let bias = try node.optionalWeight(.bias, shape: [2, width], required: cell.useBias) {
                result.append(
                    WeightRequest(key: "input_bias", meaning: "input bias" + gates, shape: [width], values: Array(bias.values[0..<width])))
                result.append(
                    WeightRequest(
                        key: "recurrent_bias", meaning: "recurrent bias" + gates, shape: [width], values: Array(bias.values[width...])))
            }
        } else if let bias = try node.optionalWeight(.bias, shape: [width], required: cell.useBias) {
            result.append(WeightRequest(key: "bias", meaning: "bias" + gates, shape: bias.shape, values: bias.values))
        }
        return result
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_recurrent_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("shape", CInitializer.nested(cell.cShapeFields(timesteps: timesteps, features: features))),
                ("activation", try node.activationLiteral(cell.activation)),
                ("recurrent_activation", try node.activationLiteral(cell.recurrentActivation)),
            ])
        let p = "&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("kernel")), \(site.weight("recurrent_kernel"))"
        let tail = "\(site.output), \(site.scratch ?? "NULL"));"
        let call: String
        switch cell.kind {
        case .simpleRNN: call = "tp_simple_rnn_f32(\(p), \(site.weight("bias")), \(tail)"
        case .lstm: call = "tp_lstm_f32(\(p), \(site.weight("bias")), \(tail)"
        case .gru where cell.resetAfter:
            call = "tp_gru_f32(\(p), \(site.weight("input_bias")), \(site.weight("recurrent_bias")), \(tail)"
        case .gru: call = "tp_gru_reset_before_f32(\(p), \(site.weight("bias")), \(tail)"
        }
        return LayerCode(declarations: [params], statements: [call])
    }
}
