/// The matrix product training spends its time in: `C += A · B` for row-major `A [m, k]`,
/// `B [k, n]`, `C [m, n]`, in register tiles of 4 rows by 8 columns.
///
/// A tile's 32 sums stay in registers over the whole of `k`, so each row of `B` loaded serves
/// four rows of `A`; the axpy form of `MatrixProduct` loads and stores the output row at every
/// step instead, which is what a single sample's Dense layer needs but leaves most of the
/// arithmetic units idle on a convolution's patch matrix. Each sum runs over `k` in order, so
/// the result does not depend on anything but the operands.
enum BlockedMatrixProduct {
    static func accumulate(
        rows m: Int, inner k: Int, columns n: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        into c: UnsafeMutablePointer<Float>
    ) {
        let raw = UnsafeRawPointer(b)
        var i = 0
        while i + 4 <= m {
            let a0 = a + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
            var j = 0
            while j + 8 <= n {
                var c00 = SIMD4<Float>(), c01 = SIMD4<Float>(), c10 = SIMD4<Float>(), c11 = SIMD4<Float>()
                var c20 = SIMD4<Float>(), c21 = SIMD4<Float>(), c30 = SIMD4<Float>(), c31 = SIMD4<Float>()
                for p in 0..<k {
                    let row = raw + (p * n + j) * MemoryLayout<Float>.stride
                    let b0 = row.loadUnaligned(as: SIMD4<Float>.self)
                    let b1 = (row + 4 * MemoryLayout<Float>.stride).loadUnaligned(as: SIMD4<Float>.self)
                    let x0 = SIMD4<Float>(repeating: a0[p]), x1 = SIMD4<Float>(repeating: a1[p])
                    let x2 = SIMD4<Float>(repeating: a2[p]), x3 = SIMD4<Float>(repeating: a3[p])
                    c00 += x0 * b0
                    c01 += x0 * b1
                    c10 += x1 * b0
                    c11 += x1 * b1
                    c20 += x2 * b0
                    c21 += x2 * b1
                    c30 += x3 * b0
                    c31 += x3 * b1
                }
                add(c + i * n + j, c00, c01)
                add(c + (i + 1) * n + j, c10, c11)
                add(c + (i + 2) * n + j, c20, c21)
                add(c + (i + 3) * n + j, c30, c31)
                j += 8
            }
            // The last columns, fewer than 8: one dot product each.
            while j < n {
                for r in 0..<4 {
                    let ar = a + (i + r) * k
                    var sum: Float = 0
                    for p in 0..<k { sum += ar[p] * b[p * n + j] }
                    c[(i + r) * n + j] += sum
                }
                j += 1
            }
            i += 4
        }
        // The last rows, fewer than 4: in axpy form.
        while i < m {
            let ar = a + i * k, cr = c + i * n
            for p in 0..<k {
                let x = ar[p], br = b + p * n
                for j in 0..<n { cr[j] += x * br[j] }
            }
            i += 1
        }
    }

    @inline(__always)
    private static func add(_ out: UnsafeMutablePointer<Float>, _ low: SIMD4<Float>, _ high: SIMD4<Float>) {
        let raw = UnsafeMutableRawPointer(out)
        raw.storeBytes(of: raw.loadUnaligned(as: SIMD4<Float>.self) + low, as: SIMD4<Float>.self)
        let next = raw + 4 * MemoryLayout<Float>.stride
        next.storeBytes(of: next.loadUnaligned(as: SIMD4<Float>.self) + high, as: SIMD4<Float>.self)
    }

    /// `source [rows, columns]` transposed into `target [columns, rows]`.
    static func transpose(rows: Int, columns: Int, _ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            for c in 0..<columns { target[c * rows + r] = source[r * columns + c] }
        }
    }
}
