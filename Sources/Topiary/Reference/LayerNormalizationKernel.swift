/// `LayerNormalization`: for each position of the axes that are not normalised, the mean and
/// variance of the values along the normalised axes, then
/// `(x − mean) / sqrt(variance + epsilon) · gamma + beta`, gamma and beta indexed by the
/// position along the normalised axes (1 and 0 when the node has none).
struct LayerNormalizationKernel: FloatKernel {
    let shape: [Int]
    let layout: LayerNormLayout
    let gamma: [Float]?
    let beta: [Float]?
    let epsilon: Float

    init(node: Node, inputShape: [Int], parameters l: LayerNormalization) throws {
        guard !l.axes.isEmpty, l.axes.allSatisfy({ $0 >= 0 && $0 < inputShape.count }), l.axes == Array(Set(l.axes)).sorted() else {
            throw InferenceError(.invalidGraph, layer: node.name, "normalised axes \(l.axes.map { $0 + 1 }) do not fit input \(inputShape)")
        }
        layout = LayerNormLayout(shape: inputShape, axes: l.axes)
        let count = layout.normalised.elementCount
        for role in [WeightRole.gamma, .beta] where node.weights[role].map({ $0.count != count }) ?? false {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(node.kerasClass) weight '\(role.rawValue)' has \(node.weights[role]!.count) values, expected \(count) (one per normalised position)"
            )
        }
        gamma = node.weights[.gamma]?.values
        beta = node.weights[.beta]?.values
        epsilon = l.epsilon
        shape = inputShape
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        let x = inputs[0].values
        var out = [Float](repeating: 0, count: x.count)
        let offsets = layout.normalisedOffsets
        let count = Float(offsets.count)
        for base in layout.groupOffsets {
            var mean: Float = 0
            for offset in offsets { mean += x[base + offset] }
            mean /= count
            var variance: Float = 0
            for offset in offsets {
                let d = x[base + offset] - mean
                variance += d * d
            }
            variance /= count
            let inverse = 1 / (variance + epsilon).squareRoot()
            for (k, offset) in offsets.enumerated() {
                out[base + offset] = (x[base + offset] - mean) * inverse * (gamma?[k] ?? 1) + (beta?[k] ?? 0)
            }
        }
        return Tensor(shape: shape, values: out)
    }
}
