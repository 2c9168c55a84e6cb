/// Dense, convolution (1D and 2D), depthwise convolution and per-channel affine in int8:
/// `clamp(zp_out + MBQM(bias'[c] + Σ w·x_q, M[c], shift[c]))`, where a window tap that falls
/// in the padding reads the input zero point (so, after the bias fold, contributes nothing).
///
/// Sums are exact int32 sums, so the order in which the C kernels visit the nonzeros (dense,
/// bitmask, CSR or N:M) cannot change the result.
struct Int8WeightedKernel: Int8Kernel {
    let layer: QuantizedLayer
    let loop: WeightedLayerLoop
    let outputCount: Int

    init(node: Node, inputShape: [Int], layer: QuantizedLayer) throws {
        self.layer = layer
        loop = try WeightedLayerLoop(node: node, inputShape: inputShape, layer: layer)
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
        switch loop.kind {
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
        case let .convolution(g, groupWidth, groupOutputs):
            let cin = g.channels, taps = g.tapCount
            for p in 0..<g.outputPositions {
                for c in 0..<channels {
                    var acc = l.bias[c]
                    let row = c * length, first = c / groupOutputs * groupWidth
                    for t in 0..<taps {
                        let pixel = Int(g.taps[p * taps + t])
                        for ci in 0..<groupWidth {
                            let value = pixel < 0 ? l.inputZeroPoint : Int32(x[pixel * cin + first + ci])
                            acc &+= Int32(l.weights[row + t * groupWidth + ci]) &* value
                        }
                    }
                    out[p * channels + c] = finish(acc, c)
                }
            }
        }
        return out
    }
}
