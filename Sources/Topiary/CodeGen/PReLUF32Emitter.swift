/// `PReLU` as `tp_prelu_f32`, keeping `alpha` in its stored shape (size 1 along shared axes)
/// and broadcasting with zero strides, so an image PReLU stores one slope per channel, not
/// one per pixel.
struct PReLUF32Emitter: ElementwiseF32Emitter {
    let inputShape: [Int]
    let alpha: Tensor
    let alphaStrides: [Int]

    init(node: Node, inputShape: [Int]) throws {
        try ShapeArrays.check(rank: inputShape.count, node: node)
        guard let stored = node.weights[.alpha] else {
            throw InferenceError(.invalidGraph, layer: node.name, "PReLU has no 'alpha' weight; re-export the model with its weights")
        }
        var shape = stored.shape
        while shape.count < inputShape.count { shape.insert(1, at: 0) }
        guard shape.count == inputShape.count, zip(shape, inputShape).allSatisfy({ $0 == $1 || $0 == 1 }) else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "PReLU weight 'alpha' of shape \(stored.shape) does not broadcast to the input \(inputShape)")
        }
        let dense = ShapeArrays.strides(shape)
        alphaStrides = shape.indices.map { shape[$0] == 1 ? 0 : dense[$0] }
        alpha = Tensor(shape: shape, values: stored.values)
        self.inputShape = inputShape
    }

    func weights() throws -> [WeightRequest] {
        [WeightRequest(key: "alpha", meaning: "alpha (negative slopes; size 1 on shared axes)", shape: alpha.shape, values: alpha.values)]
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        LayerCode.kernelCall(
            "tp_prelu_f32", site: site,
            fields: [
                ("rank", "\(inputShape.count)"), ("shape", CInitializer.list(inputShape)),
                ("alpha_stride", CInitializer.list(alphaStrides)),
            ],
            arguments: [site.inputs[0], site.weight("alpha"), site.output])
    }
}
