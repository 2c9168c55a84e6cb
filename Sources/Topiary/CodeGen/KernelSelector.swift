/// Chooses the C kernel for each node.
///
/// This is the one place that maps ops to kernels. The float path has one kernel per op
/// family; quantized and sparse kernels will be chosen here too, per layer, from the node's
/// weights and the conversion options, without the planner or the generator changing.
enum KernelSelector {
    /// The kernel for `node`, whose inputs have `inputShapes`; `nil` for an input node, which
    /// is read straight from the caller's buffer.
    static func kernel(for node: Node, inputShapes: [[Int]]) throws -> (any LayerKernel)? {
        let first = inputShapes.first ?? []
        // Layers stored as int8 with float arithmetic (`--quantize int8-weights`).
        if let quantization = node.quantization, quantization.output == nil, !quantization.storedWeights.isEmpty {
            return try Int8WeightsF32Emitter(node: node, inputShape: first, stored: quantization.storedWeights)
        }
        switch node.op {
        case .input:
            return nil
        case .identity, .flatten, .reshape:
            return AliasEmitter()
        case let .dense(d):
            return DenseF32Emitter(node: node, dense: d, inputShape: first)
        case let .conv(c):
            return ConvolutionF32Emitter(node: node, convolution: c,
                                        geometry: try WindowGeometry(node: node, inputShape: first, convolution: c))
        case let .depthwiseConv(c):
            return DepthwiseConvolutionF32Emitter(node: node, convolution: c,
                                                 geometry: try WindowGeometry(node: node, inputShape: first, convolution: c))
        case let .separableConv(c):
            return SeparableConvolutionF32Emitter(node: node, convolution: c,
                                                 geometry: try WindowGeometry(node: node, inputShape: first, convolution: c))
        case let .pool(p):
            return try PoolingF32Emitter(node: node, inputShape: first, pooling: p)
        case let .globalPool(g):
            return GlobalPoolingF32Emitter(node: node, pooling: g, inputShape: first)
        case let .permute(dims):
            return try PermuteF32Emitter(node: node, inputShape: first, dims: dims)
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
        case let .zeroPadding(padding):
            return try BorderF32Emitter(node: node, inputShape: first, amounts: padding, padding: true)
        case let .cropping(cropping):
            return try BorderF32Emitter(node: node, inputShape: first, amounts: cropping, padding: false)
        case let .upSampling(size):
            return try UpSamplingF32Emitter(node: node, inputShape: first, size: size)
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
}
