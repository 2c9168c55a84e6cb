/// A tensor seen as `[outer, length, inner]` around one axis, for per-channel kernels
/// (`tp_axis_f32_params`).
struct AxisView: Equatable {
    var outer: Int
    var length: Int
    var inner: Int

    /// `axis` counts from 0 (batch excluded); negative counts from the end, as in Keras.
    init(node: Node, shape: [Int], axis: Int) throws {
        let resolved = axis < 0 ? axis + shape.count : axis
        guard resolved >= 0, resolved < shape.count else {
            throw CodeGenError.unsupported(layer: node.name, reason: "axis \(axis) is out of range for input shape \(shape)")
        }
        outer = shape[..<resolved].reduce(1, *)
        length = shape[resolved]
        inner = shape[(resolved + 1)...].reduce(1, *)
    }

    /// The `tp_axis_f32_params` declaration.
    func declaration(symbol: String) -> String {
        CInitializer.declaration(type: "tp_axis_f32_params", symbol: symbol, fields: [
            ("outer", "\(outer)"), ("length", "\(length)"), ("inner", "\(inner)"),
        ])
    }
}
