/// SimpleRNN, GRU and LSTM of an int8 model in integers (`QuantizedRecurrent`) as
/// `tp_simple_rnn_s8`, `tp_gru_s8`, `tp_gru_reset_before_s8` and `tp_lstm_s8`
/// (`tp_recurrent_s8.h`): int8 weight rows, int32 biases and 16-bit per-gate-channel multipliers in
/// flash, gates and state in planned scratch.
struct RecurrentS8Emitter: LayerKernel {
    let node: Node
    let cell: Recurrent
    let layer: QuantizedRecurrent
    let timesteps: Int
    let features: Int

    /// `layer` fits `inputShape` and `cell`: `Graph.validate()` checked it.
    init(node: Node, inputShape: [Int], cell: Recurrent, layer: QuantizedRecurrent) {
        self.node = node
        self.cell = cell
        self.layer = layer
        timesteps = inputShape[0]
        features = inputShape[1]
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_recurrent_s8.h"] }

    /// `TP_RECURRENT_S8_SCRATCH`, rounded up to whole words.
    var scratchBytes: Int {
        let bytes = 2 * cell.kind.gateCount * cell.units + 6 * cell.units
        return (bytes + 3) / 4 * 4
    }

    private var gates: String { cell.gateOrderComment }

    func arrays() throws -> [CIntegerArray] {
        var result = [
            CIntegerArray(key: "kernel", meaning: "int8 kernel rows [gates * units, features]" + gates, type: .int8, layer.inputWeights),
            CIntegerArray(
                key: "recurrent_kernel", meaning: "int8 recurrent kernel rows [gates * units, units]" + gates, type: .int8,
                layer.recurrentWeights),
            CIntegerArray(key: "bias", meaning: "int32 bias (input zero point folded in)", type: .int32, layer.bias),
            CIntegerArray(
                key: "multiplier", meaning: "gate multipliers (Q31 ones over 2^15)", type: .uint16, layer.gateMultipliers),
        ]
        if !layer.recurrentBias.isEmpty {
            result.append(
                CIntegerArray(key: "recurrent_bias", meaning: "int32 recurrent bias of the candidate", type: .int32, layer.recurrentBias))
        }
        return result
    }

    var footprint: LayerFootprint? { layer.footprint(node: node, timesteps: timesteps) }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_recurrent_s8_params", symbol: site.paramsSymbol,
            fields: cell.cShapeFields(timesteps: timesteps, features: features))
        let quantSymbol = site.claim(site.paramsSymbol + "_quant")
        let quant = CInitializer.declaration(
            type: "tp_recurrent_s8_quant", symbol: quantSymbol,
            fields: [
                ("multipliers", site.array("multiplier")), ("shift", "\(layer.gateShift)"),
                ("output_multiplier", "\(layer.outputRequantization.multiplier)"),
                ("output_shift", "\(layer.outputRequantization.shift)"), ("cell_shift", "\(layer.cellShift)"),
                ("output_zero_point", "\(layer.outputZeroPoint)"), ("output_min", "\(layer.outputMin)"),
                ("output_max", "\(layer.outputMax)"),
                ("hard_sigmoid_divisor", "\(Q15ActivationTable.hardSigmoidDivisor(cell.recurrentActivation) ?? 0)"),
            ])
        var arguments = ["&\(site.paramsSymbol)", "&\(quantSymbol)"]
        let function: String
        switch cell.kind {
        case .simpleRNN:
            function = "tp_simple_rnn_s8"
            arguments.append(cell.activation == .tanh ? "1" : "0")
        case .lstm: function = "tp_lstm_s8"
        case .gru: function = cell.resetAfter ? "tp_gru_s8" : "tp_gru_reset_before_s8"
        }
        arguments += [site.inputs[0], site.array("kernel"), site.array("recurrent_kernel"), site.array("bias")]
        if !layer.recurrentBias.isEmpty { arguments.append(site.array("recurrent_bias")) }
        arguments += [site.output, site.scratchInt32()]
        return LayerCode(declarations: [params, quant], statements: ["\(function)(\(arguments.joined(separator: ", ")));"])
    }
}
