/// Labels for unlabelled validation data: the float model's own top-1 class per sample, so
/// that a compressed model's top-1 "accuracy" against them is its agreement with the float
/// model.
public enum AgreementLabels {
    /// The float model's top-1 class of output `output` for every sample of `arrays`, as an
    /// `[N]` array of class indices.
    public static func of(
        _ graph: Graph, _ arrays: [NDArray], sources: [String]? = nil, reshape: Bool = false,
        output: Int = 0
    ) throws -> NDArray {
        let predictions = try FloatInference(graph: graph).predict(arrays, sources: sources, reshape: reshape)
        guard predictions.indices.contains(output) else {
            throw InferenceError(.badInput, "output \(output) is out of range: the model has \(predictions.count) output(s)")
        }
        let scores = predictions[output]
        let width = scores.sampleShape.elementCount
        let classes = (0..<scores.sampleCount).map { i -> Float in
            let row = scores.values[(i * width)..<((i + 1) * width)]
            return Float(row.indices.max { row[$0] < row[$1] }! - i * width)
        }
        return NDArray(shape: [classes.count], values: classes)
    }
}
