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

/// Where the values of one layer normalisation lie in a row-major tensor: the offset of each
/// group's first value (one group per position of the other axes) and the offsets of a group's
/// values relative to it, in the row-major order of the normalised axes.
struct LayerNormLayout: Equatable, Sendable {
    /// The lengths and strides of the normalised axes and of the other axes.
    let normalised: [Int]
    let normalisedStrides: [Int]
    let others: [Int]
    let otherStrides: [Int]

    init(shape: [Int], axes: [Int]) {
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        let set = Set(axes)
        normalised = shape.indices.filter { set.contains($0) }.map { shape[$0] }
        normalisedStrides = shape.indices.filter { set.contains($0) }.map { strides[$0] }
        others = shape.indices.filter { !set.contains($0) }.map { shape[$0] }
        otherStrides = shape.indices.filter { !set.contains($0) }.map { strides[$0] }
    }

    var normalisedOffsets: [Int] { Self.offsets(normalised, normalisedStrides) }
    var groupOffsets: [Int] { Self.offsets(others, otherStrides) }

    /// The offset of every multi-index of `lengths`, in row-major order.
    private static func offsets(_ lengths: [Int], _ strides: [Int]) -> [Int] {
        var result = [0]
        for (length, stride) in zip(lengths, strides) {
            result = result.flatMap { base in (0..<length).map { base + $0 * stride } }
        }
        return result
    }
}
