/// Cholesky factorisation of symmetric positive definite matrices (row-major, `n × n`),
/// in double precision, and the inverse built from it.
///
/// OBS pruning needs `H⁻¹` and the upper factor `U` of `H⁻¹ = UᵀU`: each row of `U` holds the
/// compensation a pruned column spreads over the columns after it, and `U_jj` scales the
/// column's saliency. Inverting through the factor (rather than by elimination) keeps the
/// result symmetric and fails loudly, by returning nil, when damping was not enough to make
/// `H` positive definite.
enum Cholesky {
    // A layer of a few thousand inputs (a Dense layer after a Flatten) has a Hessian of tens of
    // millions of values, far more than the caches hold. Every loop below runs along rows (the
    // last index varies fastest), and the long ones take four rows at a time against one
    // (`dots`), so that each row read from memory serves four of them: read down its columns,
    // or a row at a time, such a factorisation took minutes.

    /// Rows the blocked loops take together: the four of `Rows`.
    static let block = 4

    /// `L`, lower triangular with a positive diagonal, such that `A = L Lᵀ`; nil when `A` is
    /// not positive definite (a pivot is not positive or not finite).
    static func lower(_ a: [Double], n: Int) -> [Double]? {
        precondition(a.count == n * n, "a \(n) × \(n) matrix needs \(n * n) values")
        var l = [Double](repeating: 0, count: n * n)
        let positive = l.withUnsafeMutableBufferPointer { buffer in
            a.withUnsafeBufferPointer { a in
                let l = buffer.baseAddress!
                for first in stride(from: 0, to: n, by: block) {
                    let rows = min(block, n - first)
                    // The block's columns before it: each earlier row of L once for its rows.
                    let row = Rows(l, first: first, rows: rows, n: n)
                    for j in 0..<first {
                        let sums = dots(row, l + j * n, count: j)
                        for r in 0..<rows { l[(first + r) * n + j] = (a[(first + r) * n + j] - sums[r]) / l[j * n + j] }
                    }
                    // Then the block's own triangle, one value at a time.
                    for i in first..<(first + rows) {
                        for j in first...i {
                            let sum = a[i * n + j] - dot(l + i * n, l + j * n, count: j)
                            if i == j {
                                guard sum > 0, sum.isFinite else { return false }
                                l[i * n + i] = sum.squareRoot()
                            } else {
                                l[i * n + j] = sum / l[j * n + j]
                            }
                        }
                    }
                }
                return true
            }
        }
        return positive ? l : nil
    }

    /// Four rows (or parts of rows) that `dots` sums against one.
    struct Rows {
        var x0, x1, x2, x3: UnsafePointer<Double>

        /// The `rows` (at most `block`) rows from `first` of the `n × n` matrix at `m`, from
        /// their value `offset`, the last repeated to fill a block: `dots` then sums it again,
        /// and its sum goes unused.
        @inline(__always)
        init(_ m: UnsafePointer<Double>, first: Int, rows: Int, n: Int, offset: Int = 0) {
            func row(_ r: Int) -> UnsafePointer<Double> { m + (first + min(r, rows - 1)) * n + offset }
            (x0, x1, x2, x3) = (row(0), row(1), row(2), row(3))
        }
    }

    /// `Σ x[k] y[k]` over `count` values, in four running sums: one sum would make every
    /// multiply-add wait for the one before.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, k = 0
        while k + 4 <= count {
            s0 += x[k] * y[k]
            s1 += x[k + 1] * y[k + 1]
            s2 += x[k + 2] * y[k + 2]
            s3 += x[k + 3] * y[k + 3]
            k += 4
        }
        while k < count {
            s0 += x[k] * y[k]
            k += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// `Σ x[r][k] y[k]` for the four rows of `x`, `y` read once for all of them, two values of
    /// each row per step (`SIMD2`: one vector multiply and add where the core has them).
    @inline(__always)
    static func dots(_ x: Rows, _ y: UnsafePointer<Double>, count: Int) -> SIMD4<Double> {
        func pair(_ p: UnsafePointer<Double>) -> SIMD2<Double> { UnsafeRawPointer(p).loadUnaligned(as: SIMD2<Double>.self) }
        let (x0, x1, x2, x3) = (x.x0, x.x1, x.x2, x.x3)
        var s0 = SIMD2<Double>(), s1 = SIMD2<Double>(), s2 = SIMD2<Double>(), s3 = SIMD2<Double>(), k = 0
        while k + 2 <= count {
            let v = pair(y + k)
            s0 += pair(x0 + k) * v
            s1 += pair(x1 + k) * v
            s2 += pair(x2 + k) * v
            s3 += pair(x3 + k) * v
            k += 2
        }
        var sums = SIMD4(s0.sum(), s1.sum(), s2.sum(), s3.sum())
        if k < count { sums += SIMD4(x0[k], x1[k], x2[k], x3[k]) * y[k] }
        return sums
    }

    /// `U`, upper triangular, such that `A = Uᵀ U` (the transpose of `lower`).
    static func upper(_ a: [Double], n: Int) -> [Double]? {
        guard let l = lower(a, n: n) else { return nil }
        return transpose(l, n: n)
    }

    /// `(L⁻¹)ᵀ` of a lower triangular `L` with a positive diagonal: its row `j` is column `j`
    /// of `L⁻¹`, the solution of `L m = eⱼ` (zero before `j`), found down the rows of `L`,
    /// four columns at a time.
    static func inverseTransposed(_ l: [Double], n: Int) -> [Double] {
        var t = [Double](repeating: 0, count: n * n)
        t.withUnsafeMutableBufferPointer { buffer in
            l.withUnsafeBufferPointer { l in
                let t = buffer.baseAddress!, lower = l.baseAddress!
                for first in stride(from: 0, to: n, by: block) {
                    let columns = min(block, n - first)
                    // The block's own triangle first: its columns' values down to the block's
                    // last row.
                    for i in first..<(first + columns) {
                        for j in first...i {
                            let sum = dot(lower + i * n + j, t + j * n + j, count: i - j)
                            t[j * n + i] = ((i == j ? 1 : 0) - sum) / l[i * n + i]
                        }
                    }
                    // Then every later row of L once for the block's columns (their values
                    // before `first` are zero, so each sum starts there).
                    let column = Rows(t, first: first, rows: columns, n: n, offset: first)
                    for i in (first + columns)..<max(first + columns, n) {
                        let sums = dots(column, lower + i * n + first, count: i - first)
                        for r in 0..<columns { t[(first + r) * n + i] = -sums[r] / l[i * n + i] }
                    }
                }
            }
        }
        return t
    }

    /// `L⁻¹` of a lower triangular `L` with a positive diagonal, lower triangular.
    static func lowerInverse(_ l: [Double], n: Int) -> [Double] {
        transpose(inverseTransposed(l, n: n), n: n)
    }

    /// `A⁻¹` from the lower factor of `A`: `A⁻¹ = L⁻ᵀ L⁻¹`, whose `(i, j)` is the sum over
    /// `k ≥ max(i, j)` of rows `i` and `j` of `L⁻ᵀ`: the lower triangle four rows at a time
    /// against one, then mirrored, symmetric by construction.
    static func inverse(lower l: [Double], n: Int) -> [Double] {
        let t = inverseTransposed(l, n: n)
        var inverse = [Double](repeating: 0, count: n * n)
        inverse.withUnsafeMutableBufferPointer { inverse in
            t.withUnsafeBufferPointer { buffer in
                let t = buffer.baseAddress!
                for i in 0..<n {
                    for first in stride(from: 0, through: i, by: block) {
                        let rows = min(block, i + 1 - first)
                        let sums = dots(Rows(t, first: first, rows: rows, n: n, offset: i), t + i * n + i, count: n - i)
                        for r in 0..<rows { inverse[i * n + first + r] = sums[r] }
                    }
                }
                for i in 0..<n {
                    for j in 0..<i { inverse[j * n + i] = inverse[i * n + j] }
                }
            }
        }
        return inverse
    }

    /// `A⁻¹`, or nil when `A` is not positive definite.
    static func inverse(_ a: [Double], n: Int) -> [Double]? {
        lower(a, n: n).map { inverse(lower: $0, n: n) }
    }

    /// `U` with `A⁻¹ = UᵀU`: what SparseGPT reads its saliencies and updates from. Nil when
    /// `A` is not positive definite. With `P` the reversal of the indices and `P A P = L Lᵀ`,
    /// `A⁻¹ = (P L⁻ᵀ P)(P L⁻¹ P)`, and `P L⁻¹ P` is upper triangular with a positive diagonal:
    /// `U` itself, by the factor's uniqueness. One factorisation and one triangular inverse,
    /// where inverting `A` and then factoring `A⁻¹` took two of each and a product.
    static func upperFactorOfInverse(_ a: [Double], n: Int) -> [Double]? {
        // `P A P` of a row-major matrix is its values in reverse order.
        guard let l = lower(Array(a.reversed()), n: n) else { return nil }
        return Array(lowerInverse(l, n: n).reversed())
    }

    static func transpose(_ a: [Double], n: Int) -> [Double] {
        var t = a
        for i in 0..<n {
            for j in 0..<n { t[j * n + i] = a[i * n + j] }
        }
        return t
    }
}
