extension Node {
    /// The bias `[count]` as the float kernels read it (key `bias`): one request, or none when
    /// the layer has no bias and does not need one.
    func biasRequest(count: Int, required: Bool) throws -> [WeightRequest] {
        guard let bias = try optionalWeight(.bias, shape: [count], required: required) else { return [] }
        return [WeightRequest(key: "bias", meaning: "bias", shape: bias.shape, values: bias.values)]
    }

    /// The activation initializer for this node's output.
    func activationLiteral(_ activation: Activation) throws -> String {
        try ActivationLiteral.render(activation, shape: outputShape, layer: name)
    }
}
