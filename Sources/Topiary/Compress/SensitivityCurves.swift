/// Per-layer sensitivity to pruning: the model's validation score with one layer pruned to
/// each sparsity and every other layer intact (`topiary sensitivity`), and the starting point
/// of a budgeted search.
public struct SensitivityCurves: Equatable, Sendable {
    /// The prunable Keras layers, in model order.
    public var layers: [String]
    /// The sparsities tried, ascending.
    public var sparsities: [Double]
    /// The uncompressed float model.
    public var reference: ValidationScore
    /// The model with the other compression options (int8, say) and no pruning.
    public var unpruned: CompressionTrial
    /// `trials[l][k]`: layer `l` alone pruned to `sparsities[k]`.
    public var trials: [[CompressionTrial]]

    /// Top-1 accuracy (percent) of layer `l` at each sparsity.
    public func accuracies(_ l: Int) -> [Double] { trials[l].map(\.score.accuracy) }
}
