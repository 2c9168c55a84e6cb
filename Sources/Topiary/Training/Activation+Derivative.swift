import Foundation

/// The backward pass of every `Activation`: the gradient with respect to the activation's
/// input `z`, given the gradient with respect to its output `y = f(z)`.
extension Activation {
    /// `dz` for `dy`, where `y` is `f(z)` of a tensor of `shape` (softmax mixes along its axis).
    func backward(_ dy: [Float], z: [Float], y: [Float], shape: [Int]) -> [Float] {
        switch self {
        case .linear:
            return dy
        case let .softmax(axis), let .logSoftmax(axis):
            let isLog: Bool
            if case .logSoftmax = self { isLog = true } else { isLog = false }
            let resolved = axis < 0 ? axis + shape.count : axis
            let length = shape.isEmpty ? dy.count : shape[resolved]
            let inner = shape.isEmpty ? 1 : shape[(resolved + 1)...].reduce(1, *)
            let outer = dy.count / max(length * inner, 1)
            var dz = dy
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * length * inner + i
                    if isLog {
                        // y = z − logΣexp(z): dz = dy − softmax(z) · Σdy.
                        var total: Float = 0
                        for k in 0..<length { total += dy[base + k * inner] }
                        for k in 0..<length { dz[base + k * inner] = dy[base + k * inner] - Foundation.exp(y[base + k * inner]) * total }
                    } else {
                        // dz = y ⊙ (dy − Σ y·dy).
                        var dot: Float = 0
                        for k in 0..<length { dot += y[base + k * inner] * dy[base + k * inner] }
                        for k in 0..<length { dz[base + k * inner] = y[base + k * inner] * (dy[base + k * inner] - dot) }
                    }
                }
            }
            return dz
        default:
            var dz = dy
            for i in dz.indices { dz[i] *= derivative(z[i], y[i]) }
            return dz
        }
    }

    /// `f'(z)` of an element-wise activation, using `y = f(z)` where that is cheaper. At the
    /// kinks of the rectifiers the derivative of the lower piece is taken, as TensorFlow does
    /// for ReLU at 0.
    func derivative(_ z: Float, _ y: Float) -> Float {
        switch self {
        case .linear, .softmax, .logSoftmax:
            return 1
        case let .relu(slope, maxValue, threshold):
            if let maxValue, z >= maxValue { return 0 }
            return z > threshold ? 1 : slope
        case .sigmoid:
            return y * (1 - y)
        case .hardSigmoid:
            return z > -3 && z < 3 ? 1.0 / 6 : 0
        case .hardSigmoidKeras2:
            return z > -2.5 && z < 2.5 ? 0.2 : 0
        case .tanh:
            return 1 - y * y
        case let .elu(alpha):
            return z > 0 ? 1 : alpha * Foundation.exp(z)
        case .selu:
            let scale: Float = 1.0507009873554805
            let alpha: Float = 1.6732632423543772
            return z > 0 ? scale : scale * alpha * Foundation.exp(z)
        case .softplus:
            return Self.sigmoid(z)
        case .softsign:
            let d = 1 + Swift.abs(z)
            return 1 / (d * d)
        case .swish:
            let s = Self.sigmoid(z)
            return s + z * s * (1 - s)
        case let .gelu(approximate):
            if approximate {
                let c: Float = 0.7978845608028654
                let u = c * (z + 0.044715 * z * z * z)
                let t = Foundation.tanh(u)
                return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * c * (1 + 3 * 0.044715 * z * z)
            }
            let pdf = Foundation.exp(-0.5 * z * z) * 0.3989422804014327
            return 0.5 * (1 + Foundation.erf(z * 0.7071067811865476)) + z * pdf
        case .exponential:
            return y
        case .hardSwish:
            if z <= -3 { return 0 }
            if z >= 3 { return 1 }
            return (2 * z + 3) / 6
        case .mish:
            let sp = Self.softplus(z)
            let t = Foundation.tanh(sp)
            return t + z * (1 - t * t) * Self.sigmoid(z)
        }
    }
}
