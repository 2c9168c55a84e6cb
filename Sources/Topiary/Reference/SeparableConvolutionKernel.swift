/// `SeparableConv1D` / `SeparableConv2D`: a depthwise filter (no bias) followed by a 1×1
/// pointwise convolution with the layer's bias and activation, as Keras computes it.
struct SeparableConvolutionKernel: FloatKernel {
    let depthwise: DepthwiseConvolutionKernel
    let pointwise: [Float]
    let bias: [Float]?
    let filters: Int
    let activation: Activation
    let outputShape: [Int]

    init(node: Node, inputShape: [Int], parameters c: SeparableConvolution) throws {
        // The depthwise stage carries no bias of its own: strip the node's bias so the shared
        // depthwise kernel does not look for one of the wrong width.
        var depthwiseNode = node
        depthwiseNode.weights[.bias] = nil
        depthwise = try DepthwiseConvolutionKernel(
            node: depthwiseNode, inputShape: inputShape, window: c.window, multiplier: c.depthMultiplier, useBias: false,
            activation: .linear)
        let width = depthwise.geometry.channels * c.depthMultiplier
        pointwise = try node.weight(.pointwiseKernel, shape: Array(repeating: 1, count: c.rank) + [width, c.filters]).values
        bias = try node.optionalWeight(.bias, shape: [c.filters], required: c.useBias)?.values
        filters = c.filters
        activation = c.activation
        outputShape = depthwise.geometry.outputShape(channels: c.filters)
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        let middle = depthwise.depthwise(inputs[0].values)
        let positions = depthwise.geometry.outputPositions
        let width = middle.count / max(positions, 1)
        var out = MatrixProduct.start(rows: positions, bias: bias, columns: filters)
        middle.withUnsafeBufferPointer { x in
            pointwise.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { o in
                    MatrixProduct.accumulate(rows: positions, inner: width, columns: filters, x: x, w: w, into: o)
                }
            }
        }
        activation.apply(to: &out, shape: outputShape)
        return Tensor(shape: outputShape, values: out)
    }
}
