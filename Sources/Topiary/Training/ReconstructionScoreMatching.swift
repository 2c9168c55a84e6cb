/// Anomaly-score matching for an autoencoder: besides its output, the pruned model learns to
/// keep each sample's score, the mean squared difference between the model's output and its
/// input, relative to the unpruned model's: the term is `weight · ((s − t) / t)²` for the
/// student's score `s` and the teacher's `t`.
///
/// The output's squared error bounds the score's change only loosely: `s − t` is
/// `2·mean((y_t − x)·(y − y_t)) + mean((y − y_t)²)`, first order in the output error where it
/// runs along the teacher's residual `y_t − x`. A pruned autoencoder tends to make exactly that
/// error (it reconstructs some frames closer to their input than the teacher, others farther),
/// so its scores move by several times what its output error alone would, most on the frames
/// the teacher reconstructs well, whose score is small.
struct ReconstructionScoreMatching: Sendable {
    /// Per sample: the model's input, flat.
    let inputs: [[Float]]
    /// Per sample: the teacher's score.
    let teacherScores: [Float]
    let weight: Float

    /// True for a model with one input and one output of as many values: an output that can
    /// be read as a reconstruction of the input.
    static func applies(to graph: Graph) -> Bool {
        graph.inputs.count == 1 && graph.outputs.count == 1
            && graph.nodes[graph.inputs[0]].outputShape.elementCount == graph.nodes[graph.outputs[0]].outputShape.elementCount
    }

    /// The mean squared difference between `output` and `input`.
    static func score(_ output: [Float], input: [Float]) -> Float {
        var sum: Float = 0
        for i in output.indices {
            let d = output[i] - input[i]
            sum += d * d
        }
        return sum / Float(max(output.count, 1))
    }

    /// `teacherOutputs`: per sample, the teacher's output for `inputs` of the same sample.
    init(inputs: [[Float]], teacherOutputs: [[Float]], weight: Float) {
        self.inputs = inputs
        self.weight = weight
        // A sample the teacher reconstructs exactly has no relative error to keep.
        teacherScores = zip(teacherOutputs, inputs).map { max(Self.score($0, input: $1), 1e-12) }
    }

    /// The term for `sample`, whose student output is `y`, and its gradient with respect to `y`.
    func evaluate(sample: Int, y: [Float]) -> (loss: Double, gradient: [Float]) {
        let x = inputs[sample], t = teacherScores[sample]
        let relative = (Self.score(y, input: x) - t) / t
        // d/dy_i of weight·relative² = weight · 2·relative / t · 2·(y_i − x_i) / n.
        let factor = 4 * weight * relative / (t * Float(max(y.count, 1)))
        return (Double(weight * relative * relative), y.indices.map { factor * (y[$0] - x[$0]) })
    }
}
