/// `Conv1D` / `Conv2D` before the activation, over the tap table of `WindowGeometry`, and its
/// backward pass. Parameters: `kernel [k…, cin, filters]` (the `[taps · cin, filters]` matrix),
/// then `bias [filters]`.
///
/// Both passes go through the patch matrix (im2col: one row of `taps · cin` input values per
/// output position, zero where a tap falls in the padding), so that the forward pass, the
/// kernel gradient and the input gradient are each one `BlockedMatrixProduct`.
struct ConvolutionGradient: DifferentiableOp {
    let geometry: WindowGeometry
    let filters: Int
    let hasBias: Bool

    /// The patch matrix `[outputPositions, taps · cin]` of `x`.
    func patches(_ x: [Float]) -> [Float] {
        let g = geometry, cin = g.channels, width = g.tapCount * cin
        var result = [Float](repeating: 0, count: g.outputPositions * width)
        x.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { r in
                g.forEachInputTap { p, t, pixel in
                    let target = p * width + t * cin, source = pixel * cin
                    for c in 0..<cin { r[target + c] = x[source + c] }
                }
            }
        }
        return result
    }

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        let g = geometry
        var out = MatrixProduct.start(rows: g.outputPositions, bias: hasBias ? parameters[1] : nil, columns: filters)
        let patches = patches(inputs[0])
        patches.withUnsafeBufferPointer { x in
            parameters[0].withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { o in
                    BlockedMatrixProduct.accumulate(
                        rows: g.outputPositions, inner: g.tapCount * g.channels, columns: filters,
                        a: x.baseAddress!, b: w.baseAddress!, into: o.baseAddress!)
                }
            }
        }
        return out
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        let g = geometry
        let cin = g.channels, f = filters, width = g.tapCount * cin, positions = g.outputPositions
        let patches = patches(inputs[0])
        var transposed = [Float](repeating: 0, count: patches.count)
        var kernelTransposed = [Float](repeating: 0, count: parameters[0].count)
        var patchGradient = [Float](repeating: 0, count: patches.count)
        patches.withUnsafeBufferPointer { x in
            transposed.withUnsafeMutableBufferPointer { xt in
                BlockedMatrixProduct.transpose(rows: positions, columns: width, x.baseAddress!, into: xt.baseAddress!)
            }
        }
        parameters[0].withUnsafeBufferPointer { w in
            kernelTransposed.withUnsafeMutableBufferPointer { wt in
                BlockedMatrixProduct.transpose(rows: width, columns: f, w.baseAddress!, into: wt.baseAddress!)
            }
        }
        gradient.withUnsafeBufferPointer { dz in
            // dW += patchesᵀ · dz
            transposed.withUnsafeBufferPointer { xt in
                parameterGradients[0].withUnsafeMutableBufferPointer { dw in
                    BlockedMatrixProduct.accumulate(
                        rows: width, inner: positions, columns: f, a: xt.baseAddress!, b: dz.baseAddress!, into: dw.baseAddress!)
                }
            }
            // d(patches) = dz · Wᵀ
            kernelTransposed.withUnsafeBufferPointer { wt in
                patchGradient.withUnsafeMutableBufferPointer { dp in
                    BlockedMatrixProduct.accumulate(
                        rows: positions, inner: f, columns: width, a: dz.baseAddress!, b: wt.baseAddress!, into: dp.baseAddress!)
                }
            }
        }
        // Each patch value came from one input value (or the padding): send its gradient back.
        var dx = [Float](repeating: 0, count: inputs[0].count)
        patchGradient.withUnsafeBufferPointer { dp in
            dx.withUnsafeMutableBufferPointer { dxp in
                g.forEachInputTap { p, t, pixel in
                    let source = p * width + t * cin, target = pixel * cin
                    for c in 0..<cin { dxp[target + c] += dp[source + c] }
                }
            }
        }
        if hasBias {
            MatrixProduct.addBiasGradient(gradient, rows: positions, into: &parameterGradients[1])
        }
        return [dx]
    }
}
