/// The `tp_activation` initializer for an `Activation` applied to a tensor of some shape.
///
/// Only the fields an activation uses are written; the rest are zero. Softmax and log-softmax
/// carry the `[outer, length, inner]` view of the tensor around their axis, resolved here from
/// the shape so the kernel never has to know the tensor's rank.
enum ActivationLiteral {
    /// A nested initializer such as `{ .kind = TP_ACT_RELU, .has_max = 1, .max_value = 6.0f }`.
    static func render(_ activation: Activation, shape: [Int], layer: String) throws -> String {
        func literal(_ value: Float, _ what: String) throws -> String {
            do {
                return try CFloatLiteral.literal(value)
            } catch {
                throw CodeGenError.nonFiniteParameter(layer: layer, parameter: what)
            }
        }
        var fields: [(String, String)]
        switch activation {
        case .linear: fields = [("kind", "TP_ACT_LINEAR")]
        case let .relu(slope, maxValue, threshold):
            if slope == 0 && threshold == 0 {
                fields = [("kind", "TP_ACT_RELU")]
            } else {
                fields = [
                    ("kind", "TP_ACT_RELU_GENERAL"), ("alpha", try literal(slope, "negative slope")),
                    ("threshold", try literal(threshold, "threshold")),
                ]
            }
            if let maxValue {
                fields += [("max_value", try literal(maxValue, "max value")), ("has_max", "1")]
            }
        case .sigmoid: fields = [("kind", "TP_ACT_SIGMOID")]
        case .hardSigmoid: fields = [("kind", "TP_ACT_HARD_SIGMOID")]
        case .hardSigmoidKeras2: fields = [("kind", "TP_ACT_HARD_SIGMOID_KERAS2")]
        case .tanh: fields = [("kind", "TP_ACT_TANH")]
        case let .softmax(axis), let .logSoftmax(axis):
            let kind = if case .softmax = activation { "TP_ACT_SOFTMAX" } else { "TP_ACT_LOG_SOFTMAX" }
            let layout = Self.layout(shape: shape, axis: axis)
            fields = [
                ("kind", kind), ("outer", String(layout.outer)), ("length", String(layout.length)),
                ("inner", String(layout.inner)),
            ]
        case let .elu(alpha): fields = [("kind", "TP_ACT_ELU"), ("alpha", try literal(alpha, "alpha"))]
        case .selu: fields = [("kind", "TP_ACT_SELU")]
        case .softplus: fields = [("kind", "TP_ACT_SOFTPLUS")]
        case .softsign: fields = [("kind", "TP_ACT_SOFTSIGN")]
        case .swish: fields = [("kind", "TP_ACT_SWISH")]
        case let .gelu(approximate): fields = [("kind", approximate ? "TP_ACT_GELU_TANH" : "TP_ACT_GELU")]
        case .exponential: fields = [("kind", "TP_ACT_EXPONENTIAL")]
        case .hardSwish: fields = [("kind", "TP_ACT_HARD_SWISH")]
        case .mish: fields = [("kind", "TP_ACT_MISH")]
        }
        return CInitializer.nested(fields)
    }

    /// The tensor seen as `[outer, length, inner]` around `axis` (negative counts from the end);
    /// an axis out of range normalises the whole tensor, as the reference does.
    static func layout(shape: [Int], axis: Int) -> (outer: Int, length: Int, inner: Int) {
        let resolved = axis < 0 ? axis + shape.count : axis
        guard !shape.isEmpty, resolved >= 0, resolved < shape.count else {
            return (1, shape.elementCount, 1)
        }
        return (shape[..<resolved].reduce(1, *), shape[resolved], shape[(resolved + 1)...].reduce(1, *))
    }
}
