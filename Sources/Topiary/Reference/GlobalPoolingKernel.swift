/// `GlobalMaxPooling1D/2D` and `GlobalAveragePooling1D/2D`: one value per channel over every
/// spatial position, optionally keeping size-1 spatial axes (`keepdims`).
struct GlobalPoolingKernel: FloatKernel {
    let kind: PoolKind
    let positions: Int
    let channels: Int
    let outputShape: [Int]

    init(node: Node, inputShape: [Int], parameters g: GlobalPooling) throws {
        guard inputShape.count == g.rank + 1, let channels = inputShape.last else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(node.kerasClass) expects a \(g.rank)D channels-last input of rank \(g.rank + 1) (batch excluded), got shape \(inputShape)"
            )
        }
        kind = g.kind
        self.channels = channels
        positions = inputShape.dropLast().reduce(1, *)
        outputShape = g.keepDims ? Array(repeating: 1, count: g.rank) + [channels] : [channels]
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var out = [Float](repeating: kind == .max ? -.infinity : 0, count: channels)
        inputs[0].values.withUnsafeBufferPointer { x in
            for p in 0..<positions {
                let row = p * channels
                switch kind {
                case .max:
                    for c in 0..<channels { out[c] = max(out[c], x[row + c]) }
                case .average:
                    for c in 0..<channels { out[c] += x[row + c] }
                }
            }
        }
        if kind == .average {
            let divisor = Float(max(positions, 1))
            for c in 0..<channels { out[c] /= divisor }
        }
        return Tensor(shape: outputShape, values: out)
    }
}
