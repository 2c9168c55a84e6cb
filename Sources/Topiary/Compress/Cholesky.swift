/// Cholesky factorisation of small symmetric positive definite matrices (row-major, `n × n`),
/// in double precision, and the inverse built from it.
///
/// OBS pruning needs `H⁻¹` and the upper factor `U` of `H⁻¹ = UᵀU`: each row of `U` holds the
/// compensation a pruned column spreads over the columns after it, and `U_jj` scales the
/// column's saliency. Inverting through the factor (rather than by elimination) keeps the
/// result symmetric and fails loudly, by returning nil, when damping was not enough to make
/// `H` positive definite.
enum Cholesky {
    /// `L`, lower triangular with a positive diagonal, such that `A = L Lᵀ`; nil when `A` is
    /// not positive definite (a pivot is not positive or not finite).
    static func lower(_ a: [Double], n: Int) -> [Double]? {
        precondition(a.count == n * n, "a \(n) × \(n) matrix needs \(n * n) values")
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        return l
    }

    /// `U`, upper triangular, such that `A = Uᵀ U` (the transpose of `lower`).
    static func upper(_ a: [Double], n: Int) -> [Double]? {
        guard let l = lower(a, n: n) else { return nil }
        return transpose(l, n: n)
    }

    /// `A⁻¹` from the lower factor of `A`: `A⁻¹ = L⁻ᵀ L⁻¹`, symmetric by construction.
    static func inverse(lower l: [Double], n: Int) -> [Double] {
        // M = L⁻¹, lower triangular, by forward substitution one column at a time.
        var m = [Double](repeating: 0, count: n * n)
        for column in 0..<n {
            m[column * n + column] = 1 / l[column * n + column]
            for i in (column + 1)..<max(column + 1, n) {
                var sum = 0.0
                for k in column..<i { sum -= l[i * n + k] * m[k * n + column] }
                m[i * n + column] = sum / l[i * n + i]
            }
        }
        // (MᵀM)_ij = Σ_k M_ki M_kj over k ≥ max(i, j).
        var inverse = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = 0.0
                for k in i..<n { sum += m[k * n + i] * m[k * n + j] }
                inverse[i * n + j] = sum
                inverse[j * n + i] = sum
            }
        }
        return inverse
    }

    /// `A⁻¹`, or nil when `A` is not positive definite.
    static func inverse(_ a: [Double], n: Int) -> [Double]? {
        lower(a, n: n).map { inverse(lower: $0, n: n) }
    }

    /// `U` with `A⁻¹ = UᵀU`: what SparseGPT reads its saliencies and updates from. Nil when
    /// `A` is not positive definite.
    static func upperFactorOfInverse(_ a: [Double], n: Int) -> [Double]? {
        guard let inverse = inverse(a, n: n) else { return nil }
        return upper(inverse, n: n)
    }

    static func transpose(_ a: [Double], n: Int) -> [Double] {
        var t = a
        for i in 0..<n {
            for j in 0..<n { t[j * n + i] = a[i * n + j] }
        }
        return t
    }
}
