extension QuantizedRecurrent {
    /// What the integer recurrent layer of `node` stores and computes over `timesteps`: both
    /// kernels dense (a pruned weight is a zero the kernel multiplies, every weight used once
    /// per timestep), the int32 biases, a 16-bit multiplier per gate channel and one shift.
    func footprint(node: Node, timesteps: Int) -> LayerFootprint {
        let weights = inputWeights.count + recurrentWeights.count
        let nonzeros = (inputWeights + recurrentWeights).filter { $0 != 0 }.count
        let floatBias = node.weights[.bias]?.count ?? 0
        return LayerFootprint(
            layer: node.name, format: .dense, channels: width, weights: weights, nonzeros: nonzeros, valueBytes: weights,
            indexBytes: 0, metadataBytes: 4 * (bias.count + recurrentBias.count) + 2 * width + 1,
            nonzeroMACs: nonzeros * timesteps, denseMACs: weights * timesteps, float32Bytes: 4 * (weights + floatBias))
    }
}
