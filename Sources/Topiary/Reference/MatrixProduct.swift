/// The one matrix product the float engine uses: `out[r, :] += x[r, :] · W` for a row-major
/// `W [inner, columns]`.
///
/// It is written as a sum of scaled rows of `W` ("axpy" form): the innermost loop runs over
/// contiguous `columns` of both `W` and the output with no reduction, which the compiler
/// vectorises without reassociating float additions. Dense layers, convolutions (over
/// im2col patches), pointwise convolutions and recurrent cells all go through it.
enum MatrixProduct {
    /// Adds `x · W` to `out`. `x` holds `rows × inner` values, `w` holds `inner × columns`,
    /// `out` holds `rows × columns`.
    @inline(__always)
    static func accumulate(
        rows: Int, inner: Int, columns: Int,
        x: UnsafeBufferPointer<Float>, w: UnsafeBufferPointer<Float>,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        guard let xp = x.baseAddress, let wp = w.baseAddress, let op = out.baseAddress else { return }
        for r in 0..<rows {
            let outRow = op + r * columns
            let xRow = xp + r * inner
            for k in 0..<inner {
                let a = xRow[k]
                if a == 0 { continue }
                let wRow = wp + k * columns
                for c in 0..<columns { outRow[c] += a * wRow[c] }
            }
        }
    }

    /// Adds one row `x [inner]` times `W [inner, columns]` to `out [columns]`. `rowStride`
    /// (default `columns`) lets `W` be a column block of a wider matrix, as the recurrent
    /// cells use for one gate of their stacked kernels.
    @inline(__always)
    static func accumulateRow(
        inner: Int, columns: Int,
        x: UnsafePointer<Float>, w: UnsafePointer<Float>, rowStride: Int? = nil,
        into out: UnsafeMutablePointer<Float>
    ) {
        let stride = rowStride ?? columns
        for k in 0..<inner {
            let a = x[k]
            if a == 0 { continue }
            let wRow = w + k * stride
            for c in 0..<columns { out[c] += a * wRow[c] }
        }
    }

    /// `rows` copies of `bias`, or zeros when there is none: the starting value of an output.
    static func start(rows: Int, bias: [Float]?, columns: Int) -> [Float] {
        guard let bias else { return [Float](repeating: 0, count: rows * columns) }
        var out = [Float](repeating: 0, count: rows * columns)
        out.withUnsafeMutableBufferPointer { o in
            for r in 0..<rows {
                for c in 0..<columns { o[r * columns + c] = bias[c] }
            }
        }
        return out
    }
}
