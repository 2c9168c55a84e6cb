/// The Hessian of a layer's reconstruction error `‖W X − Ŵ X‖²` with respect to one output
/// row's weights: `H = 2/N · Σ x xᵀ` over the `N` input rows `x` the layer saw on the
/// calibration data (Dense rows, convolution patches, one channel's patch for depthwise).
///
/// It is the same for every output row that reads the same inputs, which is what makes OBS
/// pruning affordable: one `H⁻¹` serves the whole layer. Accumulation is in double precision
/// and skips zero inputs, which ReLU layers make common.
struct Hessian: Equatable {
    /// Columns (inputs per row).
    let size: Int
    /// `Σ x xᵀ`, upper triangle only until `matrix` mirrors it.
    private var sum: [Double]
    /// Input rows accumulated.
    private(set) var count = 0

    init(size: Int) {
        self.size = size
        sum = [Double](repeating: 0, count: size * size)
    }

    /// Adds one input row of `size` values.
    mutating func add(_ x: [Double]) {
        precondition(x.count == size, "an input row of \(x.count) values for a Hessian of \(size)")
        let n = size
        sum.withUnsafeMutableBufferPointer { s in
            x.withUnsafeBufferPointer { x in
                for i in 0..<n where x[i] != 0 {
                    let xi = x[i]
                    for j in i..<n { s[i * n + j] += xi * x[j] }
                }
            }
        }
        count += 1
    }

    /// `2/N · Σ x xᵀ`, symmetric.
    var matrix: [Double] {
        let n = size, scale = count == 0 ? 0 : 2 / Double(count)
        var h = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                h[i * n + j] = sum[i * n + j] * scale
                h[j * n + i] = h[i * n + j]
            }
        }
        return h
    }

    /// What OBS works with: `H` with every dead input (one that was zero on every calibration
    /// row, `H_ii = 0`) given `H_ii = 1`, and `λ = dampingFraction · mean(diag H)` added to the
    /// diagonal so that `H` is invertible even when inputs are correlated or few.
    ///
    /// A dead input's weight never changed the layer's output on the calibration data, so OBS
    /// cannot say what it is worth: the caller zeroes it (it is free to prune), and the unit
    /// diagonal keeps it from disturbing the other columns.
    func damped(_ dampingFraction: Double = 0.01) -> (matrix: [Double], dead: [Bool]) {
        let n = size
        var h = matrix
        var dead = [Bool](repeating: false, count: n)
        for i in 0..<n where h[i * n + i] == 0 {
            dead[i] = true
            h[i * n + i] = 1
        }
        let mean = (0..<n).reduce(0.0) { $0 + h[$1 * n + $1] } / Double(max(n, 1))
        let lambda = dampingFraction * mean
        for i in 0..<n { h[i * n + i] += lambda }
        return (h, dead)
    }
}
