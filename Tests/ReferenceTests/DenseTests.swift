import Testing
import Topiary
import TopiaryTestSupport

@Suite("Dense")
struct DenseTests {
    let weights: [WeightRole: Tensor] = [
        .kernel: Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6]),
        .bias: Tensor(shape: [2], values: [0.5, -1]),
    ]

    @Test func handComputed() throws {
        // [1, 0, -1] · [[1, 2], [3, 4], [5, 6]] + [0.5, -1] = [-4 + 0.5, -4 − 1].
        let y = try GraphBuilder.run(
            .dense(Dense(units: 2, useBias: true, activation: .linear)), input: [3], [1, 0, -1],
            weights: weights)
        #expect(y.values == [-3.5, -5])
        let relu = try GraphBuilder.run(
            .dense(Dense(units: 2, useBias: true, activation: .plainRelu)), input: [3], [1, 1, 1],
            weights: weights)
        #expect(relu.values == [9.5, 11])
    }

    @Test func appliesToTheLastAxisOfARank2Input() throws {
        let y = try GraphBuilder.run(
            .dense(Dense(units: 2, useBias: true, activation: .linear)), input: [2, 3],
            [1, 0, -1, 0, 1, 0], weights: weights)
        #expect(y.shape == [2, 2])
        #expect(y.values == [-3.5, -5, 3.5, 3])
    }

    @Test func withoutBias() throws {
        let y = try GraphBuilder.run(
            .dense(Dense(units: 2, useBias: false, activation: .linear)), input: [3], [1, 1, 1],
            weights: [.kernel: weights[.kernel]!])
        #expect(y.values == [9, 12])
    }

    @Test func aMissingOrMisshapenWeightNamesTheLayer() throws {
        var builder = GraphBuilder()
        builder.input([3])
        try builder.add(
            .dense(Dense(units: 2, useBias: true, activation: .linear)), weights: [.kernel: weights[.kernel]!],
            name: "fc1", kerasClass: "Dense")
        let missing = #expect(throws: InferenceError.self) { try FloatInference(graph: builder.graph()) }
        #expect(missing?.kind == .invalidGraph)
        #expect(missing?.description.contains("layer 'fc1'") == true)
        #expect(missing?.description.contains("bias") == true)

        builder.nodes[1].weights[.bias] = Tensor(shape: [3], values: [0, 0, 0])
        let misshapen = #expect(throws: InferenceError.self) { try FloatInference(graph: builder.graph()) }
        #expect(misshapen?.description.contains("[3]") == true)
        #expect(misshapen?.description.contains("expected [2]") == true)
    }
}
