/// Ops that move int8 values without changing their quantization: identity, flatten and
/// reshape (a copy), and permute, zero padding, cropping, up-sampling and reverse (a
/// `GatherTable`, where padding reads the zero point).
struct Int8MoveKernel: Int8Kernel {
    let gather: GatherTable?
    let zeroPoint: Int8

    init(node: Node, inputShape: [Int], zeroPoint: Int32) throws {
        self.zeroPoint = Int8(zeroPoint)
        switch node.op {
        case .identity, .flatten, .reshape:
            gather = nil
        default:
            gather = try GatherTable(node: node, inputShape: inputShape)
        }
    }

    func forward(_ inputs: [[Int8]]) throws -> [Int8] {
        guard let gather else { return inputs[0] }
        return gather.apply(inputs[0], padding: zeroPoint)
    }
}
