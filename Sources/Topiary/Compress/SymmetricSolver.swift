/// Solves `A x = b` for a symmetric positive definite `A` (row-major, `n × n`) through
/// its Cholesky factor, in double precision. Used to refit kept weights, whose matrices are
/// input correlations with a damped diagonal, hence positive definite.
enum SymmetricSolver {
    /// `nil` when `A` is not positive definite.
    static func solve(_ a: [Double], _ b: [Double], n: Int) -> [Double]? {
        guard let l = Cholesky.lower(a, n: n) else { return nil }
        return solve(factor: l, b, n: n)
    }

    /// `x` with `L·Lᵀ·x = b`, `L` from `Cholesky.lower`: `L y = b` a row of `L` at a time,
    /// then `Lᵀ x = y` from the last unknown up, each one found taken out of the others along
    /// its row of `L` (rows, not columns, of a large `L` stay in cache).
    static func solve(factor l: [Double], _ b: [Double], n: Int) -> [Double] {
        var x = b
        l.withUnsafeBufferPointer { l in
            x.withUnsafeMutableBufferPointer { x in
                for i in 0..<n { x[i] = (x[i] - Cholesky.dot(l.baseAddress! + i * n, x.baseAddress!, count: i)) / l[i * n + i] }
                for i in stride(from: n - 1, through: 0, by: -1) {
                    let value = x[i] / l[i * n + i]
                    x[i] = value
                    for k in 0..<i { x[k] -= l[i * n + k] * value }
                }
            }
        }
        return x
    }
}
