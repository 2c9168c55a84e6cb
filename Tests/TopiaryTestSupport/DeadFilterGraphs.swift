import Topiary

/// A small int8-ready graph whose weighted layers have output channels without any weight, as
/// the MLPerf Tiny visual wake words model has: a pointwise convolution whose live filters are
/// dense, a 3x3 convolution whose live filters are mostly pruned too, and a Dense layer with
/// dead units, each followed by a clamp (ReLU) so that a dead channel's output is clamped.
public enum DeadFilterGraphs {
    /// Keeps the weights of the channels `live` says (by output channel), zero elsewhere, in a
    /// kernel whose last axis is the output channel; within kept channels every `keep`-th
    /// weight.
    static func pruned(_ tensor: Tensor, live: (Int) -> Bool, keep: Int = 1) -> Tensor {
        var kept = tensor
        let channels = tensor.shape.last ?? 1
        for i in kept.values.indices where !live(i % channels) || (i / channels) % keep != 0 { kept.values[i] = 0 }
        return kept
    }

    /// Input `[6, 6, 16]`; `pointwise` 32 filters (20 dead), `conv` 3x3 24 filters (16 dead, the
    /// others keeping one weight in ten), `fc` 40 units (25 dead) over the flattened features.
    public static func graph() throws -> Graph {
        var g = GraphBuilder()
        g.input([6, 6, 16])
        let pointwise = Convolution(
            filters: 32, kernelSize: [1, 1], strides: [1, 1], dilation: [1, 1], padding: .same, useBias: true, activation: .plainRelu)
        try g.add(
            .conv(pointwise),
            weights: [
                .kernel: pruned(randomTensor([1, 1, 16, 32], seed: 41), live: { $0 % 8 < 3 }), .bias: randomTensor([32], seed: 42),
            ], name: "pointwise")
        let conv = Convolution(
            filters: 24, kernelSize: [3, 3], strides: [1, 1], dilation: [1, 1], padding: .same, useBias: true, activation: .plainRelu)
        try g.add(
            .conv(conv),
            weights: [
                .kernel: pruned(randomTensor([3, 3, 32, 24], seed: 43), live: { $0 % 3 == 0 }, keep: 10),
                .bias: randomTensor([24], seed: 44),
            ], name: "conv")
        try g.add(.flatten, name: "flat")
        try g.dense(
            pruned(randomTensor([6 * 6 * 24, 40], seed: 45), live: { $0 % 8 < 3 }), bias: randomTensor([40], seed: 46),
            activation: .plainRelu, name: "fc")
        return g.graph()
    }

    /// Seeded inputs for `graph()`.
    public static func inputs(count: Int) -> NDArray {
        randomSamples([count, 6, 6, 16], in: -2...2, seed: 47)
    }
}
