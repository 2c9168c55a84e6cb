/// Intermediate-layer distillation: besides its outputs, the pruned model learns to reproduce
/// the unpruned model's residual block outputs (the outputs of its `Add` layers), one
/// squared-error term per block, relative to the teacher's mean square output there so that
/// every block counts alike whatever the scale of its activations.
///
/// A softmax output says little about a sample the teacher already classifies with a wide
/// margin; the block outputs carry the whole representation, and give every layer a gradient
/// from close by rather than through the rest of the network.
struct BlockOutputMatching: Sendable {
    /// The matched nodes of the student's graph.
    let nodes: [Int]
    /// Per sample, per matched node: the teacher's output.
    let targets: [[[Float]]]
    /// Per matched node: the teacher's mean square output over every sample.
    let meanSquares: [Float]
    /// The weight of the sum of the block terms beside the output loss.
    let weight: Float

    /// The residual block outputs of `student` (merges by addition that are not model
    /// outputs) with the teacher's node of the same name, as (student node, teacher node).
    static func blockOutputs(student: Graph, teacher: Graph) -> [(student: Int, teacher: Int)] {
        var teacherIndex: [String: Int] = [:]
        for (index, node) in teacher.nodes.enumerated() { teacherIndex[node.name] = index }
        return student.nodes.indices.compactMap { index in
            let node = student.nodes[index]
            guard case .merge(.add) = node.op, !student.outputs.contains(index), let match = teacherIndex[node.name],
                teacher.nodes[match].outputShape == node.outputShape
            else { return nil }
            return (index, match)
        }
    }

    /// `targets`: per sample, the teacher's output at each of `nodes`, in order.
    init(nodes: [Int], targets: [[[Float]]], weight: Float) {
        self.nodes = nodes
        self.targets = targets
        self.weight = weight
        meanSquares = nodes.indices.map { k in
            var sum = 0.0
            var count = 0
            for sample in targets {
                for x in sample[k] { sum += Double(x) * Double(x) }
                count += sample[k].count
            }
            return Float(max(sum / Double(max(count, 1)), 1e-12))
        }
    }

    /// The term of matched node `k` for `sample`, whose student output is `y`, and its
    /// gradient with respect to `y`.
    func evaluate(sample: Int, node k: Int, y: [Float]) -> (loss: Double, gradient: [Float]) {
        let expected = targets[sample][k]
        let factor = weight / (Float(max(y.count, 1)) * meanSquares[k])
        var loss = 0.0
        var gradient = [Float](repeating: 0, count: y.count)
        for i in y.indices {
            let d = y[i] - expected[i]
            loss += Double(d * d)
            gradient[i] = 2 * factor * d
        }
        return (loss * Double(factor), gradient)
    }
}
