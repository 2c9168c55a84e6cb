extension Int8Inference {
    /// The integer kernel for `node`, from its op and its `NodeQuantization`; nil for inputs.
    static func makeKernel(_ node: Node, graph: Graph) throws -> (any Int8Kernel)? {
        let quantization = node.quantization!
        let output = quantization.output!
        let inputShapes = node.inputs.map { graph.nodes[$0].outputShape }
        let inputQuantization = node.inputs.map { graph.nodes[$0].quantization!.output! }
        let first = inputShapes.first ?? []
        func mismatch() -> InferenceError {
            InferenceError(
                .invalidGraph, layer: node.name, "\(node.kerasClass) cannot compute with int8 arithmetic \(quantization.arithmetic)")
        }
        switch quantization.arithmetic {
        case .input:
            return nil
        case .passThrough:
            switch node.op {
            case .pool, .globalPool:
                return try Int8PoolingKernel(node: node, inputShape: first)
            default:
                return try Int8MoveKernel(node: node, inputShape: first, zeroPoint: output.zeroPoint)
            }
        case let .weighted(layer):
            return try Int8WeightedKernel(node: node, inputShape: first, layer: layer)
        case let .lookup(table):
            return Int8LookupKernel(table: table)
        case let .softmax(table):
            guard case let .activation(.softmax(axis)) = node.op else { throw mismatch() }
            return Int8SoftmaxKernel(table: table.exponentials, layout: try AxisLayout(node: node, shape: first, axis: axis))
        case let .rescale(rescales):
            let combination: Int8MergeKernel.Combination
            switch node.op {
            case let .concatenate(axis):
                let concatenation = try ConcatenateKernel(node: node, inputShapes: inputShapes, axis: axis)
                combination = .concatenate(outer: concatenation.outer, blocks: concatenation.blocks)
            case .merge(.maximum): combination = .maximum
            case .merge(.minimum): combination = .minimum
            default: throw mismatch()
            }
            return Int8MergeKernel(
                combination: combination, inputZeroPoints: inputQuantization.map(\.zeroPoint),
                inputRescales: rescales, outputZeroPoint: output.zeroPoint)
        case let .sum(s):
            return Int8MergeKernel(
                combination: .sum(s), inputZeroPoints: inputQuantization.map(\.zeroPoint),
                inputRescales: [], outputZeroPoint: output.zeroPoint)
        case let .product(m):
            return Int8MergeKernel(
                combination: .product(m), inputZeroPoints: inputQuantization.map(\.zeroPoint),
                inputRescales: [], outputZeroPoint: output.zeroPoint)
        case let .recurrent(layer):
            guard case let .recurrent(cell) = node.op else { throw mismatch() }
            return Int8RecurrentKernel(inputShape: first, cell: cell, layer: layer)
        case .float:
            return Int8FloatKernel(
                kernel: try FloatInference.makeKernel(node, inputShapes: inputShapes), inputShapes: inputShapes,
                inputQuantization: inputQuantization, outputQuantization: output)
        }
    }
}
