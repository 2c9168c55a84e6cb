/// One compression of a model, measured: what sensitivity curves are made of and what each
/// step of a budgeted search looks at.
public struct CompressionTrial: Equatable, Sendable {
    /// What one prunable Keras layer became.
    public struct Layer: Equatable, Sendable {
        public var name: String
        /// Kernel weights (every kernel of the layer).
        public var weights: Int
        /// Of those, the ones that are not zero (after int8 rounding, for an int8 model).
        public var nonzeros: Int
        /// Values, indices and per-channel metadata in the generated int8 C; nil for a float
        /// model, whose C stores every weight as float32.
        public var bytes: Int?

        public var sparsity: Double { weights == 0 ? 0 : 1 - Double(nonzeros) / Double(weights) }
        /// What the search saves: int8 bytes, or four bytes per nonzero weight in float.
        var size: Int { bytes ?? nonzeros * 4 }
    }

    /// The sparsity asked of each pruned layer (absent: not pruned).
    public var fractions: [String: Double]
    public var score: ValidationScore
    /// Every constant array of the generated int8 C (weights, indices, metadata, tables):
    /// the model's flash apart from code. Nil for a float model.
    public var flashBytes: Int?
    /// The prunable layers, in model order.
    public var layers: [Layer]

    public func layer(_ name: String) -> Layer? { layers.first { $0.name == name } }

    /// What a search makes small: the layers' int8 bytes, or four bytes per nonzero weight
    /// in float.
    var size: Int { layers.reduce(0) { $0 + $1.size } }
}
