/// The int8 encoding of an int8 model's inputs and outputs: what its float entry points
/// quantize and dequantize with, and what its header publishes as `NAME_INPUT_SCALE` and the
/// like.
public struct ModelQuantization: Equatable, Sendable {
    /// One per model input, in order.
    public var inputs: [QuantizationParameters]
    /// One per model output, in order.
    public var outputs: [QuantizationParameters]

    public init(inputs: [QuantizationParameters], outputs: [QuantizationParameters]) {
        self.inputs = inputs
        self.outputs = outputs
    }
}
