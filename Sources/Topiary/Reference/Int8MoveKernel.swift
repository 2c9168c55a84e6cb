/// Ops that move int8 values without changing their quantization: identity, flatten and
/// reshape (a copy), and permute, zero padding, cropping and up-sampling (a gather, reusing
/// the float engine's tables, where padding reads the zero point).
struct Int8MoveKernel: Int8Kernel {
    let gather: GatherKernel?
    let zeroPoint: Int8

    init(node: Node, inputShape: [Int], zeroPoint: Int32) throws {
        self.zeroPoint = Int8(zeroPoint)
        switch node.op {
        case .identity, .flatten, .reshape:
            gather = nil
        case let .permute(dims):
            gather = try GatherKernel(node: node, inputShape: inputShape, permutation: dims)
        case let .zeroPadding(padding):
            gather = try GatherKernel(node: node, inputShape: inputShape, padding: padding)
        case let .cropping(cropping):
            gather = try GatherKernel(node: node, inputShape: inputShape, cropping: cropping)
        case let .upSampling(size):
            gather = try GatherKernel(node: node, inputShape: inputShape, upSampling: size)
        case let .reverse(axis):
            gather = try GatherKernel(node: node, inputShape: inputShape, reversing: axis)
        default:
            throw InferenceError(.invalidGraph, layer: node.name, "\(node.kerasClass) does not move values")
        }
    }

    func forward(_ inputs: [[Int8]]) throws -> [Int8] {
        guard let gather else { return inputs[0] }
        let n = gather.rowLength
        var out = [Int8](repeating: zeroPoint, count: gather.outputShape.elementCount)
        let x = inputs[0]
        for (row, source) in gather.sources.enumerated() where source >= 0 {
            for c in 0..<n { out[row * n + c] = x[Int(source) * n + c] }
        }
        return out
    }
}
