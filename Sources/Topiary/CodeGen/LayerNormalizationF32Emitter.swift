/// `LayerNormalization` as `tp_layer_norm_f32`: the lengths and strides of the normalised axes
/// and of the others, gamma and beta one value per normalised position (NULL when the node has
/// none: a group normalisation's statistics step).
struct LayerNormalizationF32Emitter: LayerKernel {
    let node: Node
    let layout: LayerNormLayout
    let epsilon: Float

    init(node: Node, inputShape: [Int], normalization: LayerNormalization) throws {
        try ShapeArrays.check(rank: inputShape.count, node: node)
        guard !normalization.axes.isEmpty, normalization.axes.allSatisfy({ $0 >= 0 && $0 < inputShape.count }) else {
            throw CodeGenError.unsupported(
                layer: node.name, reason: "normalised axes \(normalization.axes.map { $0 + 1 }) do not fit input \(inputShape)")
        }
        self.node = node
        layout = LayerNormLayout(shape: inputShape, axes: normalization.axes)
        epsilon = normalization.epsilon
    }

    var storage: OutputStorage { .inPlace }
    var headers: [String] { ["tp_layer_norm_f32.h"] }

    func weights() throws -> [WeightRequest] {
        let count = layout.normalised.elementCount
        return try [WeightRole.gamma, .beta].compactMap { role in
            guard let tensor = node.weights[role] else { return nil }
            guard tensor.count == count else {
                throw InferenceError(
                    .invalidGraph, layer: node.name, "\(node.kerasClass) weight '\(role.rawValue)' should hold \(count) values")
            }
            return WeightRequest(key: role.rawValue, meaning: role.rawValue, shape: [count], values: tensor.values)
        }
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let epsilonLiteral: String
        do {
            epsilonLiteral = try CFloatLiteral.literal(epsilon)
        } catch {
            throw CodeGenError.nonFiniteParameter(layer: node.name, parameter: "epsilon")
        }
        // Normalising every axis leaves one group: a rank of 0 and a placeholder length.
        let others = layout.others.isEmpty ? [1] : layout.others
        let otherStrides = layout.otherStrides.isEmpty ? [0] : layout.otherStrides
        let params = CInitializer.declaration(
            type: "tp_layer_norm_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("group_rank", "\(layout.others.count)"), ("group_shape", CInitializer.list(others)),
                ("group_stride", CInitializer.list(otherStrides)),
                ("norm_rank", "\(layout.normalised.count)"), ("norm_shape", CInitializer.list(layout.normalised)),
                ("norm_stride", CInitializer.list(layout.normalisedStrides)),
                ("epsilon", epsilonLiteral),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "tp_layer_norm_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("gamma")), \(site.weight("beta")), \(site.output));"
            ])
    }
}
