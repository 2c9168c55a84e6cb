/// One node's computation before its activation, with its backward pass: what fine-tuning
/// needs of every op it trains through.
///
/// Values are flat channels-last arrays of the shapes the graph records (no batch axis);
/// `parameters` are the node's trainable weights in the order of `TrainingGraph.roles(of:)`.
/// A backward pass adds the parameter gradients into `parameterGradients` (so a sample's
/// gradients accumulate over a mini-batch and over the calls of a shared layer) and returns
/// one input gradient per input.
protocol DifferentiableOp: Sendable {
    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float]
    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]]
}
