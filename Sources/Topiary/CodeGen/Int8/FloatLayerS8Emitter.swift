/// A layer kept in float inside an int8 model (PReLU, a recurrent layer with a hard sigmoid, a
/// normalisation over another axis…): its int8 inputs are dequantized into float scratch, the float path's own
/// kernel runs there, and its output is quantized back (`tp_quantize_f32.h`). The same steps
/// in the same single precision as `Int8FloatKernel`, so C and Swift still agree exactly on
/// the same libm.
struct FloatLayerS8Emitter: LayerKernel {
    let node: Node
    let float: any LayerKernel
    let inputSizes: [Int]
    let outputSize: Int
    let inputQuantization: [QuantizationParameters]
    let outputQuantization: QuantizationParameters

    init(node: Node, inputShapes: [[Int]], inputQuantization: [QuantizationParameters], output: QuantizationParameters) throws {
        guard let kernel = try KernelSelector.floatKernel(for: node, inputShapes: inputShapes) else {
            throw CodeGenError.unsupported(layer: node.name, reason: "has no float kernel")
        }
        self.node = node
        float = kernel
        inputSizes = inputShapes.map(\.elementCount)
        outputSize = node.outputShape.elementCount
        self.inputQuantization = inputQuantization
        outputQuantization = output
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { float.headers + ["tp_quantize_f32.h"] }
    var canFail: Bool { float.canFail }
    func weights() throws -> [WeightRequest] { try float.weights() }

    /// Byte offsets in the scratch: each input, the output, the float kernel's own scratch.
    private var layout: (inputs: [Int], output: Int, scratch: Int, total: Int) {
        func aligned(_ bytes: Int) -> Int { (bytes + 7) / 8 * 8 }
        var offset = 0
        var inputs: [Int] = []
        for size in inputSizes {
            inputs.append(offset)
            offset += aligned(size * 4)
        }
        let output = offset
        offset += aligned(outputSize * 4)
        return (inputs, output, offset, offset + aligned(float.scratchBytes))
    }

    var scratchBytes: Int { layout.total }

    func emit(_ site: CallSite) throws -> LayerCode {
        let l = layout
        let floatInputs = l.inputs.map { site.scratchFloat($0) }
        let floatOutput = site.scratchFloat(l.output)
        let floatSite = CallSite(
            node: node, paramsSymbol: site.paramsSymbol, inputs: floatInputs, output: floatOutput,
            scratchOffset: float.scratchBytes > 0 ? (site.scratchOffset ?? 0) + l.scratch : nil,
            arena: site.arena, weights: site.weights, arrays: [:], claim: site.claim)
        var code = try float.emit(floatSite)
        var statements: [String] = []
        for (k, input) in site.inputs.enumerated() {
            let q = inputQuantization[k]
            statements.append("tp_dequantize_f32(\(inputSizes[k]), \(input), \(try scale(q.scale)), \(q.zeroPoint), \(floatInputs[k]));")
        }
        statements += code.statements
        statements.append(
            "tp_quantize_f32(\(outputSize), \(floatOutput), \(try scale(outputQuantization.scale)), \(outputQuantization.zeroPoint), \(site.output));"
        )
        code.statements = statements
        return code
    }

    private func scale(_ value: Float) throws -> String {
        do {
            return try CFloatLiteral.literal(value)
        } catch {
            throw CodeGenError.nonFiniteParameter(layer: node.name, parameter: "scale")
        }
    }
}
