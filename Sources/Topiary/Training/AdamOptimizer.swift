import Foundation

/// Adam (Kingma and Ba) over the trainable parameters, with steps relative to each tensor's
/// size, a short warm-up, the rate then decaying along a cosine to zero over the run, and
/// each kernel's pruning mask applied after every step so that a pruned weight stays zero.
///
/// Adam's step is about the rate in every coordinate, whatever the gradient's size; a fixed
/// rate is then too large for a layer of small weights (a first convolution over 0...255
/// pixels with BatchNorm folded in has weights near 0.003) and too small for one of large
/// weights. Each tensor's steps are scaled by its root mean square (`scales`), so the rate
/// is the fraction of a typical weight a step may move, the same for every layer and model.
/// The warm-up (the first `warmUpFraction` of the steps, the rate rising linearly) keeps the
/// first steps, taken on second moments estimated from one or two mini-batches, small.
struct AdamOptimizer {
    let learningRate: Double
    let totalSteps: Int
    let masks: [[Bool]?]
    let scales: [Float]
    let beta1: Float = 0.9
    let beta2: Float = 0.999
    let epsilon: Float = 1e-7
    static let warmUpFraction = 0.05
    /// Scales the rate of the coming steps.
    var rateFactor = 1.0
    private var m: [[Float]]
    private var v: [[Float]]
    private(set) var step = 0

    init(parameters: [[Float]], masks: [[Bool]?], scales: [Float], learningRate: Double, totalSteps: Int) {
        self.learningRate = learningRate
        self.totalSteps = max(totalSteps, 1)
        self.masks = masks
        self.scales = scales
        m = parameters.map { [Float](repeating: 0, count: $0.count) }
        v = m
    }

    /// The root mean square of the nonzero `values` (the weights pruning kept), or 0.
    static func typicalSize(_ values: [Float]) -> Float {
        var sum: Double = 0
        var count = 0
        for x in values where x != 0 {
            sum += Double(x) * Double(x)
            count += 1
        }
        return count == 0 ? 0 : Float((sum / Double(count)).squareRoot())
    }

    /// The rate of the coming step.
    var currentRate: Double {
        let warmUp = max(1, Int((Double(totalSteps) * Self.warmUpFraction).rounded()))
        let rising = min(1, Double(step + 1) / Double(warmUp))
        return rateFactor * learningRate * rising * 0.5 * (1 + cos(Double.pi * Double(step) / Double(totalSteps)))
    }

    /// Counts `steps` steps of zero gradient taken before any other: with both moments
    /// still zero, they move nothing and only advance the schedule.
    mutating func skip(_ steps: Int) {
        precondition(m.allSatisfy { $0.allSatisfy { $0 == 0 } }, "only steps before the first gradient can be skipped")
        step += steps
    }

    /// Moves `parameters` one step against `gradients` (the mini-batch's mean gradient).
    mutating func update(_ parameters: inout [[Float]], gradients: [[Float]]) {
        let rate = currentRate
        step += 1
        let correction1 = 1 - pow(Double(beta1), Double(step)), correction2 = 1 - pow(Double(beta2), Double(step))
        let alpha = Float(rate * correction2.squareRoot() / correction1)
        for k in parameters.indices {
            let mask = masks[k]
            let stepSize = alpha * scales[k]
            for i in parameters[k].indices {
                if let mask, !mask[i] { continue }
                let g = gradients[k][i]
                m[k][i] = beta1 * m[k][i] + (1 - beta1) * g
                v[k][i] = beta2 * v[k][i] + (1 - beta2) * g * g
                parameters[k][i] -= stepSize * m[k][i] / (v[k][i].squareRoot() + epsilon)
            }
        }
    }
}
