/// `Concatenate` along one axis (0-based, batch excluded): for every index of the axes
/// before it, the inputs' contiguous blocks are appended in input order.
struct ConcatenateKernel: FloatKernel {
    let outputShape: [Int]
    let outer: Int
    /// Elements each input contributes per index of the outer axes.
    let blocks: [Int]

    init(node: Node, inputShapes: [[Int]], axis: Int) throws {
        guard let first = inputShapes.first else {
            throw InferenceError(.invalidGraph, layer: node.name, "Concatenate has no inputs")
        }
        let axis = axis < 0 ? axis + first.count : axis
        guard axis >= 0, axis < first.count else {
            throw InferenceError(.invalidGraph, layer: node.name, "concatenation axis \(axis) is out of range for inputs \(inputShapes)")
        }
        var total = 0
        for shape in inputShapes {
            var a = shape, b = first
            guard a.count == b.count else {
                throw InferenceError(.invalidGraph, layer: node.name, "concatenated inputs have different ranks: \(inputShapes)")
            }
            total += a[axis]
            a[axis] = 0
            b[axis] = 0
            guard a == b else {
                throw InferenceError(.invalidGraph, layer: node.name, "concatenated inputs differ outside axis \(axis): \(inputShapes)")
            }
        }
        var shape = first
        shape[axis] = total
        outputShape = shape
        outer = first[..<axis].reduce(1, *)
        let inner = first[(axis + 1)...].reduce(1, *)
        blocks = inputShapes.map { $0[axis] * inner }
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var out: [Float] = []
        out.reserveCapacity(outputShape.elementCount)
        for o in 0..<outer {
            for (input, block) in zip(inputs, blocks) {
                out.append(contentsOf: input.values[(o * block)..<((o + 1) * block)])
            }
        }
        return Tensor(shape: outputShape, values: out)
    }
}
