/// The int8 rounding of the weights, seen in float: what training "through the int8 rounding"
/// applies before each forward pass (straight-through estimator: the gradient of the rounded
/// weight is used as the gradient of the float one, which keeps learning).
///
/// Kernels round as the quantizer stores them, symmetric per output channel with scale
/// `max|w| / 127` (`KernelRows`); biases, kept in int32, are left as they are.
struct FakeQuantization: Sendable {
    /// For each parameter, the rows of its kernel, or nil for a bias.
    let rows: [KernelRows?]

    func apply(_ values: [[Float]]) -> [[Float]] {
        zip(values, rows).map { values, rows in
            guard let rows else { return values }
            var result = values
            for c in 0..<rows.channels {
                var largest: Float = 0
                for p in 0..<rows.rowLength { largest = max(largest, abs(values[rows.index(channel: c, position: p)])) }
                guard largest > 0 else { continue }
                let scale = largest / 127
                for p in 0..<rows.rowLength {
                    let i = rows.index(channel: c, position: p)
                    result[i] = (values[i] / scale).rounded() * scale
                }
            }
            return result
        }
    }
}
