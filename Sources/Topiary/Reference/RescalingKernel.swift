/// `Rescaling`: `x · scale + offset`, each a single value or one per channel (last axis).
struct RescalingKernel: FloatKernel {
    let layout: AxisLayout
    let scale: [Float]
    let offset: [Float]
    let shape: [Int]

    init(node: Node, inputShape: [Int], scale: [Float], offset: [Float]) throws {
        guard !inputShape.isEmpty else {
            throw InferenceError(.invalidGraph, layer: node.name, "Rescaling needs an input of rank 1 or more")
        }
        let layout = try AxisLayout(node: node, shape: inputShape, axis: inputShape.count - 1)
        self.layout = layout
        self.scale = try Self.expand(scale, "scale", channels: layout.length, node: node)
        self.offset = try Self.expand(offset, "offset", channels: layout.length, node: node)
        shape = inputShape
    }

    /// One value per channel, from either one per channel or a single shared value.
    private static func expand(_ values: [Float], _ what: String, channels: Int, node: Node) throws -> [Float] {
        if let expanded = values.perChannel(channels) { return expanded }
        throw InferenceError(
            .invalidGraph, layer: node.name,
            "Rescaling \(what) has \(values.count) values; expected 1 or one per channel (\(channels))")
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var values = inputs[0].values
        layout.affine(&values, scale: scale, shift: offset)
        return Tensor(shape: shape, values: values)
    }
}
