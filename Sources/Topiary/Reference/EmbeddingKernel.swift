/// `Embedding`: replaces each (integer-valued) input element by its row of the table.
///
/// Inputs arrive as floats; like Keras's cast to an integer type they are truncated toward
/// zero. An index outside `0..<inputDim` is an error naming the layer rather than a clamp,
/// because a silently clamped token gives a plausible but wrong answer.
struct EmbeddingKernel: FloatKernel {
    let layer: String
    let inputDim: Int
    let outputDim: Int
    let table: [Float]
    let outputShape: [Int]

    init(node: Node, inputShape: [Int], inputDim: Int, outputDim: Int) throws {
        layer = node.name
        self.inputDim = inputDim
        self.outputDim = outputDim
        table = try node.weight(.embeddings, shape: [inputDim, outputDim]).values
        outputShape = inputShape + [outputDim]
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var out = [Float](repeating: 0, count: inputs[0].count * outputDim)
        for (position, value) in inputs[0].values.enumerated() {
            guard value.isFinite, value > -1, value < Float(inputDim) else {
                throw InferenceError(
                    .badValue, layer: layer,
                    "input element \(position) is \(value), outside the embedding's indices 0..<\(inputDim); check that the input holds token ids for this model"
                )
            }
            let row = Int(value)
            for j in 0..<outputDim { out[position * outputDim + j] = table[row * outputDim + j] }
        }
        return Tensor(shape: outputShape, values: out)
    }
}
