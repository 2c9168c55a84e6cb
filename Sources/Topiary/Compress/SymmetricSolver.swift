/// Solves `A x = b` for a small symmetric positive definite `A` (row-major, `n × n`) through
/// its Cholesky factor, in double precision. Used to refit kept weights, whose matrices are
/// input correlations with a damped diagonal, hence positive definite.
enum SymmetricSolver {
    /// `nil` when `A` is not positive definite.
    static func solve(_ a: [Double], _ b: [Double], n: Int) -> [Double]? {
        guard let l = Cholesky.lower(a, n: n) else { return nil }
        return solve(factor: l, b, n: n)
    }

    /// `x` with `L·Lᵀ·x = b`, `L` from `Cholesky.lower`.
    static func solve(factor l: [Double], _ b: [Double], n: Int) -> [Double] {
        var y = b
        for i in 0..<n {
            var sum = y[i]
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        var x = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = x[i]
            for k in (i + 1)..<n { sum -= l[k * n + i] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        return x
    }
}
