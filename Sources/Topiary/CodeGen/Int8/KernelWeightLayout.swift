/// The order in which the int8 kernels read dense weights, where it differs from Keras's rows
/// (one row per output channel): chosen so that the DSP bodies load with one word what they
/// multiply together. The same bytes as the rows, reordered: flash is unchanged.
enum KernelWeightLayout {
    /// `tp_dense_s8`: units four at a time; per group of four inputs `k` the bytes
    /// `w[u][4k..4k+3]` of units `u = c..c+3`, then per unit its last `inputs % 4` weights.
    /// Units after the last block of four keep their rows.
    static func dense<Weight>(_ rows: [Weight], units: Int, inputs: Int) -> [Weight] {
        precondition(rows.count == units * inputs, "Dense weights are one row of inputs per unit")
        var result: [Weight] = []
        result.reserveCapacity(rows.count)
        let blocked = units / 4 * 4, groups = inputs / 4
        for c in stride(from: 0, to: blocked, by: 4) {
            for k in 0..<groups {
                for u in c..<c + 4 { result += rows[(u * inputs + 4 * k)..<(u * inputs + 4 * k + 4)] }
            }
            for u in c..<c + 4 { result += rows[(u * inputs + 4 * groups)..<((u + 1) * inputs)] }
        }
        result += rows[(blocked * inputs)...]
        return result
    }

    /// `tp_depthwise_conv2d_s8` (depth multiplier 1): channels four at a time; per pair of taps
    /// `t`, `t + 1` the bytes `w[c][t], w[c+1][t], w[c][t+1], w[c+1][t+1]`, then the same for
    /// channels `c+2`, `c+3`; an odd last tap as `w[c][t], w[c+1][t], w[c+2][t], w[c+3][t]`.
    /// Channels after the last group of four keep their row of taps.
    static func depthwise<Weight>(_ rows: [Weight], channels: Int, taps: Int) -> [Weight] {
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
