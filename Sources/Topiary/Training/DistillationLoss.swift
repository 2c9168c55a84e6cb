import Foundation

/// What the pruned model is trained to match on one output of one sample, and the loss's
/// gradient.
///
/// - A softmax output (over its last axis) is a classifier: the loss is Hinton's distillation,
///   `T² · KL(softmax(z_teacher / T) ‖ softmax(z / T))` on the logits `z` at temperature `T`,
///   plus the cross-entropy with the label when there is one. Its gradient with respect to
///   the logits is `T · (softmax(z / T) − p_teacher) + (softmax(z) − onehot)`.
/// - Any other output is a regression: the mean squared error to the teacher's output.
enum DistillationLoss {
    enum Target: Sendable {
        /// The teacher's probabilities at the temperature, one row per softmax row, and
        /// optionally the label of the first row.
        case classes(probabilities: [Float], rowLength: Int, label: Int?)
        case values([Float])
    }

    /// The target for a teacher's output node: `z` its logits when it is a classifier.
    static func target(y: [Float], z: [Float]?, classifier: Bool, rowLength: Int, temperature: Float, label: Int?) -> Target {
        guard classifier, let z else { return .values(y) }
        return .classes(probabilities: softmaxRows(z.map { $0 / temperature }, rowLength: rowLength), rowLength: rowLength, label: label)
    }

    /// The loss and its gradient (with respect to the logits for a classifier, the output
    /// otherwise) for the student's `y` and `z`.
    static func evaluate(_ target: Target, y: [Float], z: [Float]?, temperature: Float) -> (loss: Double, gradient: [Float]) {
        switch target {
        case let .values(expected):
            var loss = 0.0
            var gradient = [Float](repeating: 0, count: y.count)
            let n = Float(max(y.count, 1))
            for i in y.indices {
                let d = y[i] - expected[i]
                loss += Double(d * d)
                gradient[i] = 2 * d / n
            }
            return (loss / Double(n), gradient)
        case let .classes(teacher, rowLength, label):
            let logits = z ?? y
            let soft = softmaxRows(logits.map { $0 / temperature }, rowLength: rowLength)
            var loss = 0.0
            var gradient = [Float](repeating: 0, count: logits.count)
            for i in logits.indices {
                let p = teacher[i], q = max(soft[i], 1e-12)
                if p > 0 { loss += Double(temperature * temperature) * Double(p) * log(Double(p) / Double(q)) }
                gradient[i] = temperature * (soft[i] - p)
            }
            if let label {
                let plain = softmaxRows(Array(logits.prefix(rowLength)), rowLength: rowLength)
                loss -= log(max(Double(plain[label]), 1e-12))
                for k in 0..<rowLength { gradient[k] += plain[k] - (k == label ? 1 : 0) }
            }
            return (loss, gradient)
        }
    }

    static func softmaxRows(_ values: [Float], rowLength: Int) -> [Float] {
        var result = values
        Activation.normalise(&result, shape: [values.count / max(rowLength, 1), rowLength], axis: 1, log: false)
        return result
    }
}
