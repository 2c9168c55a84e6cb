/// `Conv1DTranspose` / `Conv2DTranspose`: every input position scatters its channels, through
/// the kernel, into the output window it maps to (position `i · stride + k − crop`), then bias
/// and activation. A 1D layer runs as a 2D one of height 1.
struct ConvolutionTransposeKernel: FloatKernel {
    let outputShape: [Int]
    /// `[inputHeight, inputWidth]`, `[outputHeight, outputWidth]`, and per axis the kernel
    /// length, stride and the positions cropped from the start of the full scatter.
    let input: (height: Int, width: Int, channels: Int)
    let output: (height: Int, width: Int)
    let kernelSize: (height: Int, width: Int)
    let strides: (height: Int, width: Int)
    let crop: (height: Int, width: Int)
    let filters: Int
    /// Keras's layout `[k…, filters, cin]`.
    let kernel: [Float]
    let bias: [Float]?
    let activation: Activation

    init(node: Node, inputShape: [Int], parameters c: ConvolutionTranspose) throws {
        guard c.rank == 1 || c.rank == 2, inputShape.count == c.rank + 1 else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "a \(c.rank)D transposed convolution expects an input of rank \(c.rank + 1) (batch excluded), got \(inputShape)")
        }
        do {
            outputShape = try node.op.outputShape(for: [inputShape])
        } catch let error as ShapeError {
            throw InferenceError(.invalidGraph, layer: node.name, error.message)
        }
        let channels = inputShape.last!
        kernel = try node.weight(.kernel, shape: c.kernelSize + [c.filters, channels]).values
        bias = try node.optionalWeight(.bias, shape: [c.filters], required: c.useBias)?.values
        filters = c.filters
        activation = c.activation
        func pair(_ values: [Int], _ oneD: Int) -> (Int, Int) { c.rank == 1 ? (oneD, values[0]) : (values[0], values[1]) }
        input = c.rank == 1 ? (1, inputShape[0], channels) : (inputShape[0], inputShape[1], channels)
        output = pair(Array(outputShape.dropLast()), 1)
        kernelSize = pair(c.kernelSize, 1)
        strides = pair(c.strides, 1)
        crop = pair((0..<c.rank).map { c.leadingCrop(inputShape[$0], axis: $0) }, 0)
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        let x = inputs[0].values
        let cin = input.channels
        var out = [Float](repeating: 0, count: output.height * output.width * filters)
        for iy in 0..<input.height {
            for ix in 0..<input.width {
                let pixel = (iy * input.width + ix) * cin
                for ky in 0..<kernelSize.height {
                    let oy = iy * strides.height + ky - crop.height
                    guard oy >= 0, oy < output.height else { continue }
                    for kx in 0..<kernelSize.width {
                        let ox = ix * strides.width + kx - crop.width
                        guard ox >= 0, ox < output.width else { continue }
                        let target = (oy * output.width + ox) * filters
                        let tap = (ky * kernelSize.width + kx) * filters * cin
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
            for position in 0..<(output.height * output.width) {
                for f in 0..<filters { out[position * filters + f] += bias[f] }
            }
        }
        activation.apply(to: &out, shape: outputShape)
        return Tensor(shape: outputShape, values: out)
    }
}
