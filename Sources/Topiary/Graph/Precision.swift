/// The arithmetic a graph computes in: float throughout (also when weights are stored as int8
/// and computed in float), or int8 tensors with integer arithmetic, as the `Quantizer` leaves
/// them. The code generator, the reference engine and the parity harness all follow it.
public enum Precision: String, Equatable, Sendable {
    case float32
    case int8
}

extension Graph {
    /// `.int8` once the quantizer has given the nodes int8 outputs; `.float32` otherwise.
    public var precision: Precision {
        nodes.contains { $0.quantization?.output != nil } ? .int8 : .float32
    }
}

extension Precision {
    /// Bytes of one activation value: a float's 4, or an int8's 1.
    var elementBytes: Int { self == .int8 ? 1 : 4 }
}
