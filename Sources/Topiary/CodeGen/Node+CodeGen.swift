extension Node {
    /// The weight `role` with exactly `shape`, or an error naming the layer.
    func weightForC(_ role: WeightRole, shape: [Int]) throws -> Tensor {
        guard let tensor = weights[role] else {
            throw CodeGenError.badWeight(layer: name, weight: role.rawValue, reason: "is missing")
        }
        guard tensor.shape == shape else {
            throw CodeGenError.badWeight(layer: name, weight: role.rawValue, reason: "has shape \(tensor.shape), expected \(shape)")
        }
        return tensor
    }

    /// The weight `role` when the layer has one; required when `required`.
    func optionalWeightForC(_ role: WeightRole, shape: [Int], required: Bool) throws -> Tensor? {
        if !required && weights[role] == nil { return nil }
        return try weightForC(role, shape: shape)
    }

    /// The bias `[count]` as the float kernels read it (key `bias`): one request, or none when
    /// the layer has no bias and does not need one.
    func biasRequest(count: Int, required: Bool) throws -> [WeightRequest] {
        guard let bias = try optionalWeightForC(.bias, shape: [count], required: required) else { return [] }
        return [WeightRequest(key: "bias", meaning: "bias", shape: bias.shape, values: bias.values)]
    }

    /// A per-channel weight, `[channels]` or a single value broadcast to every channel.
    func channelValuesForC(_ role: WeightRole, channels: Int) throws -> [Float] {
        guard let tensor = weights[role] else {
            throw CodeGenError.badWeight(layer: name, weight: role.rawValue, reason: "is missing")
        }
        if tensor.count == channels { return tensor.values }
        if tensor.count == 1 { return [Float](repeating: tensor.values[0], count: channels) }
        throw CodeGenError.badWeight(layer: name, weight: role.rawValue, reason: "has shape \(tensor.shape), expected [\(channels)]")
    }

    /// The activation initializer for this node's output.
    func activationLiteral(_ activation: Activation) throws -> String {
        try ActivationLiteral.render(activation, shape: outputShape, layer: name)
    }
}
