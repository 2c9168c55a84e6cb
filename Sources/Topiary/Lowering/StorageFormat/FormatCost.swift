/// Estimated Cortex-M4 instructions of one weighted int8 layer in each storage format, so that
/// `--format auto` can weigh time against bytes.
///
/// Per output position the kernels do a fixed amount of work per output channel (the
/// per-channel output stage and the set-up of a row) and a variable amount per stored weight,
/// whose size depends on the format: one multiply-add per weight for dense, a mask byte per
/// eight weights and a lookup per nonzero for bitmask, a gap and a multiply-add per entry for
/// CSR, a position field and a multiply-add per stored entry for N:M.
///
/// The constants were measured with `topiary profile MODEL --quantize int8 --calibration X
/// --sparsity S --format F --json` (arm-none-eabi-gcc -O2 -mcpu=cortex-m4, QEMU -icount),
/// F each of dense, bitmask, csr (and `--pattern 2:4 --format nm`), S 0.5 and 0.9, and fitted
/// per layer as `instructions / positions = channels * (channel + Σ count * constant)`:
/// convolutions on the MLPerf Tiny ResNet-8 (filter lengths 144, 288, 576 separate the
/// per-weight from the per-channel cost), Dense on the digits MLP (fc2 and fc3), depthwise
/// 3x3 on the MLPerf Tiny MobileNetV1 (visual wake words) at 50%.
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
    }

    static func constants(_ kernel: Kernel) -> Constants {
        switch kernel {
        case .dense:
            return Constants(denseWeight: 2.0, bitmaskByte: 6, bitmaskNonzero: 12, csrEntry: 6, nmEntry: 18.5, channel: 85)
        case .convolution:
            return Constants(denseWeight: 1.46, bitmaskByte: 7.2, bitmaskNonzero: 21.4, csrEntry: 14.5, nmEntry: 31, channel: 110)
        case .depthwise:
            return Constants(denseWeight: 2.5, bitmaskByte: 7, bitmaskNonzero: 16, csrEntry: 15, nmEntry: 31, channel: 100)
        }
    }

    /// Estimated instructions of `packed` over `positions` output positions (rows of a Dense
    /// layer).
    static func instructions(_ packed: PackedRows, kernel: Kernel, positions: Int) -> Double {
        let k = constants(kernel)
        let perPosition: Double
        switch packed.format {
        case .dense:
            perPosition = Double(packed.rows * packed.rowLength) * k.denseWeight
        case .bitmask:
            perPosition = Double(packed.mask.count) * k.bitmaskByte + Double(packed.values.count) * k.bitmaskNonzero
        case .csr:
            perPosition = Double(packed.values.count) * k.csrEntry
        case .nm:
            perPosition = Double(packed.values.count) * k.nmEntry
        }
        return Double(positions) * (perPosition + Double(packed.rows) * k.channel)
    }

    /// The largest share of the dense bytes for which `balanced` accepts a format slower than
    /// dense, and how much slower it may be.
    static let balancedByteShare = 0.25
    static let balancedSlowdown = 2.0

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
                if acceptable && bytes < candidates[best].bytes { best = i }
            }
        }
        return candidates[best]
    }
}
