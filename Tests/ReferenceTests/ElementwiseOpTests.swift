import Testing
import Topiary
import TopiaryTestSupport

@Suite("Merge, normalisation, embedding and PReLU")
struct ElementwiseOpTests {
    func merge(_ kind: MergeKind, _ inputs: [[Float]]) throws -> [Float] {
        var builder = GraphBuilder()
        let sources = inputs.map { _ in builder.input([inputs[0].count]) }
        try builder.add(.merge(kind), from: sources)
        return try FloatInference(graph: builder.graph()).run(inputs.map { Tensor(shape: [$0.count], values: $0) })[0].values
    }

    @Test func merges() throws {
        let a: [Float] = [1, -2, 3], b: [Float] = [4, 5, -6], c: [Float] = [1, 0, 0]
        #expect(try merge(.add, [a, b, c]) == [6, 3, -3])
        #expect(try merge(.subtract, [a, b]) == [-3, -7, 9])
        #expect(try merge(.multiply, [a, b]) == [4, -10, -18])
        #expect(try merge(.average, [a, b, c]) == [2, 1, -1])
        #expect(try merge(.maximum, [a, b]) == [4, 5, 3])
        #expect(try merge(.minimum, [a, b]) == [1, -2, -6])
    }

    @Test func batchNormAlongTheLastAxis() throws {
        let weights: [WeightRole: Tensor] = [
            .gamma: Tensor(shape: [2], values: [2, 1]), .beta: Tensor(shape: [2], values: [1, 0]),
            .movingMean: Tensor(shape: [2], values: [1, -1]), .movingVariance: Tensor(shape: [2], values: [4, 0.25]),
        ]
        // Channel 0: 2·(x − 1)/√(4 + ε) + 1; channel 1: (x + 1)/√(0.25 + ε).
        let y = try GraphBuilder.run(.batchNorm(BatchNorm(axis: 1, epsilon: 0)), input: [2, 2], [3, 0, -1, 1], weights: weights)
        #expect(close(y.values, [3, 2, -1, 4]))
    }

    @Test func batchNormAlongAnInnerAxis() throws {
        let weights: [WeightRole: Tensor] = [
            .gamma: Tensor(shape: [2], values: [1, 1]), .beta: Tensor(shape: [2], values: [0, 10]),
            .movingMean: Tensor(zeros: [2]), .movingVariance: Tensor(shape: [2], values: [1, 1]),
        ]
        let y = try GraphBuilder.run(.batchNorm(BatchNorm(axis: 0, epsilon: 0)), input: [2, 3], iota([6]).values, weights: weights)
        #expect(close(y.values, [0, 1, 2, 13, 14, 15]))
    }

    @Test func normalizationFloorsTheDeviation() throws {
        let weights: [WeightRole: Tensor] = [.mean: Tensor(shape: [2], values: [1, 2]), .variance: Tensor(shape: [2], values: [4, 0])]
        // Channel 1 has zero variance: divide by 1e-7 rather than by zero.
        let y = try GraphBuilder.run(.normalization(Normalization(axis: 0, invert: false)), input: [2], [5, 2.5], weights: weights)
        #expect(close(y.values, [2, 0.5 / 1e-7]))
        let back = try GraphBuilder.run(.normalization(Normalization(axis: 0, invert: true)), input: [2], [2, 1], weights: weights)
        #expect(close(back.values, [5, 2 + 1e-7]))
    }

    @Test func rescalingPerChannelAndShared() throws {
        let shared = try GraphBuilder.run(.rescaling(scale: [1.0 / 255], offset: [-1]), input: [2], [255, 0])
        #expect(close(shared.values, [0, -1]))
        let perChannel = try GraphBuilder.run(.rescaling(scale: [2, 3], offset: [0, 1]), input: [2, 2], [1, 1, 2, 2])
        #expect(perChannel.values == [2, 4, 4, 7])
    }

    @Test func embeddingLooksUpRows() throws {
        let table = Tensor(shape: [3, 2], values: [0, 1, 10, 11, 20, 21])
        let y = try GraphBuilder.run(.embedding(inputDim: 3, outputDim: 2), input: [3], [2, 0, 1], weights: [.embeddings: table])
        #expect(y == Tensor(shape: [3, 2], values: [20, 21, 0, 1, 10, 11]))
    }

    @Test func embeddingRefusesAnOutOfRangeIndexNamingTheLayer() throws {
        var builder = GraphBuilder()
        builder.input([2])
        try builder.add(
            .embedding(inputDim: 3, outputDim: 2), weights: [.embeddings: Tensor(zeros: [3, 2])],
            name: "tokens", kerasClass: "Embedding")
        let engine = try FloatInference(graph: builder.graph())
        for bad: Float in [3, -1, .nan] {
            let error = #expect(throws: InferenceError.self) { try engine.run([Tensor(shape: [2], values: [0, bad])]) }
            #expect(error?.kind == .badValue)
            #expect(error?.layer == "tokens")
            #expect(error?.description.contains("0..<3") == true)
        }
    }

    @Test func preluWithSharedAxes() throws {
        // Input [2, 2, 2], alpha shared over the two spatial axes: one slope per channel.
        let alpha = Tensor(shape: [1, 1, 2], values: [0.5, -1])
        let y = try GraphBuilder.run(.prelu, input: [2, 2, 2], [-2, -2, 3, 3, -4, -4, 0, 1], weights: [.alpha: alpha])
        #expect(y.values == [-1, 2, 3, 3, -2, 4, 0, 1])
        let full = try GraphBuilder.run(.prelu, input: [2], [-1, -1], weights: [.alpha: Tensor(shape: [2], values: [0.1, 0.2])])
        #expect(close(full.values, [-0.1, -0.2]))
    }
}
