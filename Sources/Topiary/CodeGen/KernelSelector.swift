/// Chooses the C kernel for each node: the one place that maps ops to kernels.
///
/// The choice follows the graph's precision and, for int8 weights, the storage format: a float
/// graph gets one float kernel per op family (int8-stored weights computed in float where the
/// quantizer stored them so), an int8 graph an integer kernel per node from its
/// `NodeQuantization`, with the float kernel wrapped in quantize and dequantize steps for the
/// layers it keeps in float.
enum KernelSelector {
    /// The kernel for node `index` of `graph`; `nil` for an input node, which is read straight
    /// from the caller's buffer. `format` and `goal` choose how int8 weights are stored.
    static func kernel(for index: Int, in graph: Graph, format: FormatChoice, goal: OptimizationGoal) throws -> (any LayerKernel)? {
        let node = graph.nodes[index]
        switch graph.precision {
        case .float32: return try floatKernel(for: node, inputShapes: node.inputs.map { graph.nodes[$0].outputShape })
        case .int8: return try int8Kernel(for: node, in: graph, format: format, goal: goal)
        }
    }

    /// The float kernel for `node`, whose inputs have `inputShapes`; `nil` for an input node.
    /// Int8 graphs use it too, for the layers they keep in float.
    static func floatKernel(for node: Node, inputShapes: [[Int]]) throws -> (any LayerKernel)? {
        let first = inputShapes.first ?? []
        // Layers stored as int8 with float arithmetic (`--quantize int8-weights`).
        let stored = node.quantization.flatMap { $0.output == nil ? $0.storedWeights : nil } ?? [:]
        if !stored.isEmpty { return try WeightedF32Emitter(node: node, inputShape: first, stored: stored) }
        switch node.op {
        case .input:
            return nil
        case .identity, .flatten, .reshape:
            return AliasEmitter()
        case .dense, .conv, .depthwiseConv, .separableConv:
            return try WeightedF32Emitter(node: node, inputShape: first, stored: stored)
        case let .pool(p):
            return try PoolingF32Emitter(node: node, inputShape: first, pooling: p)
        case let .globalPool(g):
            return GlobalPoolingF32Emitter(node: node, pooling: g, inputShape: first)
        case let .move(movement):
            return try MovementF32Emitter(node: node, inputShape: first, movement: movement)
        case let .batchNorm(bn):
            return try AffineF32Emitter(node: node, inputShape: first, batchNorm: bn)
        case let .rescaling(scale, offset):
            return try AffineF32Emitter(node: node, inputShape: first, scale: scale, offset: offset)
        case let .normalization(n):
            return try NormalizationF32Emitter(node: node, inputShape: first, normalization: n)
        case let .activation(a):
            return ActivationLayerF32Emitter(node: node, activation: a)
        case .prelu:
            return try PReLUF32Emitter(node: node, inputShape: first)
        case let .convTranspose(c):
            return try ConvolutionTransposeF32Emitter(node: node, inputShape: first, convolution: c)
        case let .layerNorm(l):
            return try LayerNormalizationF32Emitter(node: node, inputShape: first, normalization: l)
        case let .merge(kind):
            return MergeF32Emitter(node: node, kind: kind)
        case let .concatenate(axis):
            return try ConcatenateF32Emitter(node: node, inputShapes: inputShapes, axis: axis)
        case let .recurrent(r):
            return try RecurrentF32Emitter(node: node, inputShape: first, cell: r)
        case let .embedding(inputDim, outputDim):
            return EmbeddingF32Emitter(node: node, inputShape: first, inputDim: inputDim, outputDim: outputDim)
        }
    }

    /// The int8 kernel for `node` of an int8 graph, from its op and its `NodeQuantization`.
    private static func int8Kernel(for node: Node, in graph: Graph, format: FormatChoice, goal: OptimizationGoal) throws -> (
        any LayerKernel
    )? {
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
            case .move: return try GatherS8Emitter(node: node, inputShape: first, zeroPoint: output.zeroPoint)
            default: throw mismatch()
            }
        case let .weighted(layer):
            return try WeightedS8Emitter(node: node, inputShape: first, layer: layer, choice: format, goal: goal)
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
                return MergeS8Emitter(
                    kind: .concatenate(outer: concatenation.outer, blocks: concatenation.blocks, rescales: rescales),
                    count: node.outputShape.elementCount, inputZeroPoints: inputQuantization.map(\.zeroPoint),
                    outputZeroPoint: output.zeroPoint)
            case .merge(.maximum), .merge(.minimum):
                return MergeS8Emitter(
                    kind: .extremum(largest: node.op == .merge(.maximum), rescales: rescales),
                    count: node.outputShape.elementCount, inputZeroPoints: inputQuantization.map(\.zeroPoint),
                    outputZeroPoint: output.zeroPoint)
            default: throw mismatch()
            }
        case let .sum(s):
            return MergeS8Emitter(
                kind: .sum(s), count: node.outputShape.elementCount,
                inputZeroPoints: inputQuantization.map(\.zeroPoint), outputZeroPoint: output.zeroPoint)
        case let .product(m):
            return MergeS8Emitter(
                kind: .product(m), count: node.outputShape.elementCount,
                inputZeroPoints: inputQuantization.map(\.zeroPoint), outputZeroPoint: output.zeroPoint)
        case let .recurrent(layer):
            guard case let .recurrent(cell) = node.op else { throw mismatch() }
            return RecurrentS8Emitter(node: node, inputShape: first, cell: cell, layer: layer)
        case .float:
            return try FloatLayerS8Emitter(node: node, inputShapes: inputShapes, inputQuantization: inputQuantization, output: output)
        }
    }
}
