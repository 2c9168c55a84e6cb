/// Scores predictions against labels, deciding from their shapes whether the model is a
/// classifier or a regression model (what `topiary evaluate` prints).
public enum Evaluation {
    /// Scores `predictions` (`[samples] + output shape`) against `labels`.
    ///
    /// - Classifier (output width > 1): labels are class indices, one per sample (shape `[N]`
    ///   or `[N, 1]`; for outputs `[N, …, C]`, one per position `[N, …]`), or one-hot rows of
    ///   the output's shape. The prediction is the first largest score, as `numpy.argmax`.
    /// - Regression (output width 1, or labels with the output's shape that are not one-hot):
    ///   the mean absolute error.
    ///
    /// `labelsName` names the labels in errors.
    public static func score(predictions: NDArray, labels: NDArray, labelsName: String = "labels") throws -> EvaluationResult {
        let samples = predictions.sampleCount
        guard !labels.shape.isEmpty, labels.sampleCount == samples else {
            throw InferenceError(
                .badInput,
                "\(labelsName) has \(labels.shape.isEmpty ? 1 : labels.sampleCount) samples, but the model made \(samples) predictions; give one label per input sample"
            )
        }
        let outputShape = predictions.sampleShape
        let labelShape = labels.sampleShape
        let width = outputShape.elementCount
        let classes = outputShape.last ?? 1

        if width == 1 || classes == 1 {
            guard labelShape.elementCount == width else {
                throw InferenceError(
                    .badInput,
                    "\(labelsName) has samples of shape \(labelShape), but the model predicts shape \(outputShape); give one target per output value"
                )
            }
            return meanAbsoluteError(predictions.values, labels.values)
        }
        if labelShape == outputShape {
            if isOneHot(labels.values, classes: classes) {
                let truth = argmaxes(labels.values, classes: classes)
                return accuracy(argmaxes(predictions.values, classes: classes), truth)
            }
            return meanAbsoluteError(predictions.values, labels.values)
        }
        let positions = Array(outputShape.dropLast())
        guard labelShape == positions || labelShape == positions + [1] else {
            throw InferenceError(
                .badInput,
                "\(labelsName) has samples of shape \(labelShape); for predictions of shape \(outputShape) give class indices of shape \(positions) or one-hot rows / targets of shape \(outputShape)"
            )
        }
        guard labels.isIntegerValued else {
            throw InferenceError(.badInput, "\(labelsName) holds non-integer values where class indices 0..<\(classes) were expected")
        }
        if let bad = labels.values.firstIndex(where: { $0 < 0 || $0 >= Float(classes) }) {
            throw InferenceError(
                .badInput,
                "\(labelsName) holds class \(Self.label(labels.values[bad])) at index \(bad), but the model has classes 0..<\(classes)")
        }
        return accuracy(argmaxes(predictions.values, classes: classes), labels.values.map { Int($0) })
    }

    /// A class label as the user wrote it: `3` rather than `3.0`, and infinities as they are.
    private static func label(_ value: Float) -> String {
        value.isFinite ? String(Int(value)) : String(value)
    }

    /// Index of the first largest value of each `classes`-long row, as `numpy.argmax` picks it.
    public static func argmaxes(_ values: [Float], classes: Int) -> [Int] {
        stride(from: 0, to: values.count, by: classes).map { start in
            var best = start
            for i in start..<(start + classes) where values[i] > values[best] { best = i }
            return best - start
        }
    }

    private static func isOneHot(_ values: [Float], classes: Int) -> Bool {
        stride(from: 0, to: values.count, by: classes).allSatisfy { start in
            let row = values[start..<(start + classes)]
            return row.allSatisfy { $0 == 0 || $0 == 1 } && row.filter { $0 == 1 }.count == 1
        }
    }

    private static func accuracy(_ predicted: [Int], _ truth: [Int]) -> EvaluationResult {
        .accuracy(correct: zip(predicted, truth).filter { $0 == $1 }.count, total: truth.count)
    }

    private static func meanAbsoluteError(_ predicted: [Float], _ truth: [Float]) -> EvaluationResult {
        var sum = 0.0
        for (p, t) in zip(predicted, truth) { sum += Double(abs(p - t)) }
        return .meanAbsoluteError(truth.isEmpty ? 0 : sum / Double(truth.count), count: truth.count)
    }
}
