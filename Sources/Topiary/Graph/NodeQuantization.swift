/// A node's quantization, set by the quantizer (`Quantizer`); `nil` in a float graph.
///
/// In an int8 graph every node has one: `output` is its int8 output tensor and `arithmetic`
/// how it computes. In an int8-weights graph only weighted nodes have one, with `output`
/// nil, `arithmetic` `.float` and their int8 storage in `storedWeights`.
public struct NodeQuantization: Equatable, Sendable {
    /// The int8 encoding of the node's output; nil when the output stays float.
    public var output: QuantizationParameters?
    public var arithmetic: IntegerArithmetic
    /// int8 storage of float-computed weights, by role.
    public var storedWeights: [WeightRole: QuantizedWeights]

    public init(output: QuantizationParameters?, arithmetic: IntegerArithmetic, storedWeights: [WeightRole: QuantizedWeights] = [:]) {
        self.output = output
        self.arithmetic = arithmetic
        self.storedWeights = storedWeights
    }
}
