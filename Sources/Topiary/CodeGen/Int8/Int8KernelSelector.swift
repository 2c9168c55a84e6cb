/// Chooses the int8 C kernel for each node of an int8 graph, from the node's op and its
/// `NodeQuantization`; the one place where int8 arithmetic maps to C calls.
enum Int8KernelSelector {
    static func kernel(for node: Node, in graph: Graph, format: FormatChoice) throws -> (any Int8LayerKernel)? {
        guard let quantization = node.quantization, let output = quantization.output else {
            throw CodeGenError.unsupported(layer: node.name, reason: "has no int8 quantization")
        }
        let inputShapes = node.inputs.map { graph.nodes[$0].outputShape }
        let inputQuantization = node.inputs.map { graph.nodes[$0].quantization!.output! }
        let first = inputShapes.first ?? []
        func mismatch() -> CodeGenError {
            .unsupported(layer: node.name, reason: "\(node.kerasClass) has no int8 kernel for \(quantization.arithmetic)")
        }
        switch quantization.arithmetic {
        case .input:
            return nil
        case .passThrough:
            switch node.op {
            case .identity, .flatten, .reshape: return AliasS8Emitter()
            case .pool, .globalPool: return try PoolS8Emitter(node: node, inputShape: first)
            case .permute, .zeroPadding, .cropping, .upSampling:
                return try GatherS8Emitter(node: node, inputShape: first, zeroPoint: output.zeroPoint)
            default: throw mismatch()
            }
        case let .weighted(layer):
            return try WeightedS8Emitter(node: node, inputShape: first, layer: layer, choice: format)
        case let .lookup(table):
            let name: String
            if case let .activation(a) = node.op { name = a.description } else { name = "activation" }
            return LookupS8Emitter(table: table, count: node.outputShape.elementCount, activation: name)
        case let .softmax(table):
            guard case let .activation(.softmax(axis)) = node.op else { throw mismatch() }
            return try SoftmaxS8Emitter(node: node, inputShape: first, axis: axis, table: table)
        case let .rescale(rescales):
            switch node.op {
            case let .concatenate(axis):
                let concatenation = try ConcatenateKernel(node: node, inputShapes: inputShapes, axis: axis)
                return MergeS8Emitter(kind: .concatenate(outer: concatenation.outer, blocks: concatenation.blocks, rescales: rescales),
                                      count: node.outputShape.elementCount, inputZeroPoints: inputQuantization.map(\.zeroPoint),
                                      outputZeroPoint: output.zeroPoint)
            case .merge(.maximum), .merge(.minimum):
                return MergeS8Emitter(kind: .extremum(largest: node.op == .merge(.maximum), rescales: rescales),
                                      count: node.outputShape.elementCount, inputZeroPoints: inputQuantization.map(\.zeroPoint),
                                      outputZeroPoint: output.zeroPoint)
            default: throw mismatch()
            }
        case let .sum(s):
            return MergeS8Emitter(kind: .sum(s), count: node.outputShape.elementCount,
                                  inputZeroPoints: inputQuantization.map(\.zeroPoint), outputZeroPoint: output.zeroPoint)
        case let .product(m):
            return MergeS8Emitter(kind: .product(m), count: node.outputShape.elementCount,
                                  inputZeroPoints: inputQuantization.map(\.zeroPoint), outputZeroPoint: output.zeroPoint)
        case .float:
            return try FloatLayerS8Emitter(node: node, inputShapes: inputShapes, inputQuantization: inputQuantization, output: output)
        }
    }
}
