extension FidelityReport {
    /// Runs the float `original` and the `compressed` graph (through the integer reference that
    /// the generated int8 C matches bit for bit, when it is int8) on every sample of `arrays`
    /// (one per model input, samples along the first axis) and compares their outputs.
    public static func measure(
        original: Graph, compressed: Graph, arrays: [NDArray], sources: [String], reshape: Bool = false,
        labels: NDArray? = nil, labelledOutput: Int = 0, labelsName: String = "labels"
    ) throws -> FidelityReport {
        let float = try FloatInference(graph: original).predict(arrays, sources: sources, reshape: reshape)
        let outputs = try CompressedPrediction.predict(compressed, arrays, sources: sources, reshape: reshape)
        return try FidelityReport(
            original: original, float: float, compressed: outputs, data: names(sources), labels: labels,
            labelledOutput: labelledOutput, labelsName: labelsName)
    }

    /// The same on samples already split into input tensors, e.g. the calibration samples.
    public static func measure(original: Graph, compressed: Graph, samples: [[Tensor]], data: String) throws -> FidelityReport {
        let arrays = original.inputs.enumerated().map { i, node in
            NDArray(stacking: samples.map { $0[i] }, sampleShape: original.nodes[node].outputShape)
        }
        let float = try FloatInference(graph: original).predict(arrays)
        let outputs = try CompressedPrediction.predict(compressed, arrays)
        return try FidelityReport(original: original, float: float, compressed: outputs, data: data)
    }

    /// File names without their folders, as a short description of the data.
    static func names(_ sources: [String]) -> String {
        sources.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: ", ")
    }
}
