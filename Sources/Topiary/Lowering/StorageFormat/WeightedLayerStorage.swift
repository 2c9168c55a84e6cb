/// How one int8 layer with weights is stored: its rows packed in the format chosen for its
/// loop, and its per-channel metadata.
///
/// Compression counts a candidate's bytes from this without writing any C.
struct WeightedLayerStorage {
    let loop: WeightedLayerLoop
    let packed: PackedRows
    let metadata: ChannelMetadata

    init(node: Node, inputShape: [Int], layer: QuantizedLayer, choice: FormatChoice, goal: OptimizationGoal) throws {
        loop = try WeightedLayerLoop(node: node, inputShape: inputShape, layer: layer)
        if let kernel = loop.costKernel {
            packed = RowPacker.choose(
                layer.weights, rows: layer.outputChannels, rowLength: layer.rowLength, choice: choice, goal: goal,
                kernel: kernel, positions: loop.positions)
        } else {
            packed = RowPacker.pack(layer.weights, rows: layer.outputChannels, rowLength: 1, as: .dense)
        }
        metadata = ChannelMetadata(layer)
    }

    /// The layer's storage and work, named `name`.
    func footprint(layer name: String) -> LayerFootprint {
        let weights = packed.rows * packed.rowLength
        return LayerFootprint(
            layer: name, format: packed.format, channels: packed.rows, weights: weights, nonzeros: packed.nonzeros,
            valueBytes: packed.valueBytes, indexBytes: packed.indexBytes, metadataBytes: metadata.bytes,
            nonzeroMACs: packed.nonzeros * loop.positions, denseMACs: weights * loop.positions,
            float32Bytes: 4 * (weights + packed.rows))
    }
}
