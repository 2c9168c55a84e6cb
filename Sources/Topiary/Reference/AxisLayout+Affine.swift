extension AxisLayout {
    /// Applies `y = x · scale[k] + shift[k]` in place, `k` being the index along the axis.
    func affine(_ values: inout [Float], scale: [Float], shift: [Float]) {
        values.withUnsafeMutableBufferPointer { v in
            var index = 0
            for _ in 0..<outer {
                for k in 0..<length {
                    let a = scale[k], b = shift[k]
                    for _ in 0..<inner {
                        v[index] = v[index] * a + b
                        index += 1
                    }
                }
            }
        }
    }
}
