/// What the integer recurrent layers need from calibration beyond a node's output range: the
/// range of the hidden state over every step (a layer returning only its last state still
/// carries the others in the same int8 encoding) and the largest LSTM cell state, which sets
/// the cell's power-of-two scale.
struct RecurrentStatistics: Equatable {
    var hidden: ClosedRange<Float>
    var largestCell: Float
}

enum RecurrentCalibration {
    /// The statistics of every recurrent node of `graph`, by node index, over the calibration
    /// samples whose node outputs `values` holds (`Calibration.nodeValues`).
    static func statistics(_ graph: Graph, values: [[Tensor]]) throws -> [Int: RecurrentStatistics] {
        var found: [Int: RecurrentKernel] = [:]
        for (index, node) in graph.nodes.enumerated() {
            guard case let .recurrent(r) = node.op, let input = node.inputs.first else { continue }
            found[index] = try RecurrentKernel(node: node, inputShape: graph.nodes[input].outputShape, parameters: r)
        }
        let kernels = found
        guard !kernels.isEmpty else { return [:] }
        let perSample = concurrentMap(values.count) { i in
            let outputs = values[i]
            var found: [Int: RecurrentStatistics] = [:]
            for (index, kernel) in kernels {
                var low = Float.infinity, high = -Float.infinity, cell: Float = 0
                _ = kernel.run(outputs[graph.nodes[index].inputs[0]]) { state in
                    for v in state.h where v.isFinite {
                        low = min(low, v)
                        high = max(high, v)
                    }
                    for v in state.c where v.isFinite { cell = max(cell, abs(v)) }
                }
                if low <= high { found[index] = RecurrentStatistics(hidden: low...high, largestCell: cell) }
            }
            return found
        }
        var merged: [Int: RecurrentStatistics] = [:]
        for sample in perSample {
            for (index, s) in sample {
                if let m = merged[index] {
                    merged[index] = RecurrentStatistics(
                        hidden: min(m.hidden.lowerBound, s.hidden.lowerBound)...max(m.hidden.upperBound, s.hidden.upperBound),
                        largestCell: max(m.largestCell, s.largestCell))
                } else {
                    merged[index] = s
                }
            }
        }
        return merged
    }
}
