import Testing
import Topiary
import TopiaryTestSupport

@Suite("Layer normalization")
struct LayerNormalizationTests {
    static let weights: [WeightRole: Tensor] = [
        .gamma: Tensor(shape: [2], values: [2, 1]), .beta: Tensor(shape: [2], values: [0, 10]),
    ]

    @Test func normalisesEachRowOverTheLastAxis() throws {
        // Rows [1, 3] and [2, 6] both normalise to [−1, 1].
        let y = try GraphBuilder.run(
            .layerNorm(LayerNormalization(axes: [1], epsilon: 0)), input: [2, 2], [1, 3, 2, 6], weights: Self.weights)
        #expect(y == Tensor(shape: [2, 2], values: [-2, 11, -2, 11]))
    }

    @Test func normalisesEachColumnOverTheFirstAxis() throws {
        let y = try GraphBuilder.run(
            .layerNorm(LayerNormalization(axes: [0], epsilon: 0)), input: [2, 2], [1, 3, 2, 6], weights: Self.weights)
        #expect(y == Tensor(shape: [2, 2], values: [-2, -2, 11, 11]))
    }

    @Test func epsilonIsAddedToTheVariance() throws {
        let ones: [WeightRole: Tensor] = [.gamma: Tensor(filling: 1, shape: [2]), .beta: Tensor(filling: 0, shape: [2])]
        // Variance 1, epsilon 3: values divided by 2.
        let y = try GraphBuilder.run(.layerNorm(LayerNormalization(axes: [0], epsilon: 3)), input: [2], [1, 3], weights: ones)
        #expect(y == Tensor(shape: [2], values: [-0.5, 0.5]))
    }

    @Test func withoutGammaAndBetaItOnlyNormalises() throws {
        let y = try GraphBuilder.run(.layerNorm(LayerNormalization(axes: [1], epsilon: 0)), input: [2, 2], [1, 3, 2, 6])
        #expect(y == Tensor(shape: [2, 2], values: [-1, 1, -1, 1]))
    }

    @Test func refusesGammaOfTheWrongSize() throws {
        var builder = GraphBuilder()
        builder.input([2, 3])
        try builder.add(
            .layerNorm(LayerNormalization(axes: [1], epsilon: 0.001)), weights: Self.weights, name: "norm")
        #expect(throws: InferenceError.self) { try FloatInference(graph: builder.graph()) }
    }
}
