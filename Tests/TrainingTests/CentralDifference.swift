/// The central finite difference `(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h` of `f` along element `i`
/// of `x`: what a backward pass's gradient is checked against.
func centralDifference(of f: ([Float]) throws -> Double, at x: [Float], element i: Int, step h: Float) rethrows -> Double {
    var up = x, down = x
    up[i] += h
    down[i] -= h
    return (try f(up) - f(down)) / Double(2 * h)
}
