/// A tensor seen as `[outer, length, inner]` around one axis: the view every per-channel op
/// (BatchNorm, Normalization, Rescaling, softmax) uses to apply one value per index of that
/// axis, in the reference kernels and in the C ones (`tp_axis_f32_params`).
struct AxisLayout: Equatable, Sendable {
    let outer: Int
    let length: Int
    let inner: Int

    /// `axis` counts from 0 (batch excluded); a negative axis counts from the end as in Keras.
    init(node: Node, shape: [Int], axis: Int) throws {
        let resolved = axis < 0 ? axis + shape.count : axis
        guard resolved >= 0, resolved < shape.count else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(node.kerasClass) axis \(axis) is out of range for input shape \(shape) (batch excluded)")
        }
        outer = shape[..<resolved].reduce(1, *)
        length = shape[resolved]
        inner = shape[(resolved + 1)...].reduce(1, *)
    }
}
