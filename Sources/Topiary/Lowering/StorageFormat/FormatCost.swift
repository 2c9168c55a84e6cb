/// Estimated Cortex-M4 instructions of one weighted int8 layer in each storage format, so that
/// `--format auto` can weigh time against bytes.
///
/// Per output position the kernels do a fixed amount of work per output channel (the
/// per-channel output stage and the set-up of a row) and a variable amount per stored weight,
/// whose size depends on the format: one multiply-add per weight for dense, a mask byte per
/// eight weights and a lookup per nonzero for bitmask, an index, a value and a multiply-add
/// per entry for CSR, a position field and a multiply-add per stored entry for N:M. A CSR
/// convolution also gathers each position's window (every input channel of every tap) before
/// its rows, and runs positions in pairs, so its cost per channel is its own.
///
/// The dense, bitmask and N:M constants were measured with `topiary profile MODEL --quantize
/// int8 --calibration X --sparsity S --format F --json` (arm-none-eabi-gcc -O2
/// -mcpu=cortex-m4, QEMU -icount), F each of dense, bitmask (and `--pattern 2:4 --format
/// nm`), S 0.5 and 0.9, and fitted per layer as `instructions / positions = channels *
/// (channel + Σ count * constant)`: convolutions on the MLPerf Tiny ResNet-8 (filter lengths
/// 144, 288, 576 separate the per-weight from the per-channel cost), Dense on the digits MLP
/// (fc2 and fc3; the dense weight refitted to 1.2 on its three layers once the blocked
/// `tp_dense_s8` ran them at 10,077, 5,117 and 1,337 instructions, the channel kept),
/// depthwise 3x3 on the MLPerf Tiny MobileNetV1 (visual wake words) at 50%.
/// The CSR constants were measured the same way with `--format csr --prune-method magnitude`
/// at S 0.5 and 0.9: the difference between the two sparsities of a layer gives the cost per
/// entry, and the rest the cost per channel and per gathered window input, least-squares over
/// the ResNet-8 convolutions (1x1 filters of 16 and 32 inputs, 3x3 filters of 27, 144, 288
/// and 576; an entry serves two positions, so its cost per position is half its loop's).
/// Dense CSR rows were measured at S 0.8 and 0.9 on the digits MLP's three layers and the
/// MLPerf Tiny autoencoder's (`topiary profile bench/mlperf-tiny/ad01.h5 --input
/// bench/mlperf-tiny/ad_input.npy --quantize int8 --calibration bench/mlperf-tiny/ad_input.npy
/// --sparsity S --prune-method magnitude --format csr --json`): rows of one segment
/// (`tp_dense_csr_table_s8`, entries unrolled by eight after a ReLU, by four otherwise) cost
/// 4.3 to 4.6 per entry and, through the folded output stage (no branch, the ReLU layers'
/// without sign terms), 20 to 25 per row: the digits MLP's layers at 0.9 with
/// `--prune-method obs` ran 3,137, 1,597 and 397 instructions for 64, 32 and 10 rows of 410,
/// 205 and 32 entries, at 0.8 4,897, 2,457 and 537;
/// a layer with one multiplier or shift for all rows keeps `tp_dense_csr_s8`, 6 and 35; the
/// autoencoder's 640-input layer, rows of three segments summed four entries at a time, 4.8
/// per entry and 151 per row.
/// Depthwise 3x3 on the visual wake words model, where CSR never pays (each channel's rows
/// are 9 long and its gathered window as long).
public enum FormatCost {
    /// The loop a layer's weights go through.
    public enum Kernel: Equatable, Sendable {
        /// A Dense layer: contiguous inputs.
        case dense
        /// A convolution: inputs gathered per tap, sparse entries mapped to (tap, channel).
        case convolution
        /// A depthwise convolution of multiplier 1, whose dense loop sums four channels at once.
        case depthwise
    }

    /// Instructions per stored weight or index unit, and per output channel, of each format in
    /// one kernel.
    struct Constants: Equatable, Sendable {
        var denseWeight: Double
        var bitmaskByte: Double
        var bitmaskNonzero: Double
        var csrEntry: Double
        var nmEntry: Double
        var channel: Double
        /// Per output channel of a CSR layer, in place of `channel`.
        var csrChannel: Double
        /// Per input of the window a CSR convolution gathers at each position.
        var csrWindow: Double
        /// Per segment of a CSR Dense row of several segments (more than `csrSegment`
        /// inputs), on top of `csrChannel`: their entries are summed apart, then requantized
        /// as a row of their own.
        var csrSegment: Double = 0
        /// Per entry of a CSR Dense row of several segments, in place of `csrEntry`: those
        /// rows are summed four entries at a time.
        var csrSegmentedEntry: Double = 0
    }

    static func constants(_ kernel: Kernel) -> Constants {
        switch kernel {
        case .dense:
            return Constants(
                denseWeight: 1.2, bitmaskByte: 6, bitmaskNonzero: 12, csrEntry: 4.5, nmEntry: 18.5, channel: 85, csrChannel: 21,
                csrWindow: 0, csrSegment: 40, csrSegmentedEntry: 4.8)
        case .convolution:
            return Constants(
                denseWeight: 1.46, bitmaskByte: 7.2, bitmaskNonzero: 21.4, csrEntry: 3.5, nmEntry: 31, channel: 110,
                csrChannel: 54, csrWindow: 6.7)
        case .depthwise:
            return Constants(
                denseWeight: 2.5, bitmaskByte: 7, bitmaskNonzero: 16, csrEntry: 4.7, nmEntry: 31, channel: 100,
                csrChannel: 166, csrWindow: 8)
        }
    }

    /// Estimated instructions of `packed` over `positions` output positions (rows of a Dense
    /// layer).
    static func instructions(_ packed: PackedRows, kernel: Kernel, positions: Int) -> Double {
        let k = constants(kernel)
        let perPosition: Double
        switch packed.format {
        case .dense:
            perPosition = Double(packed.rows * packed.rowLength) * k.denseWeight + Double(packed.rows) * k.channel
        case .bitmask:
            perPosition =
                Double(packed.mask.count) * k.bitmaskByte + Double(packed.values.count) * k.bitmaskNonzero + Double(packed.rows) * k.channel
        case .csr:
            // A depthwise window holds every channel's taps; a convolution's, its filter row.
            let window = kernel == .depthwise ? packed.rows * packed.rowLength : packed.rowLength
            let segments = SparseFormat.csrSegments(rowLength: packed.rowLength)
            let segmented = kernel == .dense && segments > 1
            let entry = segmented ? k.csrSegmentedEntry : k.csrEntry
            perPosition =
                Double(packed.values.count) * entry + Double(window) * k.csrWindow
                + Double(packed.rows) * (k.csrChannel + (segmented ? Double(segments) * k.csrSegment : 0))
        case .nm:
            perPosition = Double(packed.values.count) * k.nmEntry + Double(packed.rows) * k.channel
        }
        return Double(positions) * perPosition
    }

    /// Instructions per output value of `tp_spread_channels_s8`, which moves the outputs of a
    /// layer that stores only its channels with weights (`LiveChannels`) where they go. An
    /// upper bound: placing every channel one by one measured 14 to 16 with `topiary profile`
    /// on the MLPerf Tiny visual wake words model (`conv2d_5`, 60 of 64 channels stored dense
    /// over 144 positions, ran 88,720 instructions slower than all 64, whose four rows cost
    /// about 55,000). The spread now copies the last position's row and writes only the stored
    /// outputs over it: about 5 per value on that model's `conv2d_9` (19 of 128 channels
    /// stored), more where most channels are stored, which it has not been re-fitted to.
    static let spreadValue = 15.0

    /// Estimated instructions of spreading the outputs of `channels` channels at `positions`
    /// positions.
    static func spreadInstructions(channels: Int, positions: Int) -> Double {
        Double(channels * positions) * spreadValue
    }

    /// The largest share of the dense bytes for which `balanced` accepts a format slower than
    /// dense, and how much slower it may be.
    static let balancedByteShare = 0.25
    static let balancedSlowdown = 2.0
    /// Bytes within this share of the dense bytes of each other count as equal for `balanced`,
    /// which then takes the faster packing: a few bytes are not worth a slower loop (nor the
    /// code of a second kernel family).
    static let balancedByteTolerance = 1.0 / 16

    /// The candidate `goal` prefers: `candidates` holds every packing that fits, dense first.
    static func best(_ candidates: [PackedRows], kernel: Kernel, positions: Int, goal: OptimizationGoal) -> PackedRows {
        precondition(!candidates.isEmpty && candidates[0].format == .dense, "dense is always a candidate")
        let costs = candidates.map { instructions($0, kernel: kernel, positions: positions) }
        let dense = (bytes: Double(candidates[0].bytes), instructions: costs[0])
        var best = 0
        for i in candidates.indices.dropFirst() {
            let bytes = candidates[i].bytes, cost = costs[i]
            switch goal {
            case .size:
                if bytes < candidates[best].bytes { best = i }
            case .speed:
                if cost < costs[best] || (cost == costs[best] && bytes < candidates[best].bytes) { best = i }
            case .balanced:
                let acceptable =
                    cost <= dense.instructions
                    || (Double(bytes) <= balancedByteShare * dense.bytes && cost <= balancedSlowdown * dense.instructions)
                let saved = Double(candidates[best].bytes - bytes), tolerance = balancedByteTolerance * dense.bytes
                let better = saved > tolerance || (abs(saved) <= tolerance && cost < costs[best])
                if acceptable && Double(bytes) <= dense.bytes && better { best = i }
            }
        }
        return candidates[best]
    }
}
