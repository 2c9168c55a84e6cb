import Foundation

extension FloatInference {
    /// Runs many samples, spread over the machine's cores; `samples[i]` holds sample `i`'s
    /// inputs. Results are in sample order. The first failing sample (by index) is reported,
    /// with its index.
    public func run(batch samples: [[Tensor]]) throws -> [[Tensor]] {
        try concurrentMap(samples.count) {
            try run(samples[$0])
        } failing: { index, error in
            guard var error = error as? InferenceError else { return error }
            error.message += " (sample \(index))"
            return error
        }
    }

    /// Runs every sample of `arrays`, one array per model input with samples along the first
    /// axis, and returns one array per model output, shaped `[samples] + output shape`
    /// (`sources` and `reshape` as `Graph.inputSamples` takes them).
    public func predict(_ arrays: [NDArray], sources: [String]? = nil, reshape: Bool = false) throws -> [NDArray] {
        let samples = try graph.inputSamples(arrays, sources: sources, reshape: reshape)
        let results = try run(batch: samples)
        return outputShapes.enumerated().map { output, shape in
            NDArray(stacking: results.map { $0[output] }, sampleShape: shape)
        }
    }
}
