/// `BatchNormalization` at inference: `gamma · (x − movingMean) / sqrt(movingVariance + ε) + beta`
/// along one axis, folded into one scale and shift per channel as TensorFlow does
/// (`scale = gamma / sqrt(var + ε)`, `shift = beta − mean · scale`).
struct BatchNormKernel: FloatKernel {
    let layout: AxisLayout
    let scale: [Float]
    let shift: [Float]
    let shape: [Int]

    init(node: Node, inputShape: [Int], parameters bn: BatchNorm) throws {
        layout = try AxisLayout(node: node, shape: inputShape, axis: bn.axis)
        let n = layout.length
        let gamma = try node.channelWeight(.gamma, channels: n)
        let beta = try node.channelWeight(.beta, channels: n)
        let mean = try node.channelWeight(.movingMean, channels: n)
        let variance = try node.channelWeight(.movingVariance, channels: n)
        var scale = [Float](repeating: 0, count: n)
        var shift = [Float](repeating: 0, count: n)
        for k in 0..<n {
            scale[k] = gamma[k] / (variance[k] + bn.epsilon).squareRoot()
            shift[k] = beta[k] - mean[k] * scale[k]
        }
        self.scale = scale
        self.shift = shift
        shape = inputShape
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var values = inputs[0].values
        layout.affine(&values, scale: scale, shift: shift)
        return Tensor(shape: shape, values: values)
    }
}
