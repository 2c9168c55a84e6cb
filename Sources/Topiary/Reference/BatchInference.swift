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
