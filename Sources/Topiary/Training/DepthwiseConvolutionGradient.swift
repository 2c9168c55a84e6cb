/// `DepthwiseConv1D/2D` before the activation and its backward pass: output channel
/// `c · m + j` filters input channel `c` alone. Parameters: `depthwiseKernel [k…, cin, m]`,
/// then `bias [cin · m]`.
struct DepthwiseConvolutionGradient: DifferentiableOp {
    let geometry: WindowGeometry
    let multiplier: Int
    let hasBias: Bool

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        let g = geometry
        let cin = g.channels, m = multiplier, width = cin * m
        var out = MatrixProduct.start(rows: g.outputPositions, bias: hasBias ? parameters[1] : nil, columns: width)
        let x = inputs[0], w = parameters[0]
        g.forEachInputTap { p, t, pixel in
            for c in 0..<cin {
                let a = x[pixel * cin + c]
                for j in 0..<m { out[p * width + c * m + j] += a * w[t * width + c * m + j] }
            }
        }
        return out
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        let g = geometry
        let cin = g.channels, m = multiplier, width = cin * m
        let x = inputs[0], w = parameters[0]
        var dx = [Float](repeating: 0, count: x.count)
        g.forEachInputTap { p, t, pixel in
            for c in 0..<cin {
                let a = x[pixel * cin + c]
                var sum: Float = 0
                for j in 0..<m {
                    let k = c * m + j, dz = gradient[p * width + k]
                    parameterGradients[0][t * width + k] += a * dz
                    sum += w[t * width + k] * dz
                }
                dx[pixel * cin + c] += sum
            }
        }
        if hasBias {
            MatrixProduct.addBiasGradient(gradient, rows: g.outputPositions, into: &parameterGradients[1])
        }
        return [dx]
    }
}
