/// `x · scale[k] + shift[k]` along one axis: a BatchNormalization folded as TensorFlow folds
/// it (`scale = gamma / sqrt(variance + ε)`, `shift = beta − mean · scale`), or a Rescaling
/// with its factors expanded to one per channel of the last axis.
///
/// The float reference, training and the C (`tp_affine_f32`) read these very floats, so they
/// agree to the last bit.
struct ChannelAffine: Equatable, Sendable {
    let layout: AxisLayout
    let scale: [Float]
    let shift: [Float]

    /// A BatchNormalization at inference.
    init(node: Node, inputShape: [Int], batchNorm bn: BatchNorm) throws {
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
    }

    /// A Rescaling layer, whose factors are one value or one per channel (last axis).
    init(node: Node, inputShape: [Int], scale: [Float], offset: [Float]) throws {
        guard !inputShape.isEmpty else {
            throw InferenceError(.invalidGraph, layer: node.name, "Rescaling needs an input of rank 1 or more")
        }
        layout = try AxisLayout(node: node, shape: inputShape, axis: inputShape.count - 1)
        let channels = layout.length
        func expand(_ values: [Float], _ what: String) throws -> [Float] {
            if let expanded = values.perChannel(channels) { return expanded }
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "Rescaling \(what) has \(values.count) values; expected 1 or one per channel (\(channels))")
        }
        self.scale = try expand(scale, "scale")
        shift = try expand(offset, "offset")
    }
}
