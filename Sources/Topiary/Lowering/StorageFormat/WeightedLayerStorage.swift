/// How one int8 layer with weights is stored: its rows packed in the format chosen for its
/// loop, and its per-channel metadata; with `--format auto`, only the rows of its channels
/// that have weights when that is smaller and no slower (`LiveChannels`).
///
/// Compression counts a candidate's bytes from this without writing any C.
struct WeightedLayerStorage {
    /// The loop over the stored channels.
    let loop: WeightedLayerLoop
    /// The layer the kernel runs: `live`'s channels alone when it is set, else the layer.
    let stored: QuantizedLayer
    let packed: PackedRows
    let metadata: ChannelMetadata
    /// The channels with weights, when only theirs are stored.
    let live: LiveChannels?
    /// Output channels of the layer, stored or not.
    let channels: Int
    /// Output positions of one inference (rows of a Dense layer).
    let positions: Int

    init(node: Node, inputShape: [Int], layer: QuantizedLayer, choice: FormatChoice, goal: OptimizationGoal) throws {
        let full = try WeightedLayerLoop(node: node, inputShape: inputShape, layer: layer)
        channels = layer.outputChannels
        positions = full.positions
        var chosen = (loop: full, stored: layer, packed: Self.pack(layer, loop: full, choice: choice, goal: goal), live: LiveChannels?.none)
        if choice == .auto, let live = LiveChannels(layer), let kernel = full.costKernel,
            let liveLoop = full.storing(channels: live.channels.count), let liveKernel = liveLoop.costKernel
        {
            let liveLayer = live.layer(of: layer)
            let livePacked = Self.pack(liveLayer, loop: liveLoop, choice: choice, goal: goal)
            let allCost = FormatCost.instructions(chosen.packed, kernel: kernel, positions: positions)
            let liveCost =
                FormatCost.instructions(livePacked, kernel: liveKernel, positions: positions)
                + FormatCost.spreadInstructions(channels: channels, positions: positions)
            let allBytes = chosen.packed.bytes + Self.metadata(layer, loop: full, packed: chosen.packed).bytes
            let liveBytes = livePacked.bytes + Self.metadata(liveLayer, loop: liveLoop, packed: livePacked).bytes + live.bytes
            let better: Bool
            switch goal {
            case .size: better = liveBytes < allBytes
            case .speed: better = liveCost < allCost
            case .balanced: better = liveBytes <= allBytes && liveCost <= allCost
            }
            if better { chosen = (liveLoop, liveLayer, livePacked, live) }
        }
        loop = chosen.loop
        stored = chosen.stored
        packed = chosen.packed
        live = chosen.live
        metadata = Self.metadata(stored, loop: loop, packed: packed)
    }

    /// The output stage of `layer` as stored for `packed` rows in `loop`: a shift per row for
    /// the CSR rows of a pointwise convolution, which read it from their row table.
    private static func metadata(_ layer: QuantizedLayer, loop: WeightedLayerLoop, packed: PackedRows) -> ChannelMetadata {
        ChannelMetadata(layer, shiftPerRow: loop.isPointwise && packed.format == .csr)
    }

    /// `layer`'s rows packed as `choice` and `goal` ask for its loop.
    private static func pack(_ layer: QuantizedLayer, loop: WeightedLayerLoop, choice: FormatChoice, goal: OptimizationGoal)
        -> PackedRows
    {
        guard let kernel = loop.costKernel else {
            return RowPacker.pack(layer.weights, rows: layer.outputChannels, rowLength: 1, as: .dense)
        }
        return RowPacker.choose(
            layer.weights, rows: layer.outputChannels, rowLength: layer.rowLength, choice: choice, goal: goal, kernel: kernel,
            positions: loop.positions)
    }

    /// The layer's storage and work, named `name`: the stored rows' values and indices, the
    /// live-channel mask and constant outputs counted with the indices.
    func footprint(layer name: String) -> LayerFootprint {
        let weights = channels * packed.rowLength
        return LayerFootprint(
            layer: name, format: packed.format, channels: channels, storedChannels: live == nil ? nil : packed.rows, weights: weights,
            nonzeros: packed.nonzeros, valueBytes: packed.valueBytes, indexBytes: packed.indexBytes + (live?.bytes ?? 0),
            metadataBytes: metadata.bytes, nonzeroMACs: packed.nonzeros * positions, denseMACs: weights * positions,
            float32Bytes: 4 * (weights + channels))
    }
}
