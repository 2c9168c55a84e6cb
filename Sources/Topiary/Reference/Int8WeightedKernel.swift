/// Dense, convolution (1D and 2D), depthwise convolution and per-channel affine in int8:
/// `clamp(zp_out + MBQM(bias'[c] + Σ w·x_q, M[c], shift[c]))`, where a window tap that falls
/// in the padding reads the input zero point (so, after the bias fold, contributes nothing).
///
/// Sums are exact int32 sums, so the order in which the C kernels visit the nonzeros (dense,
/// bitmask, CSR or N:M) cannot change the result.
struct Int8WeightedKernel: Int8Kernel {
    enum Shape: Sendable {
        /// Rows of the last axis: `positions` rows of `rowLength` inputs.
        case dense(positions: Int)
        case convolution(WindowGeometry)
        case depthwise(WindowGeometry, multiplier: Int)
        /// One weight per channel of the last axis, `positions` times.
        case affine(positions: Int)
    }

    let layer: QuantizedLayer
    let shape: Shape
    let outputCount: Int

    init(node: Node, inputShape: [Int], layer: QuantizedLayer) throws {
        self.layer = layer
        func invalid(_ message: String) -> InferenceError { InferenceError(.invalidGraph, layer: node.name, message) }
        switch node.op {
        case .dense:
            guard inputShape.last == layer.rowLength else {
                throw invalid("int8 Dense rows of \(layer.rowLength) do not fit input \(inputShape)")
            }
            shape = .dense(positions: inputShape.dropLast().reduce(1, *))
        case let .conv(c):
            let g = try WindowGeometry(
                node: node, inputShape: inputShape, kernel: c.kernelSize, strides: c.strides,
                dilation: c.dilation, padding: c.padding)
            guard layer.rowLength == g.tapCount * g.channels else { throw invalid("int8 convolution rows do not fit input \(inputShape)") }
            shape = .convolution(g)
        case let .depthwiseConv(c):
            let g = try WindowGeometry(
                node: node, inputShape: inputShape, kernel: c.kernelSize, strides: c.strides,
                dilation: c.dilation, padding: c.padding)
            guard layer.rowLength == g.tapCount, layer.outputChannels == g.channels * c.depthMultiplier else {
                throw invalid("int8 depthwise rows do not fit input \(inputShape)")
            }
            shape = .depthwise(g, multiplier: c.depthMultiplier)
        case .batchNorm, .rescaling, .normalization:
            guard inputShape.last == layer.outputChannels, layer.rowLength == 1 else {
                throw invalid("int8 affine does not fit input \(inputShape)")
            }
            shape = .affine(positions: inputShape.dropLast().reduce(1, *))
        default:
            throw invalid("\(node.kerasClass) has int8 weights but is not a Dense, convolution or per-channel affine")
        }
        outputCount = node.outputShape.elementCount
    }

    func forward(_ inputs: [[Int8]]) throws -> [Int8] {
        let x = inputs[0]
        let l = layer
        let channels = l.outputChannels, length = l.rowLength
        var out = [Int8](repeating: 0, count: outputCount)
        func finish(_ acc: Int32, _ c: Int) -> Int8 {
            FixedPoint.requantize(acc, l.requantization[c], zeroPoint: l.outputZeroPoint, low: l.outputMin, high: l.outputMax)
        }
        switch shape {
        case let .dense(positions):
            for p in 0..<positions {
                for c in 0..<channels {
                    var acc = l.bias[c]
                    let row = c * length, input = p * length
                    for j in 0..<length { acc &+= Int32(l.weights[row + j]) &* Int32(x[input + j]) }
                    out[p * channels + c] = finish(acc, c)
                }
            }
        case let .affine(positions):
            for p in 0..<positions {
                for c in 0..<channels {
                    out[p * channels + c] = finish(l.bias[c] &+ Int32(l.weights[c]) &* Int32(x[p * channels + c]), c)
                }
            }
        case let .convolution(g):
            let cin = g.channels, taps = g.tapCount
            for p in 0..<g.outputPositions {
                for c in 0..<channels {
                    var acc = l.bias[c]
                    let row = c * length
                    for t in 0..<taps {
                        let pixel = Int(g.taps[p * taps + t])
                        for ci in 0..<cin {
                            let value = pixel < 0 ? l.inputZeroPoint : Int32(x[pixel * cin + ci])
                            acc &+= Int32(l.weights[row + t * cin + ci]) &* value
                        }
                    }
                    out[p * channels + c] = finish(acc, c)
                }
            }
        case let .depthwise(g, multiplier):
            let cin = g.channels, taps = g.tapCount
            for p in 0..<g.outputPositions {
                for c in 0..<channels {
                    var acc = l.bias[c]
                    let source = c / multiplier
                    for t in 0..<taps {
                        let pixel = Int(g.taps[p * taps + t])
                        let value = pixel < 0 ? l.inputZeroPoint : Int32(x[pixel * cin + source])
                        acc &+= Int32(l.weights[c * length + t]) &* value
                    }
                    out[p * channels + c] = finish(acc, c)
                }
            }
        }
        return out
    }
}
