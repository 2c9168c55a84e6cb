/// `PReLU`: `x > 0 ? x : alpha · x`, with `alpha` shaped like the input except for size-1
/// (shared) axes, over which it is broadcast.
struct PReLUKernel: FloatKernel {
    let shape: [Int]
    /// `alpha` expanded to the input's full shape, so the run-time loop is element-wise.
    let alpha: [Float]

    init(node: Node, inputShape: [Int]) throws {
        guard let stored = node.weights[.alpha] else {
            throw InferenceError(.invalidGraph, layer: node.name, "PReLU has no 'alpha' weight; re-export the model with its weights")
        }
        // Keras may store alpha without leading size-1 axes; align it to the input's rank.
        var alphaShape = stored.shape
        while alphaShape.count < inputShape.count { alphaShape.insert(1, at: 0) }
        guard alphaShape.count == inputShape.count,
            zip(alphaShape, inputShape).allSatisfy({ $0 == $1 || $0 == 1 })
        else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "PReLU alpha of shape \(stored.shape) does not broadcast to input shape \(inputShape)")
        }
        alpha = GatherTable.table(over: inputShape) { index in
            GatherTable.offset(of: zip(index, alphaShape).map { $1 == 1 ? 0 : $0 }, in: alphaShape)
        }.map { stored.values[Int($0)] }
        shape = inputShape
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var values = inputs[0].values
        for i in values.indices where values[i] <= 0 { values[i] *= alpha[i] }
        return Tensor(shape: shape, values: values)
    }
}
