import Foundation

extension FloatInference {
    /// The values that `nodes` take on each calibration sample (outer index: the sample), the
    /// samples run on all cores. A sample the model cannot run fails the call as a `pass` error
    /// about `layer`, naming the first such sample.
    func values(of nodes: [Int], over samples: [[Tensor]], failing pass: CompressionPass, layer: String = "") throws
        -> [[Tensor]]
    {
        try concurrentMap(samples.count) { i in
            let all = try runAllNodes(samples[i])
            return nodes.map { all[$0] }
        } failing: { i, error in
            CompressionError(pass, layer: layer, "calibration sample \(i): \(error)")
        }
    }
}
