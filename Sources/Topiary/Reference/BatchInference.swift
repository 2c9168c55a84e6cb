import Dispatch
import Foundation

extension FloatInference {
    /// Runs many samples, spread over the machine's cores; `samples[i]` holds sample `i`'s
    /// inputs. Results are in sample order. The first failing sample (by index) is reported,
    /// with its index.
    public func run(batch samples: [[Tensor]]) throws -> [[Tensor]] {
        guard !samples.isEmpty else { return [] }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, samples.count))
        let chunk = (samples.count + workers - 1) / workers
        let results = ConcurrentSlots<[Tensor]>(count: samples.count, initial: [])
        let failures = ConcurrentSlots<(index: Int, error: any Error)?>(count: workers, initial: nil)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let range = (worker * chunk)..<min((worker + 1) * chunk, samples.count)
            for index in range {
                do {
                    results[index] = try run(samples[index])
                } catch {
                    failures[worker] = (index, error)
                    return
                }
            }
        }
        if let first = failures.values.compactMap({ $0 }).min(by: { $0.index < $1.index }) {
            if var error = first.error as? InferenceError {
                error.message += " (sample \(first.index))"
                throw error
            }
            throw first.error
        }
        return results.values
    }

    /// Runs every sample of `arrays`, one array per model input with samples along the first
    /// axis, and returns one array per model output, shaped `[samples] + output shape`.
    ///
    /// `sources` names the arrays in errors (file names, as the user gave them). Each
    /// sample must have exactly the input's shape; with `reshape`, a sample with the same
    /// number of elements is reshaped to it instead (e.g. flat 64-pixel rows for an 8×8×1
    /// image input).
    public func predict(_ arrays: [NDArray], sources: [String]? = nil, reshape: Bool = false) throws -> [NDArray] {
        let names = sources ?? arrays.indices.map { "input \($0)" }
        guard arrays.count == graph.inputs.count else {
            throw InferenceError(
                .badInput,
                "the model takes \(graph.inputs.count) input(s) (\(inputNames.joined(separator: ", "))), but \(arrays.count) input file(s) were given; give them in that order"
            )
        }
        let counts = arrays.map(\.sampleCount)
        for (array, name) in zip(arrays, names) where array.shape.isEmpty {
            throw InferenceError(.badInput, "\(name) is a single number; give samples along the first axis")
        }
        guard Set(counts).count <= 1 else {
            throw InferenceError(
                .badInput,
                "the inputs have different sample counts: " + zip(names, counts).map { "\($0) has \($1)" }.joined(separator: ", "))
        }
        for (position, (array, name)) in zip(arrays, names).enumerated() where array.sampleShape != inputShapes[position] {
            let expected = inputShapes[position]
            let what =
                "model input '\(inputNames[position])' expects \(expected) per sample; \(name) has samples of shape \(array.sampleShape)"
            guard array.sampleShape.elementCount == expected.elementCount else {
                throw InferenceError(.badInput, what)
            }
            guard reshape else {
                throw InferenceError(.badInput, what + "; the element counts match, so pass --reshape to reshape each sample")
            }
        }
        // Every sample now has its input's shape, or its element count when reshaping.
        let samples = (0..<(counts.first ?? 0)).map { index in
            zip(arrays, inputShapes).map { $0.sample(index, shape: $1) }
        }
        let results = try run(batch: samples)
        return outputShapes.enumerated().map { output, shape in
            NDArray(stacking: results.map { $0[output] }, sampleShape: shape)
        }
    }
}
