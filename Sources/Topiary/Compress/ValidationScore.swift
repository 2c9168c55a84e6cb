import Foundation

/// How a (compressed) classifier does on a labelled validation set: its top-1 accuracy, and
/// the mean cross-entropy of the labelled class, a smooth measure that still moves when a
/// change is too small to flip a prediction (what sensitivity ranking needs on a few hundred
/// samples, where one sample is a third of a point).
public struct ValidationScore: Equatable, Sendable {
    public var correct: Int
    public var total: Int
    /// Mean of `−log p(label)` in nats, with `p` the model's output probabilities (a softmax
    /// of the outputs when they are not probabilities already), clamped at `1e-6`.
    public var crossEntropy: Double

    /// Top-1 accuracy in percent.
    public var accuracy: Double { total == 0 ? 0 : 100 * Double(correct) / Double(total) }

    /// More correct predictions, or as many with a lower cross-entropy.
    public func isBetter(than other: ValidationScore) -> Bool {
        correct != other.correct ? correct > other.correct : crossEntropy < other.crossEntropy
    }

    /// How many points of top-1 this score is below `reference` (negative when above).
    public func drop(from reference: ValidationScore) -> Double {
        reference.accuracy - accuracy
    }
}

extension ValidationScore: CustomStringConvertible {
    public var description: String {
        String(format: "%.2f%% (%d/%d)", accuracy, correct, total)
    }
}
