/// A node kept in float inside an int8 graph (PReLU, a recurrent layer with a hard sigmoid, …): its inputs are
/// dequantized (`scale · (q − zp)`), the float kernel runs, and its output is quantized with
/// the same single-precision steps the generated C uses.
struct Int8FloatKernel: Int8Kernel {
    let kernel: any FloatKernel
    let inputShapes: [[Int]]
    let inputQuantization: [QuantizationParameters]
    let outputQuantization: QuantizationParameters

    func forward(_ inputs: [[Int8]]) throws -> [Int8] {
        let tensors = inputs.indices.map { i in
            Tensor(shape: inputShapes[i], values: inputs[i].map(inputQuantization[i].dequantize))
        }
        return try kernel.forward(tensors).values.map(outputQuantization.quantize)
    }
}
