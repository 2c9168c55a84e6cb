extension Graph {
    /// Checks once what every later step relies on, and throws an `InferenceError` naming the
    /// layer otherwise: the model has inputs and outputs, every node reads nodes before it, the
    /// recorded output shapes follow from the ops, and in an int8 graph every node has an int8
    /// encoding whose arithmetic fits its op.
    ///
    /// The reference engines and the code generator both start here; the weights are checked
    /// where each op reads them (`Node.weight(_:shape:)`), with the same error type.
    func validate() throws {
        guard !inputs.isEmpty else { throw InferenceError(.invalidGraph, "the model has no inputs") }
        guard !outputs.isEmpty else { throw InferenceError(.invalidGraph, "the model has no outputs") }
        for index in inputs + outputs where !nodes.indices.contains(index) {
            throw InferenceError(.invalidGraph, "the model refers to node \(index), but has only \(nodes.count) nodes")
        }
        for index in inputs {
            guard case .input = nodes[index].op else {
                throw InferenceError(.invalidGraph, layer: nodes[index].name, "is listed as a model input but is not an input node")
            }
        }
        let int8 = precision == .int8
        for (index, node) in nodes.enumerated() {
            for input in node.inputs {
                guard input >= 0, input < index else {
                    throw InferenceError(
                        .invalidGraph, layer: node.name,
                        "reads node \(input), which does not come before it; the graph must be in topological order")
                }
            }
            if case .input = node.op {
                guard inputs.contains(index) else {
                    throw InferenceError(.invalidGraph, layer: node.name, "is an input node that is not among the model's inputs")
                }
            } else {
                try checkOutputShape(of: node)
            }
            if int8 { try checkInt8Encoding(of: node) }
        }
    }

    private func checkOutputShape(of node: Node) throws {
        let inputShapes = node.inputs.map { nodes[$0].outputShape }
        do {
            let expected = try node.op.outputShape(for: inputShapes)
            guard expected == node.outputShape else {
                throw InferenceError(
                    .invalidGraph, layer: node.name,
                    "\(node.kerasClass) records output shape \(node.outputShape), but its inputs \(inputShapes) give \(expected)")
            }
        } catch let error as ShapeError {
            throw InferenceError(.invalidGraph, layer: node.name, "\(node.kerasClass) \(error.message)")
        }
    }

    /// The int8 parameters whose sizes the kernels take for granted.
    private func checkInt8Encoding(of node: Node) throws {
        guard let quantization = node.quantization, quantization.output != nil else {
            throw InferenceError(.invalidGraph, layer: node.name, "has no int8 quantization; quantize the whole model to int8 first")
        }
        func mismatch() -> InferenceError {
            InferenceError(
                .invalidGraph, layer: node.name, "\(node.kerasClass) cannot compute with int8 arithmetic \(quantization.arithmetic)")
        }
        let isInput: Bool
        if case .input = node.op { isInput = true } else { isInput = false }
        switch quantization.arithmetic {
        case .input:
            guard isInput else { throw mismatch() }
        case let .lookup(table):
            guard table.count == 256 else { throw mismatch() }
        case let .softmax(table):
            guard case .activation(.softmax) = node.op, table.exponentials.count == 256 else { throw mismatch() }
        case let .rescale(rescales):
            guard rescales.count == node.inputs.count else { throw mismatch() }
        case .product:
            guard node.inputs.count == 2 else { throw mismatch() }
        case let .recurrent(layer):
            guard case let .recurrent(cell) = node.op, node.inputs.count == 1 else { throw mismatch() }
            let inputShape = nodes[node.inputs[0]].outputShape
            guard layer.fits(inputShape: inputShape, cell: cell) else {
                throw InferenceError(
                    .invalidGraph, layer: node.name,
                    "\(node.kerasClass) has integer weights that do not fit an input \(inputShape) and \(cell.units) units")
            }
        case .passThrough, .weighted, .sum, .float:
            guard !isInput else { throw mismatch() }
        }
    }
}
