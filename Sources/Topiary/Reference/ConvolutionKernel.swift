/// `Conv1D` / `Conv2D`: any stride, dilation and 'valid' / 'same' / 'causal' padding.
///
/// The Keras kernel `[k…, cin, filters]` is, flattened, already the `[taps · cin, filters]`
/// matrix that multiplies an im2col patch, so each output position accumulates one
/// `cin`-long slice of the input per in-bounds tap (`MatrixProduct.accumulateRow`).
struct ConvolutionKernel: FloatKernel {
    let geometry: WindowGeometry
    let filters: Int
    let kernel: [Float]
    let bias: [Float]?
    let activation: Activation
    let outputShape: [Int]

    init(node: Node, inputShape: [Int], parameters c: Convolution) throws {
        geometry = try WindowGeometry(node: node, inputShape: inputShape, window: c.window)
        filters = c.filters
        kernel = try node.weight(.kernel, shape: c.kernelSize + [geometry.channels, c.filters]).values
        bias = try node.optionalWeight(.bias, shape: [c.filters], required: c.useBias)?.values
        activation = c.activation
        outputShape = geometry.outputShape(channels: c.filters)
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var out = Self.convolve(inputs[0].values, kernel: kernel, bias: bias, geometry: geometry, filters: filters)
        activation.apply(to: &out, shape: outputShape)
        return Tensor(shape: outputShape, values: out)
    }

    /// The convolution of `input` before the activation: `[positions, filters]`, starting from
    /// `bias`. Training's forward pass runs the same loop.
    static func convolve(_ input: [Float], kernel: [Float], bias: [Float]?, geometry g: WindowGeometry, filters: Int) -> [Float] {
        let cin = g.channels
        var out = MatrixProduct.start(rows: g.outputPositions, bias: bias, columns: filters)
        input.withUnsafeBufferPointer { x in
            kernel.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { o in
                    guard let xp = x.baseAddress, let wp = w.baseAddress, let op = o.baseAddress else { return }
                    g.forEachInputTap { p, t, pixel in
                        MatrixProduct.accumulateRow(
                            inner: cin, columns: filters, x: xp + pixel * cin, w: wp + t * cin * filters, into: op + p * filters)
                    }
                }
            }
        }
        return out
    }
}
