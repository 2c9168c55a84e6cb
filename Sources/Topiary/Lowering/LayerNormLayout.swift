/// Where the values of one layer normalisation lie in a row-major tensor, for the reference
/// kernel and the C one (`tp_layer_norm_f32_params`): the lengths and strides of the normalised
/// axes and of the others, from which come the offset of each group's first value (one group
/// per position of the other axes) and the offsets of a group's values relative to it, in the
/// row-major order of the normalised axes.
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
