import Foundation

extension FloatInference {
    /// The values that `nodes` take on each calibration sample (outer index: the sample), the
    /// samples run on all cores. A sample the model cannot run fails the call as a `pass` error
    /// about `layer`, naming the first such sample.
    func values(of nodes: [Int], over samples: [[Tensor]], failing pass: CompressionPass, layer: String = "") throws
        -> [[Tensor]]
    {
        let values = ConcurrentSlots<[Tensor]>(count: samples.count, initial: [])
        // One slot per sample, so that failing samples never write the same slot at once.
        let failures = ConcurrentSlots<String?>(count: samples.count, initial: nil)
        DispatchQueue.concurrentPerform(iterations: samples.count) { i in
            do {
                let all = try runAllNodes(samples[i])
                values[i] = nodes.map { all[$0] }
            } catch {
                failures[i] = "calibration sample \(i): \(error)"
            }
        }
        if let message = failures.values.lazy.compactMap({ $0 }).first { throw CompressionError(pass, layer: layer, message) }
        return values.values
    }
}
