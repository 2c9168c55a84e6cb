/// `MaxPooling1D/2D` and `AveragePooling1D/2D` with 'valid' or 'same' padding.
///
/// Padding positions never take part: max pooling ignores them, and 'same' average pooling
/// divides by the number of in-bounds positions of each window, as TensorFlow does (so a
/// corner window of a 2×2 pool over an odd-sized input averages fewer than four values).
struct PoolingKernel: FloatKernel {
    let geometry: WindowGeometry
    let kind: PoolKind
    let outputShape: [Int]

    init(node: Node, inputShape: [Int], parameters p: Pooling) throws {
        if p.padding == .causal {
            throw InferenceError(.invalidGraph, layer: node.name, "pooling does not support 'causal' padding")
        }
        geometry = try WindowGeometry(
            node: node, inputShape: inputShape, kernel: p.poolSize, strides: p.strides,
            dilation: Array(repeating: 1, count: p.poolSize.count), padding: p.padding)
        kind = p.kind
        outputShape = geometry.outputShape(channels: geometry.channels)
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        let g = geometry
        let channels = g.channels, tapCount = g.tapCount
        var out = [Float](repeating: kind == .max ? -.infinity : 0, count: g.outputPositions * channels)
        inputs[0].values.withUnsafeBufferPointer { x in
            g.taps.withUnsafeBufferPointer { taps in
                out.withUnsafeMutableBufferPointer { o in
                    for p in 0..<g.outputPositions {
                        let outRow = p * channels
                        var count = 0
                        for t in 0..<tapCount {
                            let pixel = Int(taps[p * tapCount + t])
                            if pixel < 0 { continue }
                            count += 1
                            let inRow = pixel * channels
                            switch kind {
                            case .max:
                                for c in 0..<channels { o[outRow + c] = max(o[outRow + c], x[inRow + c]) }
                            case .average:
                                for c in 0..<channels { o[outRow + c] += x[inRow + c] }
                            }
                        }
                        if kind == .average {
                            let divisor = Float(max(count, 1))
                            for c in 0..<channels { o[outRow + c] /= divisor }
                        }
                    }
                }
            }
        }
        return Tensor(shape: outputShape, values: out)
    }
}
