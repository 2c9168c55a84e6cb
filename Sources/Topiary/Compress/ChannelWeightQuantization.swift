/// Symmetric per-channel int8 weights: each output channel's row is scaled so its largest
/// magnitude maps to 127, and rounded. Zeros (pruned weights) stay exactly zero.
enum ChannelWeightQuantization {
    /// Scales, one per channel of `rows`, for `values` in the Keras layout. A channel whose
    /// weights are all zero borrows the largest scale of the layer (any scale represents its
    /// zeros; a sensible one keeps its bias precise), or 1/127 when every weight is zero.
    static func scales(_ values: [Float], rows: KernelRows) -> [Float] {
        var largest = [Float](repeating: 0, count: rows.channels)
        for (i, w) in values.enumerated() {
            let c = i % rows.channels
            largest[c] = max(largest[c], abs(w))
        }
        let fallback = (largest.max() ?? 0) > 0 ? largest.max()! / 127 : Float(1) / 127
        return largest.map { $0 > 0 ? $0 / 127 : fallback }
    }

    /// `round(w / scale[c])` in `-127...127`, in the same (Keras) layout as `values`.
    static func quantize(_ values: [Float], scales: [Float]) -> [Int8] {
        values.indices.map { i in
            let q = (values[i] / scales[i % scales.count]).rounded()
            return Int8(min(max(q, -127), 127))
        }
    }
}
