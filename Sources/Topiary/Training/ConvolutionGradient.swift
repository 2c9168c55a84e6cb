/// `Conv1D` / `Conv2D` before the activation, over the tap table of `WindowGeometry`, and its
/// backward pass. Parameters: `kernel [k…, cin, filters]` (the `[taps · cin, filters]` matrix),
/// then `bias [filters]`.
struct ConvolutionGradient: DifferentiableOp {
    let geometry: WindowGeometry
    let filters: Int
    let hasBias: Bool

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        ConvolutionKernel.convolve(
            inputs[0], kernel: parameters[0], bias: hasBias ? parameters[1] : nil, geometry: geometry, filters: filters)
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        let g = geometry
        let cin = g.channels, tapCount = g.tapCount, f = filters
        var dx = [Float](repeating: 0, count: inputs[0].count)
        inputs[0].withUnsafeBufferPointer { x in
            parameters[0].withUnsafeBufferPointer { w in
                gradient.withUnsafeBufferPointer { dz in
                    g.taps.withUnsafeBufferPointer { taps in
                        parameterGradients[0].withUnsafeMutableBufferPointer { dw in
                            dx.withUnsafeMutableBufferPointer { dxp in
                                for p in 0..<g.outputPositions {
                                    let dzRow = p * f
                                    for t in 0..<tapCount {
                                        let pixel = Int(taps[p * tapCount + t])
                                        if pixel < 0 { continue }
                                        let xRow = pixel * cin, wRow = t * cin * f
                                        for c in 0..<cin {
                                            let xc = x[xRow + c], wc = wRow + c * f
                                            var sum: Float = 0
                                            for k in 0..<f {
                                                let gk = dz[dzRow + k]
                                                dw[wc + k] += xc * gk
                                                sum += w[wc + k] * gk
                                            }
                                            dxp[xRow + c] += sum
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if hasBias {
            for p in 0..<g.outputPositions { for k in 0..<f { parameterGradients[1][k] += gradient[p * f + k] } }
        }
        return [dx]
    }
}
