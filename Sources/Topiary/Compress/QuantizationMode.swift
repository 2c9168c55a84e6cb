/// What `--quantize` asks for.
public enum QuantizationMode: String, Equatable, Sendable, CaseIterable {
    /// Float32 weights and arithmetic.
    case none
    /// int8 weights and activations, integer arithmetic (TensorFlow Lite's scheme).
    case int8
    /// int8 weight storage with a scale per output channel; float arithmetic.
    case int8Weights = "int8-weights"
}
