/// `Conv1DTranspose` / `Conv2DTranspose`: every input position scatters its channels, through
/// the kernel, into the output window it maps to (`TransposedWindow`), then bias and
/// activation.
struct ConvolutionTransposeKernel: FloatKernel {
    let window: TransposedWindow
    /// Keras's layout `[k…, filters, cin]`.
    let kernel: [Float]
    let bias: [Float]?
    let activation: Activation

    init(node: Node, inputShape: [Int], parameters c: ConvolutionTranspose) throws {
        window = try TransposedWindow(node: node, inputShape: inputShape, convolution: c)
        kernel = try node.weight(.kernel, shape: c.kernelSize + [c.filters, window.channels]).values
        bias = try node.optionalWeight(.bias, shape: [c.filters], required: c.useBias)?.values
        activation = c.activation
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        let x = inputs[0].values
        let w = window
        let cin = w.channels, filters = w.filters
        var out = [Float](repeating: 0, count: w.outputPositions * filters)
        for iy in 0..<w.inputHeight {
            for ix in 0..<w.inputWidth {
                let pixel = (iy * w.inputWidth + ix) * cin
                for ky in 0..<w.kernelHeight {
                    let oy = iy * w.strideHeight + ky - w.cropHeight
                    guard oy >= 0, oy < w.outputHeight else { continue }
                    for kx in 0..<w.kernelWidth {
                        let ox = ix * w.strideWidth + kx - w.cropWidth
                        guard ox >= 0, ox < w.outputWidth else { continue }
                        let target = (oy * w.outputWidth + ox) * filters
                        let tap = (ky * w.kernelWidth + kx) * filters * cin
                        for f in 0..<filters {
                            var sum: Float = 0
                            for c in 0..<cin { sum += x[pixel + c] * kernel[tap + f * cin + c] }
                            out[target + f] += sum
                        }
                    }
                }
            }
        }
        if let bias {
            for position in 0..<w.outputPositions {
                for f in 0..<filters { out[position * filters + f] += bias[f] }
            }
        }
        activation.apply(to: &out, shape: w.outputShape)
        return Tensor(shape: w.outputShape, values: out)
    }
}
