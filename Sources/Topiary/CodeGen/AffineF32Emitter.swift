/// `BatchNormalization` and `Rescaling` as `tp_affine_f32`: `x · scale[k] + shift[k]` along
/// one axis, in place when the planner allows.
///
/// BatchNormalization is folded here, offline, to one scale and shift per channel with the
/// reference engine's arithmetic (`scale = gamma / sqrt(variance + ε)`,
/// `shift = beta − mean · scale`), so C and reference multiply by the very same floats.
struct AffineF32Emitter: LayerKernel {
    let view: AxisLayout
    let scale: [Float]
    let shift: [Float]
    let meaning: (scale: String, shift: String)

    /// A folded BatchNormalization.
    init(node: Node, inputShape: [Int], batchNorm: BatchNorm) throws {
        view = try AxisLayout(node: node, shape: inputShape, axis: batchNorm.axis)
        let n = view.length
        let gamma = try node.channelWeight(.gamma, channels: n)
        let beta = try node.channelWeight(.beta, channels: n)
        let mean = try node.channelWeight(.movingMean, channels: n)
        let variance = try node.channelWeight(.movingVariance, channels: n)
        var scale = [Float](repeating: 0, count: n)
        var shift = [Float](repeating: 0, count: n)
        for k in 0..<n {
            scale[k] = gamma[k] / (variance[k] + batchNorm.epsilon).squareRoot()
            shift[k] = beta[k] - mean[k] * scale[k]
        }
        self.scale = scale
        self.shift = shift
        meaning = ("scale: gamma / sqrt(moving variance + epsilon)", "shift: beta - moving mean * scale")
    }

    /// A Rescaling layer, whose factors are one value or one per channel (last axis).
    init(node: Node, inputShape: [Int], scale: [Float], offset: [Float]) throws {
        let view = try AxisLayout(node: node, shape: inputShape, axis: inputShape.count - 1)
        func expand(_ values: [Float], _ what: String) throws -> [Float] {
            if values.count == view.length { return values }
            if values.count == 1 { return [Float](repeating: values[0], count: view.length) }
            throw CodeGenError.unsupported(
                layer: node.name, reason: "Rescaling \(what) has \(values.count) values; expected 1 or \(view.length)")
        }
        self.view = view
        self.scale = try expand(scale, "scale")
        shift = try expand(offset, "offset")
        meaning = ("scale", "offset")
    }

    var storage: OutputStorage { .inPlace }
    var headers: [String] { ["tp_elementwise_f32.h"] }

    func weights() throws -> [WeightRequest] {
        [
            WeightRequest(key: "scale", meaning: meaning.scale, shape: [view.length], values: scale),
            WeightRequest(key: "shift", meaning: meaning.shift, shape: [view.length], values: shift),
        ]
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        LayerCode(
            declarations: [view.declaration(symbol: site.paramsSymbol)],
            statements: [
                "tp_affine_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("scale")), \(site.weight("shift")), \(site.output));"
            ])
    }
}
