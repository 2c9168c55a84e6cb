/// `BatchNormalization` and `Rescaling` as `tp_affine_f32`: `x · scale[k] + shift[k]` along
/// one axis (`ChannelAffine`, a BatchNormalization folded offline with the reference's
/// arithmetic), in place when the planner allows.
struct AffineF32Emitter: ElementwiseF32Emitter {
    let affine: ChannelAffine
    let meaning: (scale: String, shift: String)

    /// A folded BatchNormalization.
    init(node: Node, inputShape: [Int], batchNorm: BatchNorm) throws {
        affine = try ChannelAffine(node: node, inputShape: inputShape, batchNorm: batchNorm)
        meaning = ("scale: gamma / sqrt(moving variance + epsilon)", "shift: beta - moving mean * scale")
    }

    /// A Rescaling layer.
    init(node: Node, inputShape: [Int], scale: [Float], offset: [Float]) throws {
        affine = try ChannelAffine(node: node, inputShape: inputShape, scale: scale, offset: offset)
        meaning = ("scale", "offset")
    }

    func weights() throws -> [WeightRequest] {
        [
            WeightRequest(key: "scale", meaning: meaning.scale, shape: [affine.layout.length], values: affine.scale),
            WeightRequest(key: "shift", meaning: meaning.shift, shape: [affine.layout.length], values: affine.shift),
        ]
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        LayerCode(
            declarations: [affine.layout.declaration(symbol: site.paramsSymbol)],
            statements: [
                "tp_affine_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("scale")), \(site.weight("shift")), \(site.output));"
            ])
    }
}
