/// How an int8 tensor encodes reals: `real = scale · (q − zeroPoint)` (TensorFlow Lite's
/// asymmetric scheme). Weights use `zeroPoint` 0; activations use the full `-128...127`.
public struct QuantizationParameters: Hashable, Sendable {
    public var scale: Float
    public var zeroPoint: Int32

    public init(scale: Float, zeroPoint: Int32) {
        self.scale = scale
        self.zeroPoint = zeroPoint
    }
}
