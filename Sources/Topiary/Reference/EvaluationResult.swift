/// How well a model's predictions match labels: top-1 accuracy for classifiers, mean absolute
/// error for regression.
public enum EvaluationResult: Equatable, Sendable {
    /// `correct` of `total` predictions had the labelled class as their largest score.
    case accuracy(correct: Int, total: Int)
    /// Mean of `|prediction − label|` over `count` values.
    case meanAbsoluteError(Double, count: Int)
}

extension EvaluationResult: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .accuracy(correct, total):
            let percent = total == 0 ? 0 : 100 * Double(correct) / Double(total)
            return "top-1 accuracy \(formatted(percent))% (\(correct)/\(total))"
        case let .meanAbsoluteError(value, count):
            return "mean absolute error \(value) over \(count) values"
        }
    }

    private func formatted(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return String(rounded)
    }
}
