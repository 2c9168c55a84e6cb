/// A dense float tensor in row-major (C) order.
///
/// Weights keep the layout Keras stores them in (a Dense kernel is `[in, out]`, a Conv2D
/// kernel `[kh, kw, cin, cout]`); the ops document which layout each weight has.
public struct Tensor: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "tensor shape \(shape) does not match \(values.count) values")
        self.shape = shape
        self.values = values
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    public init(filling value: Float, shape: [Int]) {
        self.init(shape: shape, values: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    public var count: Int { values.count }
}

extension Array where Element == Int {
    /// Number of elements of a tensor of this shape.
    public var elementCount: Int { reduce(1, *) }
}
