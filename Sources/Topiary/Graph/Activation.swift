import Foundation

/// An element-wise (or, for softmax, per-axis) activation with the exact parameters Keras uses.
///
/// Keras spells several of these as separate names (`relu6`, `leaky_relu`, the `ReLU` layer's
/// options); they are folded into `relu(negativeSlope:maxValue:threshold:)` so that every
/// engine implements one rectifier.
public enum Activation: Hashable, Sendable {
    case linear
    /// `x >= maxValue ? maxValue : x >= threshold ? x : negativeSlope * (x - threshold)`.
    case relu(negativeSlope: Float, maxValue: Float?, threshold: Float)
    case sigmoid
    /// Keras 3: `relu6(x + 3) / 6`.
    case hardSigmoid
    /// Keras 2 / tf.keras: `clip(0.2 * x + 0.5, 0, 1)`.
    case hardSigmoidKeras2
    case tanh
    /// Softmax over one axis of the (batch-less) tensor; the axis is non-negative.
    case softmax(axis: Int)
    case logSoftmax(axis: Int)
    /// `x > 0 ? x : alpha * (exp(x) - 1)`.
    case elu(alpha: Float)
    case selu
    case softplus
    case softsign
    /// `x * sigmoid(x)` (Keras `swish` and `silu`).
    case swish
    /// Exact (erf) form, or the tanh approximation when `approximate`.
    case gelu(approximate: Bool)
    case exponential
    /// `x * relu6(x + 3) / 6` (Keras `hard_swish` and `hard_silu`).
    case hardSwish
    /// `x * tanh(softplus(x))`.
    case mish

    public static let plainRelu = Activation.relu(negativeSlope: 0, maxValue: nil, threshold: 0)

    /// True for activations that mix elements along an axis rather than acting element-wise.
    public var isAxisWise: Bool {
        switch self {
        case .softmax, .logSoftmax: return true
        default: return false
        }
    }
}

extension Activation: CustomStringConvertible {
    public var description: String {
        switch self {
        case .linear: return "linear"
        case let .relu(slope, maxValue, threshold):
            if slope == 0, maxValue == nil, threshold == 0 { return "relu" }
            if slope == 0, maxValue == 6, threshold == 0 { return "relu6" }
            var parts: [String] = []
            if slope != 0 { parts.append("slope=\(slope.shortDescription)") }
            if let maxValue { parts.append("max=\(maxValue.shortDescription)") }
            if threshold != 0 { parts.append("threshold=\(threshold.shortDescription)") }
            return (slope != 0 && maxValue == nil && threshold == 0 ? "leaky_relu" : "relu") + "(" + parts.joined(separator: ", ") + ")"
        case .sigmoid: return "sigmoid"
        case .hardSigmoid: return "hard_sigmoid"
        case .hardSigmoidKeras2: return "hard_sigmoid(keras2)"
        case .tanh: return "tanh"
        case .softmax: return "softmax"
        case .logSoftmax: return "log_softmax"
        case let .elu(alpha): return alpha == 1 ? "elu" : "elu(alpha=\(alpha.shortDescription))"
        case .selu: return "selu"
        case .softplus: return "softplus"
        case .softsign: return "softsign"
        case .swish: return "swish"
        case let .gelu(approximate): return approximate ? "gelu(tanh)" : "gelu"
        case .exponential: return "exponential"
        case .hardSwish: return "hard_swish"
        case .mish: return "mish"
        }
    }
}

extension Float {
    /// The shortest decimal that reads back as the same float.
    var shortDescription: String { "\(self)" }
}
