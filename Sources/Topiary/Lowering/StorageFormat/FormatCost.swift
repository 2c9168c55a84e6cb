/// Estimated Cortex-M4 instructions of one weighted int8 layer in each storage format, so that
/// `--format auto` can weigh time against bytes.
///
/// Per output position the kernels do a fixed amount of work per output channel (the
/// per-channel output stage and the set-up of a row) and a variable amount per stored weight,
/// whose size depends on the format: one multiply-add per weight for dense, a mask byte per
/// eight weights and a lookup per nonzero for bitmask, an index, a value and a multiply-add
/// per entry for CSR, a position field and a multiply-add per stored entry for N:M. A CSR
/// convolution wider than 1x1 also gathers each position's window (every input channel of
/// every tap) before its rows, and runs positions in pairs, so its cost per channel is its own.
///
/// The constants were measured with `topiary profile MODEL --quantize int8 --calibration X
/// [--sparsity S --prune-method obs | --format F] --json` (arm-none-eabi-gcc -O2
/// -mcpu=cortex-m4, QEMU -icount) and fitted per layer as `instructions / positions =
/// Σ count * constant`, least squares on the relative error:
/// - dense convolutions (the blocked kernels): the MLPerf Tiny visual wake words model
///   (`bench/mlperf-tiny/vww_96.h5`, its six convolutions that store every channel) and a
///   keyword-spotting depthwise-separable network (a 10x4 convolution and four 1x1 ones of 64
///   filters), dense: 1.11 per weight and 21.6 per channel, within 7% on the 1x1 layers; the
///   wider filters (3x3x3, 10x4) run 13 to 24% above the fit, which their gathering costs.
///   Depthwise 3x3 on the same two models, since each group of four channels reads one record
///   built per layer: 3.8 per weight, the channel's own cost too small to tell apart (every
///   filter measured has nine taps), within 5% but for the two 3x3 maps, which run 12% above it;
/// - CSR convolutions (`tp_conv2d_csr_s8`, which layers of several groups, or whose rows share
///   one multiplier or shift, keep):
///   the same two models at 90% (OBS) before the pointwise kernel, the pointwise layers
///   fitted with the spread of live-channel layers taken at 5 per value: 4.05 per entry and 42.1 per
///   channel, no cost per window input (it is read in place), within 9% but for the smallest
///   layers; the two wider filters left 21 and 42 per window input on top (30 taken);
/// - bitmask and N:M: ResNet-8's convolutions and the digits MLP's Dense layers at 50% and
///   90% (`--format bitmask`, `--pattern 2:4 --format nm`), before the dense kernels were
///   blocked; their kernels keep a full output stage per channel (`channel`);
/// - Dense rows: dense, refitted once `tp_dense_s8` took the short output stage, to 1.62 per
///   weight and 30 per unit on the digits MLP's three layers (64->64->32->10: 8,637, 4,357 and
///   1,157 instructions) and the MLPerf Tiny autoencoder's (640->128: 136,977, 128->128:
///   30,537, 128->640: 152,217, 128->8 and 8->128: 1,977 and 5,537), within 5% except the
///   10-unit layer (29% under: two of its units take the plain loop). Dense CSR rows were
///   measured at S 0.8 and 0.9 on the digits MLP's three layers and the MLPerf Tiny
///   autoencoder's (`--format csr --prune-method magnitude`): rows of one segment
///   (`tp_dense_csr_table_s8`, entries unrolled by eight after a ReLU, by four otherwise) cost
///   4.3 to 4.6 per entry and, through the folded output stage (no branch, the ReLU layers'
///   without sign terms), 18 to 24 per row: the digits MLP's layers at 0.9 with `--prune-method
///   obs` ran 2,937, 1,497 and 377 instructions for 64, 32 and 10 rows of 410, 205 and 32
///   entries, at 0.8 4,737, 2,377 and 517, which 4.5 per entry and 21 per row put within 9%
///   (the ReLU layers above, the last below); a layer with one multiplier or shift for all rows
///   keeps `tp_dense_csr_s8`, 6 and 35. Rows of several segments run the same table kernel, a
///   segment at a time through the unrolled entry loop: with 4.5 per entry and 21 per row, 7.3
///   per segment after the first put a 64->256->128->10 digits MLP's 256-input ReLU layer (128
///   rows of two segments) at 0.9 and 0.8 with `--prune-method obs` (3,269 and 6,550 entries:
///   18,537 and 32,477 instructions) and the MLPerf Tiny autoencoder's 640-input layer (128
///   rows of three) at 0.85 (`--prune-method obs --prune-scope global`, 6,144 entries: 32,417)
///   and at 0.9 (`--prune-method magnitude`, 8,192 entries: 41,097) within 2%.
/// - pointwise CSR rows (`tp_pointwise_conv2d_csr_s8`, four positions per pass over patches
///   gathered as pairs): the 1x1 layers
///   of the keyword-spotting network at 0.8 and 0.9 (64 rows of 64 inputs over 125 positions)
///   and of the visual wake words model at 0.9 and 0.95 (`--prune-method obs`, 8 to 128 inputs,
///   9 to 2,304 positions, the spread of live-channel layers taken at its own cost), fitted
///   per computed position (`pointwisePassPositions`): 2.1 per entry, 14.8 per row and 1.13
///   per input channel gathered, within 6% on 30 of the 32 layers, the two of 8 inputs over
///   2,304 positions 8 and 9% below it. (Dense, the keyword-spotting layers cost 722,897
///   instructions, 5,783 per position: their CSR rows pay from about 45% sparsity.) Wider
///   windows run the same rows over each position's patch, a run of input bytes per kernel row
///   paired on its own, the rows of patches that cross the padding first copied: with the
///   constants above, the keyword-spotting network's 10x4 convolution over one channel (64
///   rows, 125 positions, 4.34 staged rows per position) at 0.9 and 0.8 (246,097 and 316,617
///   instructions; dense 607,137) and the visual wake words model's 3x3x3 one (8 rows, 2,304
///   positions, 0.08 staged rows per position) at 0.95 and 0.9 (574,097 and 624,177; dense
///   1,253,177) left 38 per kernel row after the first and 14 per staged row, within 1% on all
///   four. Patches of more than 255 values run the rows a segment at a time, as Dense rows
///   do: ResNet-8's (`bench/mlperf-tiny/pretrainedResnet.h5`) 3x3 layers over 32 and 64
///   channels (rows of two and three segments: 32 rows over 256 positions, 64 over 64 at
///   stride 2 and at stride 1) at 0.7 and 0.8 (`--prune-method obs`: 1,843 to 11,059 entries;
///   623,697 to 1,882,657 instructions), with the constants above and 12 per segment after the
///   first, within 6% on all six, the 16x16 map below it.
/// - depthwise CSR rows (`tp_depthwise_conv2d_csr_s8`, channel by channel over blocks of windows
///   with the same taps inside the input): the 13 depthwise layers of the visual wake words
///   model at 0.9 and 0.95 (`--prune-method obs --format csr`, 8 to 256 channels, 9 to 2,304
///   positions) and the four of the keyword-spotting network at 0.8 and 0.9 (64 channels over
///   125 positions), fitted as `instructions = positions * Σ count * constant + entries *
///   csrEntrySetUp`: 4.7 per entry and 5.5 per channel at each position (a channel without
///   taps writes one constant) and 664 per entry once per layer (a channel's blocks, up to nine
///   for a 3x3 'same' window, each set up over its taps), within 10% on 28 of the 34 layers
///   and 34% on all, the 6x6 and 3x3 maps farthest from it. On a 3x3 map the
///   blocks cost more than the windows: the last layer of the visual wake words model (256
///   channels) stays dense at 0.9 for speed and balanced, and takes CSR at 0.95 only for
///   balanced, which accepts it for its bytes (under a quarter of dense, 24% slower).
public enum FormatCost {
    /// The loop a layer's weights go through.
    public enum Kernel: Equatable, Sendable {
        /// A Dense layer: contiguous inputs.
        case dense
        /// A convolution of `taps` filter positions: its CSR loop gathers the inputs of every
        /// tap, unless the filter is 1x1 and each position's window is its own input pixel,
        /// read in place. Sparse entries map to (tap, channel).
        case convolution(taps: Int)
        /// A depthwise convolution of multiplier 1, whose dense loop sums four channels at once.
        case depthwise
        /// A one-group convolution (`WeightedLayerLoop.isPointwise`), whose CSR rows run four
        /// positions per pass over patches gathered as pairs, a run of input bytes per kernel
        /// row (`kernelRows`), of which `stagedRows` per position on average are first copied
        /// with the input zero point at the taps in the padding.
        case pointwise(kernelRows: Int, stagedRows: Double)
    }

    /// Instructions per stored weight or index unit, and per output channel, of each format in
    /// one kernel.
    struct Constants: Equatable, Sendable {
        var denseWeight: Double
        var bitmaskByte: Double
        var bitmaskNonzero: Double
        var csrEntry: Double
        var nmEntry: Double
        /// Per output channel of the dense kernels, whose blocked loops share one output
        /// stage's set-up among several channels.
        var denseChannel: Double
        /// Per output channel of the bitmask and N:M kernels.
        var channel: Double
        /// Per output channel of a CSR layer, in place of `channel`.
        var csrChannel: Double
        /// Per input of the window a CSR convolution gathers at each position.
        var csrWindow: Double
        /// Per filter position of that window: each tap's run of input channels is copied on
        /// its own, which dominates where a tap holds one to three channels.
        var csrTap: Double = 0
        /// Per kernel row after the first of the patch a pointwise CSR layer gathers at each
        /// position: each is paired by a loop of its own.
        var csrKernelRow: Double = 0
        /// Per kernel row of a patch that a pointwise CSR layer copies into a staging row.
        var csrStagedRow: Double = 0
        /// Per segment after the first of a CSR row of several segments (more than
        /// `SparseFormat.csrSegment` inputs), on top of `csrChannel`: each segment enters the
        /// unrolled entry loop on its own.
        var csrSegment: Double = 0
        /// Per CSR entry once per layer, not per position: a depthwise channel's blocks of
        /// windows, each set up over every tap of the channel, more of them the more taps it
        /// has.
        var csrEntrySetUp: Double = 0
    }

    static func constants(_ kernel: Kernel) -> Constants {
        switch kernel {
        case .dense:
            return Constants(
                denseWeight: 1.62, bitmaskByte: 6, bitmaskNonzero: 12, csrEntry: 4.5, nmEntry: 18.5, denseChannel: 30, channel: 85,
                csrChannel: 21,
                csrWindow: 0, csrSegment: 7.3)
        case .convolution:
            return Constants(
                denseWeight: 1.11, bitmaskByte: 7.2, bitmaskNonzero: 21.4, csrEntry: 4.05, nmEntry: 31, denseChannel: 21.6, channel: 110,
                csrChannel: 42.1, csrWindow: 6.7, csrTap: 50)
        case .pointwise:
            // Stored dense, as a bitmask or N:M, a 1x1 layer runs the convolution's kernels;
            // only its CSR rows have a kernel of their own.
            var k = constants(.convolution(taps: 1))
            (k.csrEntry, k.csrChannel, k.csrWindow, k.csrTap) = (2.1, 14.8, 1.13, 0)
            (k.csrKernelRow, k.csrStagedRow, k.csrSegment) = (38, 14, 12)
            return k
        case .depthwise:
            return Constants(
                denseWeight: 3.8, bitmaskByte: 7, bitmaskNonzero: 16, csrEntry: 4.7, nmEntry: 31, denseChannel: 0.5, channel: 100,
                csrChannel: 5.5, csrWindow: 0, csrEntrySetUp: 664)
        }
    }

    /// Estimated instructions of `packed` over `positions` output positions (rows of a Dense
    /// layer).
    static func instructions(_ packed: PackedRows, kernel: Kernel, positions: Int) -> Double {
        let k = constants(kernel)
        let perPosition: Double
        var setUp = 0.0
        switch packed.format {
        case .dense:
            perPosition = Double(packed.rows * packed.rowLength) * k.denseWeight + Double(packed.rows) * k.denseChannel
        case .bitmask:
            perPosition =
                Double(packed.mask.count) * k.bitmaskByte + Double(packed.values.count) * k.bitmaskNonzero + Double(packed.rows) * k.channel
        case .csr:
            // A depthwise layer's taps are read in place, channel by channel; a convolution's
            // window is its filter row, read in place for a 1x1 filter.
            let window: Int, taps: Int
            var gathering = 0.0
            switch kernel {
            case .dense: (window, taps) = (packed.rowLength, 0)
            case let .pointwise(kernelRows, stagedRows):
                (window, taps) = (packed.rowLength, 0)
                gathering = Double(kernelRows - 1) * k.csrKernelRow + stagedRows * k.csrStagedRow
            case .depthwise: (window, taps) = (0, 0)
            case let .convolution(filterTaps): (window, taps) = filterTaps == 1 ? (0, 0) : (packed.rowLength, filterTaps)
            }
            let segments = SparseFormat.csrSegments(rowLength: packed.rowLength)
            perPosition =
                Double(packed.values.count) * k.csrEntry + Double(window) * k.csrWindow + Double(taps) * k.csrTap + gathering
                + Double(packed.rows) * (k.csrChannel + Double(segments - 1) * k.csrSegment)
            setUp = Double(packed.values.count) * k.csrEntrySetUp
        case .nm:
            perPosition = Double(packed.values.count) * k.nmEntry + Double(packed.rows) * k.channel
        }
        guard packed.format == .csr, case .pointwise = kernel else { return Double(positions) * perPosition + setUp }
        return Double(pointwisePassPositions(positions)) * perPosition
    }

    /// The positions a pointwise CSR layer of `positions` positions computes: four per pass, the
    /// last pass ending on the last position, a pass per position (its four sums the same) when
    /// there are fewer than four.
    static func pointwisePassPositions(_ positions: Int) -> Int {
        positions < 4 ? 4 * positions : 4 * ((positions + 3) / 4)
    }

    /// Instructions of `tp_spread_channels_s8`, which moves the outputs of a layer that stores
    /// only its channels with weights (`LiveChannels`) where they go: every position starts as
    /// a copy of the last one's row and only the stored outputs are written over it. Measured
    /// with `topiary profile` on the visual wake words model's live-channel layers beside the
    /// fitted cost of their stored rows: about 136 per position of 8 channels (`conv2d` at 90%,
    /// 7 stored), 172 of 16 (`conv2d_1`, 10 stored) and 5 per value where 128 are spread, so
    /// a fixed cost per position and one per value.
    static let spreadPosition = 100.0
    static let spreadValue = 4.5

    /// Estimated instructions of spreading the outputs of `channels` channels at `positions`
    /// positions.
    static func spreadInstructions(channels: Int, positions: Int) -> Double {
        Double(positions) * (spreadPosition + Double(channels) * spreadValue)
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
