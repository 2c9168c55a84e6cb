import Foundation

/// Float implementations of every `Activation`, as Keras defines them.
///
/// Element-wise activations are applied in place to a buffer; softmax and log-softmax need the
/// tensor's shape because they normalise along one axis. The switch is taken once per buffer,
/// not once per element, so the common cases (relu, sigmoid, tanh) stay tight loops.
extension Activation {
    /// Applies the activation in place to `values`, a tensor of `shape`.
    func apply(to values: inout [Float], shape: [Int]) {
        switch self {
        case let .softmax(axis):
            Self.normalise(&values, shape: shape, axis: axis, log: false)
        case let .logSoftmax(axis):
            Self.normalise(&values, shape: shape, axis: axis, log: true)
        default:
            values.withUnsafeMutableBufferPointer { applyElementwise(to: $0) }
        }
    }

    /// Applies an element-wise activation in place. Softmax over a buffer treats the buffer
    /// as the axis (which is how recurrent cells and 1D outputs would use it).
    func applyElementwise(to buffer: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .linear:
            return
        case let .relu(slope, maxValue, threshold):
            if slope == 0, threshold == 0 {
                if let maxValue {
                    for i in buffer.indices { buffer[i] = Swift.min(Swift.max(buffer[i], 0), maxValue) }
                } else {
                    for i in buffer.indices { buffer[i] = Swift.max(buffer[i], 0) }
                }
            } else {
                for i in buffer.indices { buffer[i] = Self.relu(buffer[i], slope, maxValue, threshold) }
            }
        case .sigmoid:
            for i in buffer.indices { buffer[i] = Self.sigmoid(buffer[i]) }
        case .tanh:
            for i in buffer.indices { buffer[i] = Foundation.tanh(buffer[i]) }
        case .softmax, .logSoftmax:
            var copy = Array(buffer)
            apply(to: &copy, shape: [copy.count])
            for i in buffer.indices { buffer[i] = copy[i] }
        default:
            for i in buffer.indices { buffer[i] = scalar(buffer[i]) }
        }
    }

    /// The activation of one value. Not defined for the axis-wise softmax family, for which it
    /// returns the input unchanged.
    func scalar(_ x: Float) -> Float {
        switch self {
        case .linear, .softmax, .logSoftmax:
            return x
        case let .relu(slope, maxValue, threshold):
            return Self.relu(x, slope, maxValue, threshold)
        case .sigmoid:
            return Self.sigmoid(x)
        case .hardSigmoid:
            return Swift.min(Swift.max(x + 3, 0), 6) / 6
        case .hardSigmoidKeras2:
            return Swift.min(Swift.max(0.2 * x + 0.5, 0), 1)
        case .tanh:
            return Foundation.tanh(x)
        case let .elu(alpha):
            return x > 0 ? x : alpha * Foundation.expm1(x)
        case .selu:
            let scale: Float = 1.0507009873554805
            let alpha: Float = 1.6732632423543772
            return x > 0 ? scale * x : scale * alpha * Foundation.expm1(x)
        case .softplus:
            return Self.softplus(x)
        case .softsign:
            return x / (1 + Swift.abs(x))
        case .swish:
            return x * Self.sigmoid(x)
        case let .gelu(approximate):
            if approximate {
                let c: Float = 0.7978845608028654  // sqrt(2 / pi)
                return 0.5 * x * (1 + Foundation.tanh(c * (x + 0.044715 * x * x * x)))
            }
            return 0.5 * x * (1 + Foundation.erf(x * 0.7071067811865476))
        case .exponential:
            return Foundation.exp(x)
        case .hardSwish:
            return x * Swift.min(Swift.max(x + 3, 0), 6) / 6
        case .mish:
            return x * Foundation.tanh(Self.softplus(x))
        }
    }

    static func relu(_ x: Float, _ slope: Float, _ maxValue: Float?, _ threshold: Float) -> Float {
        if let maxValue, x >= maxValue { return maxValue }
        if x >= threshold { return x }
        return slope * (x - threshold)
    }

    /// Logistic function evaluated without overflow on either side.
    static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    /// `log(1 + exp(x))` without overflow for large `x` or loss for very negative `x`.
    static func softplus(_ x: Float) -> Float {
        Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
    }

    /// Softmax (or log-softmax) along `axis`, subtracting the maximum first as Keras does so
    /// that large logits do not overflow.
    static func normalise(_ values: inout [Float], shape: [Int], axis: Int, log: Bool) {
        let axis = axis < 0 ? axis + shape.count : axis
        guard !shape.isEmpty, axis >= 0, axis < shape.count else {
            normalise(&values, shape: [values.count], axis: 0, log: log)
            return
        }
        let length = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        let outer = shape[..<axis].reduce(1, *)
        guard length > 0 else { return }
        values.withUnsafeMutableBufferPointer { v in
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * length * inner + i
                    var maximum = -Float.infinity
                    for k in 0..<length { maximum = Swift.max(maximum, v[base + k * inner]) }
                    var sum: Float = 0
                    for k in 0..<length {
                        let e = Foundation.exp(v[base + k * inner] - maximum)
                        sum += e
                        if !log { v[base + k * inner] = e }
                    }
                    if log {
                        let logSum = Foundation.log(sum)
                        for k in 0..<length { v[base + k * inner] = v[base + k * inner] - maximum - logSum }
                    } else {
                        for k in 0..<length { v[base + k * inner] /= sum }
                    }
                }
            }
        }
    }
}
