/// One graph node prepared for float inference.
///
/// Kernels are built once per graph by `FloatInference.init`, which checks weights and
/// shapes and precomputes whatever the op can (index tables, transposed weights), so that
/// `forward` only does arithmetic and never has to validate the graph again.
protocol FloatKernel: Sendable {
    /// Computes the node's output from its inputs, whose shapes are the ones the kernel was
    /// built for.
    func forward(_ inputs: [Tensor]) throws -> Tensor
}
