/// `DepthwiseConv1D` / `DepthwiseConv2D`, and the depthwise half of `SeparableConv1D/2D`.
///
/// Output channel `c · multiplier + m` filters input channel `c` with
/// `depthwiseKernel[…, c, m]`; flattened, the kernel is `[taps, cin · multiplier]` in exactly
/// the output's channel order, so each tap is one contiguous multiply-add over the channels.
struct DepthwiseConvolutionKernel: FloatKernel {
    let geometry: WindowGeometry
    let multiplier: Int
    let kernel: [Float]
    let bias: [Float]?
    let activation: Activation
    let outputShape: [Int]

    init(
        node: Node, inputShape: [Int], window: SlidingWindow, multiplier: Int, useBias: Bool, activation: Activation
    ) throws {
        geometry = try WindowGeometry(node: node, inputShape: inputShape, window: window)
        guard multiplier > 0 else {
            throw InferenceError(.invalidGraph, layer: node.name, "\(node.kerasClass) has depth multiplier \(multiplier)")
        }
        self.multiplier = multiplier
        let outputChannels = geometry.channels * multiplier
        kernel = try node.weight(.depthwiseKernel, shape: window.kernelSize + [geometry.channels, multiplier]).values
        bias = try node.optionalWeight(.bias, shape: [outputChannels], required: useBias)?.values
        self.activation = activation
        outputShape = geometry.outputShape(channels: outputChannels)
    }

    init(node: Node, inputShape: [Int], parameters c: DepthwiseConvolution) throws {
        try self.init(
            node: node, inputShape: inputShape, window: c.window, multiplier: c.depthMultiplier, useBias: c.useBias,
            activation: c.activation)
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var out = depthwise(inputs[0].values)
        activation.apply(to: &out, shape: outputShape)
        return Tensor(shape: outputShape, values: out)
    }

    /// The depthwise filtering plus bias, before the activation.
    func depthwise(_ input: [Float]) -> [Float] {
        let g = geometry
        let cin = g.channels, m = multiplier, width = cin * m
        var out = MatrixProduct.start(rows: g.outputPositions, bias: bias, columns: width)
        input.withUnsafeBufferPointer { x in
            kernel.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { o in
                    guard let xp = x.baseAddress, let wp = w.baseAddress, let op = o.baseAddress else { return }
                    g.forEachInputTap { p, t, pixel in
                        let outRow = op + p * width, xRow = xp + pixel * cin, wRow = wp + t * width
                        if m == 1 {
                            for c in 0..<cin { outRow[c] += xRow[c] * wRow[c] }
                        } else {
                            for c in 0..<cin {
                                let a = xRow[c]
                                for j in 0..<m { outRow[c * m + j] += a * wRow[c * m + j] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
