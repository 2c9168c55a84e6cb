/// Solves `A x = b` for a small symmetric positive definite `A` (row-major, `n × n`) by
/// Cholesky factorisation, in double precision. Used by pruning reconstruction, whose
/// matrices are input correlations with a damped diagonal, hence positive definite.
enum SymmetricSolver {
    /// `nil` when `A` is not positive definite.
    static func solve(_ a: [Double], _ b: [Double], n: Int) -> [Double]? {
        guard let l = factor(a, n: n) else { return nil }
        return solve(factor: l, b, n: n)
    }

    /// `A⁻¹`, from one factorisation; `nil` when `A` is not positive definite.
    static func inverse(_ a: [Double], n: Int) -> [Double]? {
        guard let l = factor(a, n: n) else { return nil }
        var result = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var unit = [Double](repeating: 0, count: n)
            unit[j] = 1
            let column = solve(factor: l, unit, n: n)
            for i in 0..<n { result[i * n + j] = column[i] }
        }
        return result
    }

    /// The lower Cholesky factor `L` with `A = L·Lᵀ`.
    static func factor(_ a: [Double], n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        return l
    }

    /// `x` with `L·Lᵀ·x = b`.
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
