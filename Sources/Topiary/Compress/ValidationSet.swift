import Foundation

/// Labelled samples a compressed classifier is measured on while choosing its compression:
/// what `--max-accuracy-drop` is counted against and what `topiary sensitivity` plots.
public struct ValidationSet: Sendable {
    /// One array per model input, samples along the first axis.
    public var inputs: [NDArray]
    /// The labelled class of each sample.
    public var classes: [Int]
    /// Reshape samples whose element count matches the model input.
    public var reshape: Bool
    /// The model output the labels are for.
    public var output: Int

    /// `labels` holds class indices (shape `[N]` or `[N, 1]`) or one-hot rows for the classes
    /// of `graph`'s output `output`; `labelsName` names the file in errors.
    public init(
        inputs: [NDArray], labels: NDArray, for graph: Graph, output: Int = 0, reshape: Bool = false,
        labelsName: String = "the labels"
    ) throws {
        guard graph.outputs.indices.contains(output) else {
            throw CompressionError(.calibration, "output \(output) is out of range: the model has \(graph.outputs.count) output(s)")
        }
        let classes = graph.nodes[graph.outputs[output]].outputShape.elementCount
        guard let first = inputs.first, !first.shape.isEmpty else {
            throw CompressionError(.calibration, "the validation inputs hold no samples; give --input X.npy")
        }
        let samples = first.sampleCount
        guard !labels.shape.isEmpty, labels.sampleCount == samples else {
            throw CompressionError(
                .calibration,
                "\(labelsName) has \(labels.shape.isEmpty ? 1 : labels.sampleCount) labels for \(samples) validation samples; give one label per sample"
            )
        }
        guard classes > 1 else {
            throw CompressionError(
                .calibration, "accuracy budgets and sensitivity need a classifier, but the model's output has width \(classes)")
        }
        if labels.sampleShape == [classes] {
            self.classes = Evaluation.argmaxes(labels.values, classes: classes)
        } else if labels.sampleShape.elementCount == 1, labels.isIntegerValued,
            labels.values.allSatisfy({ $0 >= 0 && $0 < Float(classes) })
        {
            self.classes = labels.values.map { Int($0) }
        } else {
            throw CompressionError(
                .calibration,
                "\(labelsName) must hold class indices 0..<\(classes) (one per sample) or one-hot rows of \(classes); its samples have shape \(labels.sampleShape)"
            )
        }
        self.inputs = inputs
        self.reshape = reshape
        self.output = output
    }

    public var count: Int { classes.count }

    /// Runs `graph` (float, pruned or int8) on the samples and scores output `output`.
    public func score(_ graph: Graph) throws -> ValidationScore {
        let outputs = try CompressedPrediction.predict(graph, inputs, reshape: reshape)[output]
        let width = outputs.sampleShape.elementCount
        var correct = 0
        var loss = 0.0
        for (index, label) in classes.enumerated() {
            let row = Array(outputs.values[(index * width)..<((index + 1) * width)])
            if Evaluation.argmaxes(row, classes: width)[0] == label { correct += 1 }
            loss -= log(max(Self.probabilities(row)[label], 1e-6))
        }
        return ValidationScore(correct: correct, total: count, crossEntropy: loss / Double(max(count, 1)))
    }

    /// `row` itself when it is a probability vector (as a softmax output is, also after int8
    /// rounding), otherwise its softmax.
    static func probabilities(_ row: [Float]) -> [Double] {
        let values = row.map(Double.init)
        let sum = values.reduce(0, +)
        if values.allSatisfy({ $0 >= 0 && $0 <= 1 }), abs(sum - 1) < 0.05 { return values }
        let largest = values.max() ?? 0
        let exponentials = values.map { exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}
