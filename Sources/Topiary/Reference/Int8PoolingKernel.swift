/// Max and average pooling, windowed and global, on int8 values with the input's
/// quantization: the largest value, or the mean rounded half away from zero
/// (`FixedPoint.roundedDivision`) over the positions inside the input.
struct Int8PoolingKernel: Int8Kernel {
    let kind: PoolKind
    /// nil for global pooling.
    let geometry: WindowGeometry?
    let positions: Int
    let channels: Int

    init(node: Node, inputShape: [Int]) throws {
        switch node.op {
        case let .pool(p):
            kind = p.kind
            let g = try WindowGeometry(
                node: node, inputShape: inputShape, kernel: p.poolSize, strides: p.strides,
                dilation: Array(repeating: 1, count: p.rank), padding: p.padding)
            geometry = g
            positions = g.outputPositions
            channels = g.channels
        case let .globalPool(g):
            kind = g.kind
            geometry = nil
            positions = inputShape.dropLast().reduce(1, *)
            channels = inputShape.last ?? 1
        default:
            throw InferenceError(.invalidGraph, layer: node.name, "\(node.kerasClass) is not a pooling")
        }
    }

    func forward(_ inputs: [[Int8]]) throws -> [Int8] {
        let x = inputs[0]
        guard let g = geometry else {
            return (0..<channels).map { c in
                pool((0..<positions).map { Int32(x[$0 * channels + c]) })
            }
        }
        var out = [Int8](repeating: 0, count: g.outputPositions * channels)
        let taps = g.tapCount
        for p in 0..<g.outputPositions {
            let pixels = (0..<taps).map { Int(g.taps[p * taps + $0]) }.filter { $0 >= 0 }
            for c in 0..<channels {
                out[p * channels + c] = pool(pixels.map { Int32(x[$0 * channels + c]) })
            }
        }
        return out
    }

    private func pool(_ values: [Int32]) -> Int8 {
        switch kind {
        case .max:
            return Int8(values.max() ?? -128)
        case .average:
            guard !values.isEmpty else { return 0 }
            return Int8(FixedPoint.roundedDivision(values.reduce(0, +), Int32(values.count)))
        }
    }
}
