/// What one weighted layer of an int8 model costs, for `topiary convert`'s table and the
/// benchmark: its storage format, how sparse it is, its bytes and the multiply-adds it does.
public struct LayerFootprint: Equatable, Sendable {
    /// The node (Keras layer, with a suffix for split parts such as `sep/depthwise`).
    public var layer: String
    public var format: SparseFormat
    /// Output channels (rows of weights).
    public var channels: Int
    /// The channels whose rows are stored, when only those with weights are (`LiveChannels`);
    /// nil when every row is.
    public var storedChannels: Int? = nil
    /// Weights in the layer.
    public var weights: Int
    /// Weights that are not zero.
    public var nonzeros: Int
    /// Bytes of the stored values.
    public var valueBytes: Int
    /// Bytes of the indices (mask, gaps and counts, position fields).
    public var indexBytes: Int
    /// Bytes of the per-channel bias, multiplier and shift.
    public var metadataBytes: Int
    /// Multiply-adds of one inference that involve a nonzero weight.
    public var nonzeroMACs: Int
    /// Multiply-adds of the dense layer.
    public var denseMACs: Int
    /// What the layer's parameters take as float32 (kernel and bias, 4 bytes each).
    public var float32Bytes: Int

    public var sparsity: Double { weights == 0 ? 0 : 1 - Double(nonzeros) / Double(weights) }
    /// Values, indices and metadata.
    public var totalBytes: Int { valueBytes + indexBytes + metadataBytes }
}
