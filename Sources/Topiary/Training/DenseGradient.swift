/// `Dense` before its activation, `z = x · kernel + bias` over rows of the last axis, and its
/// backward pass. Parameters: `kernel [in, units]`, then `bias [units]` when the layer has one.
struct DenseGradient: DifferentiableOp {
    let rows: Int
    let inputWidth: Int
    let units: Int
    let hasBias: Bool

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        var out = MatrixProduct.start(rows: rows, bias: hasBias ? parameters[1] : nil, columns: units)
        inputs[0].withUnsafeBufferPointer { x in
            parameters[0].withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { o in
                    MatrixProduct.accumulate(rows: rows, inner: inputWidth, columns: units, x: x, w: w, into: o)
                }
            }
        }
        return out
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        let n = inputWidth, u = units
        var dx = [Float](repeating: 0, count: rows * n)
        inputs[0].withUnsafeBufferPointer { x in
            parameters[0].withUnsafeBufferPointer { w in
                gradient.withUnsafeBufferPointer { dz in
                    parameterGradients[0].withUnsafeMutableBufferPointer { dw in
                        dx.withUnsafeMutableBufferPointer { dxp in
                            for r in 0..<rows {
                                for i in 0..<n {
                                    let xi = x[r * n + i]
                                    var sum: Float = 0
                                    for k in 0..<u {
                                        let g = dz[r * u + k]
                                        dw[i * u + k] += xi * g
                                        sum += w[i * u + k] * g
                                    }
                                    dxp[r * n + i] = sum
                                }
                            }
                        }
                    }
                }
            }
        }
        if hasBias {
            MatrixProduct.addBiasGradient(gradient, rows: rows, into: &parameterGradients[1])
        }
        return [dx]
    }
}
