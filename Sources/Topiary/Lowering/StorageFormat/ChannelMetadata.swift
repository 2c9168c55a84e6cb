/// The per-channel output stage of a weighted int8 layer as stored in C: int32 biases, Q31
/// multipliers and int8 shifts. A multiplier or shift that is the same for every channel is
/// stored once (`tp_channel_output_s8`'s `multiplier_step` / `shift_step` 0), which is exact.
/// With `shiftPerRow` every channel keeps its shift: the CSR rows of a pointwise convolution
/// (`tp_pointwise_conv2d_csr_s8`) read it beside each row's entry count, a byte per row, and
/// their kernel is several times faster than the one that reads a shared shift.
struct ChannelMetadata: Equatable {
    var bias: [Int32]
    var multipliers: [Int32]
    var shifts: [Int8]

    init(_ layer: QuantizedLayer, shiftPerRow: Bool = false) {
        bias = layer.bias
        let m = layer.requantization.map(\.multiplier)
        let s = layer.requantization.map { Int8($0.shift) }
        multipliers = Set(m).count == 1 ? [m[0]] : m
        shifts = Set(s).count == 1 && !shiftPerRow ? [s[0]] : s
    }

    var multiplierStep: Int { multipliers.count == 1 && bias.count > 1 ? 0 : 1 }
    var shiftStep: Int { shifts.count == 1 && bias.count > 1 ? 0 : 1 }

    /// Flash bytes of the three arrays.
    var bytes: Int { bias.count * 4 + multipliers.count * 4 + shifts.count }
}
