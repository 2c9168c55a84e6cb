import Foundation

/// Runs the float reference over calibration samples and records, for every node, the range
/// its output takes: what the quantizer turns into int8 scales and zero points.
public enum Calibration {
    /// The samples of `arrays` (one per model input, samples along the first axis) as
    /// per-sample input tensors; a sample may have the input's shape or, when `reshape`, just
    /// its element count. `source` names the data in errors.
    public static func samples(
        from arrays: [NDArray], for graph: Graph, reshape: Bool = false, limit: Int? = nil,
        source: String = "the calibration data"
    ) throws -> [[Tensor]] {
        let shapes = graph.inputs.map { graph.nodes[$0].outputShape }
        guard arrays.count == shapes.count else {
            throw CompressionError(
                .calibration,
                "the model takes \(shapes.count) input(s), but \(arrays.count) calibration array(s) were given; give one --calibration per input"
            )
        }
        let counts = Set(arrays.map(\.sampleCount))
        guard counts.count == 1, let count = counts.first, count > 0, arrays.allSatisfy({ !$0.shape.isEmpty }) else {
            throw CompressionError(
                .calibration, "\(source) must hold the same positive number of samples along the first axis for every input")
        }
        for (array, shape) in zip(arrays, shapes) where array.sampleShape != shape {
            guard reshape, array.sampleShape.elementCount == shape.elementCount else {
                throw CompressionError(
                    .calibration,
                    "\(source) has samples of shape \(array.sampleShape), but the model input expects \(shape)"
                        + (array.sampleShape.elementCount == shape.elementCount ? "; pass --reshape" : ""))
            }
        }
        let used = min(count, limit ?? count)
        return (0..<used).map { i in zip(arrays, shapes).map { $0.sample(i, shape: $1) } }
    }

    /// Every node's output on each of `samples` (outer index: the sample), the samples run on
    /// all cores: the one float pass that the ranges, the recurrent statistics and compensated
    /// rounding all read.
    static func nodeValues(_ graph: Graph, samples: [[Tensor]]) throws -> [[Tensor]] {
        guard !samples.isEmpty else {
            throw CompressionError(.calibration, "int8 quantization needs calibration samples; give --calibration X.npy")
        }
        let engine: FloatInference
        do {
            engine = try FloatInference(graph: graph)
        } catch {
            throw CompressionError(.calibration, "the model cannot run in float: \(error)")
        }
        return try concurrentMap(samples.count) {
            try engine.runAllNodes(samples[$0])
        } failing: { i, error in
            CompressionError(.calibration, "calibration sample \(i): \(error)")
        }
    }

    /// The output range of every node of `graph`, by `method`, from `all` (`nodeValues`).
    static func ranges(_ graph: Graph, values all: [[Tensor]], method: CalibrationMethod) throws -> [ClosedRange<Float>] {
        var ranges: [ClosedRange<Float>] = []
        for node in 0..<graph.nodes.count {
            var values: [Float] = []
            values.reserveCapacity(all.count * graph.nodes[node].outputShape.elementCount)
            for sample in all { values.append(contentsOf: sample[node].values) }
            let finite = values.filter(\.isFinite)
            guard !finite.isEmpty else {
                throw CompressionError(
                    .calibration, layer: graph.nodes[node].layerName,
                    "produced no finite value on the calibration data")
            }
            ranges.append(range(of: finite, method: method))
        }
        return ranges
    }

    /// The range of `values` (finite, non-empty) by `method`.
    static func range(of values: [Float], method: CalibrationMethod) -> ClosedRange<Float> {
        let low = values.min()!, high = values.max()!
        switch method {
        case .minmax:
            return low...high
        case .percentile:
            let sorted = values.sorted()
            let lower = sorted[Int((Double(sorted.count - 1) * 0.0001).rounded())]
            let upper = sorted[Int((Double(sorted.count - 1) * 0.9999).rounded())]
            return lower...upper
        case .mse:
            return smallestErrorRange(values, low: low, high: high)
        }
    }

    /// Among `[α·low, α·high]` for α from 1 down to 0.3, the range whose quantization
    /// (rounding inside, clipping outside) has the smallest mean squared error on `values`
    /// (a fixed stride subsample of at most 20,000 of them).
    static func smallestErrorRange(_ values: [Float], low: Float, high: Float) -> ClosedRange<Float> {
        let step = max(1, values.count / 20_000)
        let sample = stride(from: 0, to: values.count, by: step).map { values[$0] }
        var best = low...high
        var bestError = Double.infinity
        for k in 0...35 {
            let alpha = 1 - Float(k) * 0.02
            let parameters = QuantizationParameters(range: alpha * low, alpha * high)
            var error = 0.0
            for x in sample {
                let d = Double(parameters.dequantize(parameters.quantize(x)) - x)
                error += d * d
            }
            if error < bestError {
                bestError = error
                best = (alpha * low)...(alpha * high)
            }
        }
        return best
    }
}
