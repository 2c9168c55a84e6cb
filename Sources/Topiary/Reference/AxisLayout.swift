/// A tensor seen as `[outer, length, inner]` around one axis: the view every per-channel op
/// (BatchNorm, Normalization, Rescaling) uses to apply one value per index of that axis.
struct AxisLayout: Sendable {
    let outer: Int
    let length: Int
    let inner: Int

    /// `axis` counts from 0 (batch excluded); a negative axis counts from the end as in Keras.
    init(node: Node, shape: [Int], axis: Int) throws {
        let resolved = axis < 0 ? axis + shape.count : axis
        guard resolved >= 0, resolved < shape.count else {
            throw InferenceError(.invalidGraph, layer: node.name,
                                 "\(node.kerasClass) axis \(axis) is out of range for input shape \(shape) (batch excluded)")
        }
        outer = shape[..<resolved].reduce(1, *)
        length = shape[resolved]
        inner = shape[(resolved + 1)...].reduce(1, *)
    }

    /// Applies `y = x · scale[k] + shift[k]` in place, `k` being the index along the axis.
    func affine(_ values: inout [Float], scale: [Float], shift: [Float]) {
        values.withUnsafeMutableBufferPointer { v in
            var index = 0
            for _ in 0..<outer {
                for k in 0..<length {
                    let a = scale[k], b = shift[k]
                    for _ in 0..<inner {
                        v[index] = v[index] * a + b
                        index += 1
                    }
                }
            }
        }
    }
}
