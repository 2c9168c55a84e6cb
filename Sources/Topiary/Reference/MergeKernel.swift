/// `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum` over inputs of one shape,
/// combined left to right as Keras does (average divides the sum by the input count).
struct MergeKernel: FloatKernel {
    let kind: MergeKind
    let shape: [Int]

    init(node: Node, inputShapes: [[Int]], kind: MergeKind) throws {
        guard inputShapes.count >= 2 else {
            throw InferenceError(.invalidGraph, layer: node.name, "\(kind.rawValue) needs at least two inputs, got \(inputShapes.count)")
        }
        if kind == .subtract, inputShapes.count != 2 {
            throw InferenceError(.invalidGraph, layer: node.name, "subtract needs exactly two inputs, got \(inputShapes.count)")
        }
        guard inputShapes.allSatisfy({ $0 == inputShapes[0] }) else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(kind.rawValue) inputs have different shapes \(inputShapes); broadcasting merges are not supported")
        }
        self.kind = kind
        shape = inputShapes[0]
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var out = inputs[0].values
        out.withUnsafeMutableBufferPointer { o in
            for input in inputs.dropFirst() {
                input.values.withUnsafeBufferPointer { x in
                    switch kind {
                    case .add, .average:
                        for i in o.indices { o[i] += x[i] }
                    case .subtract:
                        for i in o.indices { o[i] -= x[i] }
                    case .multiply:
                        for i in o.indices { o[i] *= x[i] }
                    case .maximum:
                        for i in o.indices { o[i] = max(o[i], x[i]) }
                    case .minimum:
                        for i in o.indices { o[i] = min(o[i], x[i]) }
                    }
                }
            }
            if kind == .average {
                let count = Float(inputs.count)
                for i in o.indices { o[i] /= count }
            }
        }
        return Tensor(shape: shape, values: out)
    }
}
