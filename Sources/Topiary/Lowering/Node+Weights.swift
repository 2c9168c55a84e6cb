extension Node {
    /// The weight `role`, checked to have `shape`, or an error naming the layer.
    ///
    /// Every reference kernel and C emitter fetches its weights through here, so that a graph
    /// with a missing or misshapen weight fails when the engine or the C is built, with the
    /// layer and the shapes in the message, instead of reading out of bounds later.
    func weight(_ role: WeightRole, shape: [Int]) throws -> Tensor {
        guard let tensor = weights[role] else {
            throw InferenceError(
                .invalidGraph, layer: name,
                "\(kerasClass) has no '\(role.rawValue)' weight; re-export the model with its weights")
        }
        guard tensor.shape == shape else {
            throw InferenceError(
                .invalidGraph, layer: name,
                "\(kerasClass) weight '\(role.rawValue)' has shape \(tensor.shape), expected \(shape)")
        }
        return tensor
    }

    /// The weight `role` when the layer has it (e.g. a bias with `use_bias`), checked to have
    /// `shape`; `nil` otherwise.
    func optionalWeight(_ role: WeightRole, shape: [Int], required: Bool) throws -> Tensor? {
        if !required && weights[role] == nil { return nil }
        return try weight(role, shape: shape)
    }

    /// A per-channel weight `[channels]`, also accepting a single value broadcast to all
    /// channels, expanded to `channels` values.
    func channelWeight(_ role: WeightRole, channels: Int) throws -> [Float] {
        guard let tensor = weights[role] else {
            throw InferenceError(
                .invalidGraph, layer: name,
                "\(kerasClass) has no '\(role.rawValue)' weight; re-export the model with its weights")
        }
        if let values = tensor.values.perChannel(channels) { return values }
        throw InferenceError(
            .invalidGraph, layer: name,
            "\(kerasClass) weight '\(role.rawValue)' has shape \(tensor.shape), expected [\(channels)] (one value per channel)")
    }
}
