/// The order in which `tp_depthwise_conv2d_s8` reads the dense weights of a depthwise
/// convolution with depth multiplier 1, so that the DSP body widens two taps of a channel from
/// one word and multiplies them in one `__smlad`.
///
/// Channels four at a time: per pair of taps `t`, `t + 1` the bytes
/// `w[c][t], w[c+1][t], w[c][t+1], w[c+1][t+1]`, then the same for channels `c+2`, `c+3`; an
/// odd last tap as `w[c][t], w[c+1][t], w[c+2][t], w[c+3][t]`. Channels after the last group of
/// four keep their row of taps. The same bytes as the rows, reordered: flash is unchanged.
enum DepthwiseWeightLayout {
    /// `rows` (`[channels][taps]`, row by row) in the kernel's order.
    static func interleave<Weight>(_ rows: [Weight], channels: Int, taps: Int) -> [Weight] {
        precondition(rows.count == channels * taps, "depthwise weights are one row of taps per channel")
        var result: [Weight] = []
        result.reserveCapacity(rows.count)
        let grouped = channels / 4 * 4
        for c in stride(from: 0, to: grouped, by: 4) {
            for t in stride(from: 0, to: taps - 1, by: 2) {
                for pair in [c, c + 2] {
                    result += [
                        rows[pair * taps + t], rows[(pair + 1) * taps + t], rows[pair * taps + t + 1], rows[(pair + 1) * taps + t + 1],
                    ]
                }
            }
            if taps % 2 == 1 {
                result += (c..<c + 4).map { rows[$0 * taps + taps - 1] }
            }
        }
        result += rows[(grouped * taps)...]
        return result
    }
}
