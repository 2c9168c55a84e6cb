extension FloatInference {
    /// The kernel that computes `node`'s op on inputs of `inputShapes`; every `Op` case has one.
    static func makeKernel(_ node: Node, inputShapes: [[Int]]) throws -> any FloatKernel {
        let first = inputShapes.first ?? []
        if inputShapes.isEmpty {
            throw InferenceError(.invalidGraph, layer: node.name, "\(node.kerasClass) has no input")
        }
        switch node.op {
        case .input:
            throw InferenceError(.invalidGraph, layer: node.name, "an input node is not computed")
        case .identity:
            return PassThroughKernel(outputShape: first)
        case .flatten:
            return PassThroughKernel(outputShape: [first.elementCount])
        case let .reshape(target):
            guard target.elementCount == first.elementCount else {
                throw InferenceError(
                    .invalidGraph, layer: node.name,
                    "cannot reshape \(first) (\(first.elementCount) elements) to \(target)")
            }
            return PassThroughKernel(outputShape: target)
        case let .dense(d):
            return try DenseKernel(node: node, inputShape: first, parameters: d)
        case let .conv(c):
            return try ConvolutionKernel(node: node, inputShape: first, parameters: c)
        case let .depthwiseConv(c):
            return try DepthwiseConvolutionKernel(node: node, inputShape: first, parameters: c)
        case let .separableConv(c):
            return try SeparableConvolutionKernel(node: node, inputShape: first, parameters: c)
        case let .pool(p):
            return try PoolingKernel(node: node, inputShape: first, parameters: p)
        case let .globalPool(g):
            return try GlobalPoolingKernel(node: node, inputShape: first, parameters: g)
        case let .batchNorm(bn):
            return AffineKernel(affine: try ChannelAffine(node: node, inputShape: first, batchNorm: bn), shape: first)
        case let .activation(a):
            return ActivationKernel(activation: a, shape: first)
        case .prelu:
            return try PReLUKernel(node: node, inputShape: first)
        case .move:
            return GatherKernel(table: try GatherTable(node: node, inputShape: first))
        case let .merge(kind):
            return try MergeKernel(node: node, inputShapes: inputShapes, kind: kind)
        case let .concatenate(axis):
            return try ConcatenateKernel(node: node, inputShapes: inputShapes, axis: axis)
        case let .recurrent(r):
            return try RecurrentKernel(node: node, inputShape: first, parameters: r)
        case let .embedding(inputDim, outputDim):
            return try EmbeddingKernel(node: node, inputShape: first, inputDim: inputDim, outputDim: outputDim)
        case let .rescaling(scale, offset):
            return AffineKernel(affine: try ChannelAffine(node: node, inputShape: first, scale: scale, offset: offset), shape: first)
        case let .normalization(n):
            return try NormalizationKernel(node: node, inputShape: first, parameters: n)
        case let .convTranspose(c):
            return try ConvolutionTransposeKernel(node: node, inputShape: first, parameters: c)
        case let .layerNorm(l):
            return try LayerNormalizationKernel(node: node, inputShape: first, parameters: l)
        }
    }
}
