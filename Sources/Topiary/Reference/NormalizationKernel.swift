/// Keras's `Normalization` layer: `(x − mean) / max(sqrt(variance), 1e-7)` along one axis, or
/// with `invert`, `mean + x · max(sqrt(variance), 1e-7)`.
///
/// Computed in the same order as Keras (subtract, then divide) rather than as a folded affine
/// map, so values match to the last bit where Keras's do.
struct NormalizationKernel: FloatKernel {
    let layout: AxisLayout
    let mean: [Float]
    let deviation: [Float]
    let invert: Bool
    let shape: [Int]

    init(node: Node, inputShape: [Int], parameters n: Normalization) throws {
        layout = try AxisLayout(node: node, shape: inputShape, axis: n.axis)
        mean = try node.channelWeight(.mean, channels: layout.length)
        deviation = try node.channelWeight(.variance, channels: layout.length).map {
            max($0.squareRoot(), Normalization.epsilon)
        }
        invert = n.invert
        shape = inputShape
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var values = inputs[0].values
        values.withUnsafeMutableBufferPointer { v in
            var index = 0
            for _ in 0..<layout.outer {
                for k in 0..<layout.length {
                    let m = mean[k], d = deviation[k]
                    for _ in 0..<layout.inner {
                        v[index] = invert ? m + v[index] * d : (v[index] - m) / d
                        index += 1
                    }
                }
            }
        }
        return Tensor(shape: shape, values: values)
    }
}
