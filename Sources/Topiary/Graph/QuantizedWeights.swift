/// One weight tensor stored as int8 with a scale per output channel, for layers that compute
/// in float on int8-stored weights (`--quantize int8-weights`).
///
/// `values` keep the Keras layout of the float tensor (`shape`); the output channel of a
/// value is its index modulo `scales.count` (the last axis, or the last two flattened for a
/// depthwise kernel). The node's float weight holds exactly `scales[c] · values[i]`, so float
/// inference of the node is the layer's int8-weights arithmetic.
public struct QuantizedWeights: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Int8]
    public var scales: [Float]

    public init(shape: [Int], values: [Int8], scales: [Float]) {
        precondition(values.count == shape.reduce(1, *), "int8 weights do not fill shape \(shape)")
        self.shape = shape
        self.values = values
        self.scales = scales
    }

    /// The float values the int8 storage stands for.
    public var dequantized: [Float] {
        values.indices.map { Float(values[$0]) * scales[$0 % scales.count] }
    }
}
