/// `Permute`: output axis `i` is input axis `dims[i]` (batch excluded).
///
/// The gather index of every output element is computed once when the engine is built, so a
/// permutation is a single indexed copy at run time.
struct PermuteKernel: FloatKernel {
    let outputShape: [Int]
    /// `source[j]` is the input index of output element `j`.
    let source: [Int32]

    init(node: Node, inputShape: [Int], dims: [Int]) throws {
        guard dims.sorted() == Array(0..<inputShape.count) else {
            throw InferenceError(.invalidGraph, layer: node.name,
                                 "permutation \(dims.map { $0 + 1 }) (1-based, as Keras writes it) does not fit input \(inputShape)")
        }
        outputShape = dims.map { inputShape[$0] }
        var inputStrides = [Int](repeating: 1, count: inputShape.count)
        for axis in stride(from: inputShape.count - 2, through: 0, by: -1) {
            inputStrides[axis] = inputStrides[axis + 1] * inputShape[axis + 1]
        }
        let strides = dims.map { inputStrides[$0] }
        var table = [Int32](repeating: 0, count: outputShape.elementCount)
        var index = [Int](repeating: 0, count: outputShape.count)
        for j in table.indices {
            var offset = 0
            for axis in index.indices { offset += index[axis] * strides[axis] }
            table[j] = Int32(offset)
            var axis = index.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < outputShape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        source = table
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        let x = inputs[0].values
        return Tensor(shape: outputShape, values: source.map { x[Int($0)] })
    }
}
