import Foundation

/// Adam (Kingma and Ba) over the trainable parameters, with the learning rate decaying along
/// a cosine from its start to zero over the run, and with each kernel's pruning mask applied
/// after every step so that a pruned weight stays zero.
struct AdamOptimizer {
    let learningRate: Double
    let totalSteps: Int
    let masks: [[Bool]?]
    let beta1: Float = 0.9
    let beta2: Float = 0.999
    let epsilon: Float = 1e-7
    private var m: [[Float]]
    private var v: [[Float]]
    private(set) var step = 0

    init(parameters: [[Float]], masks: [[Bool]?], learningRate: Double, totalSteps: Int) {
        self.learningRate = learningRate
        self.totalSteps = max(totalSteps, 1)
        self.masks = masks
        m = parameters.map { [Float](repeating: 0, count: $0.count) }
        v = m
    }

    /// The rate of the coming step.
    var currentRate: Double { learningRate * 0.5 * (1 + cos(Double.pi * Double(step) / Double(totalSteps))) }

    /// Moves `parameters` one step against `gradients` (the mini-batch's mean gradient).
    mutating func update(_ parameters: inout [[Float]], gradients: [[Float]]) {
        let rate = currentRate
        step += 1
        let correction1 = 1 - pow(Double(beta1), Double(step)), correction2 = 1 - pow(Double(beta2), Double(step))
        let alpha = Float(rate * correction2.squareRoot() / correction1)
        for k in parameters.indices {
            let mask = masks[k]
            for i in parameters[k].indices {
                if let mask, !mask[i] { continue }
                let g = gradients[k][i]
                m[k][i] = beta1 * m[k][i] + (1 - beta1) * g
                v[k][i] = beta2 * v[k][i] + (1 - beta2) * g * g
                parameters[k][i] -= alpha * m[k][i] / (v[k][i].squareRoot() + epsilon)
            }
        }
    }
}
