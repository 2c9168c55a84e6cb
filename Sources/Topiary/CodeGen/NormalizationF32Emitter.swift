/// Keras `Normalization` as `tp_normalize_f32` (or `tp_denormalize_f32` with `invert`), with
/// the deviation `max(sqrt(variance), 1e-7)` computed offline as the reference computes it.
struct NormalizationF32Emitter: ElementwiseF32Emitter {
    let view: AxisLayout
    let mean: [Float]
    let deviation: [Float]
    let invert: Bool

    init(node: Node, inputShape: [Int], normalization: Normalization) throws {
        view = try AxisLayout(node: node, shape: inputShape, axis: normalization.axis)
        mean = try node.channelWeight(.mean, channels: view.length)
        deviation = try node.channelWeight(.variance, channels: view.length).map {
            max($0.squareRoot(), Normalization.epsilon)
        }
        invert = normalization.invert
    }

    func weights() throws -> [WeightRequest] {
        [
            WeightRequest(key: "mean", meaning: "mean", shape: [view.length], values: mean),
            WeightRequest(key: "deviation", meaning: "deviation: max(sqrt(variance), 1e-7)", shape: [view.length], values: deviation),
        ]
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let function = invert ? "tp_denormalize_f32" : "tp_normalize_f32"
        return LayerCode(
            declarations: [view.declaration(symbol: site.paramsSymbol)],
            statements: [
                "\(function)(&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("mean")), \(site.weight("deviation")), \(site.output));"
            ])
    }
}
