import Foundation
import Testing
import Topiary
import TopiaryTestSupport

@Suite("Recurrent")
struct RecurrentTests {
    func cell(
        _ kind: RecurrentKind, units: Int = 1, activation: Activation = .tanh, sequences: Bool = false,
        backwards: Bool = false, resetAfter: Bool = true, useBias: Bool = true
    ) -> Op {
        .recurrent(
            Recurrent(
                kind: kind, units: units, activation: activation, recurrentActivation: .sigmoid, useBias: useBias,
                returnSequences: sequences, goBackwards: backwards, resetAfter: resetAfter))
    }

    // One unit, one feature, gates z, r, h: kernel [1, 3], recurrent kernel [1, 3].
    let gruKernel = Tensor(shape: [1, 3], values: [0.5, -0.5, 1.0])
    let gruRecurrent = Tensor(shape: [1, 3], values: [0.3, 0.2, -0.4])

    @Test func gruResetAfterTwoSteps() throws {
        // bias [2, 3u]: row 0 is added to x·W, row 1 to h·U (inside the reset gate for h).
        // Step 1 by hand: z = σ(0.6 + 0.05), r = σ(−0.3 − 0.1), ĥ = tanh(1.3 + r·0.2), h = (1 − z)·ĥ.
        let y = try GraphBuilder.run(
            cell(.gru, sequences: true), input: [2, 1], [1, 2],
            weights: [
                .kernel: gruKernel, .recurrentKernel: gruRecurrent,
                .bias: Tensor(shape: [2, 3], values: [0.1, 0.2, 0.3, 0.05, -0.1, 0.2]),
            ])
        #expect(y.shape == [2, 1])
        #expect(close(y.values, [0.30217722173458755, 0.4544557644221884]))
    }

    @Test func gruResetBeforeTwoSteps() throws {
        // bias [3u]; ĥ = tanh(x_h + (r ⊙ h_prev)·U_h).
        let y = try GraphBuilder.run(
            cell(.gru, sequences: true, resetAfter: false), input: [2, 1], [1, 2],
            weights: [
                .kernel: gruKernel, .recurrentKernel: gruRecurrent,
                .bias: Tensor(shape: [3], values: [0.1, 0.2, 0.3]),
            ])
        #expect(close(y.values, [0.3053461672818544, 0.4621673421347526]))
    }

    @Test func gruWithoutBias() throws {
        let y = try GraphBuilder.run(
            cell(.gru, useBias: false), input: [1, 1], [1],
            weights: [
                .kernel: gruKernel, .recurrentKernel: gruRecurrent,
            ])
        // h = (1 − σ(0.5)) · tanh(1 + σ(−0.5)·0) from zero state.
        let z = 1 / (1 + exp(Float(-0.5)))
        #expect(close(y.values, [(1 - z) * tanh(Float(1))]))
    }

    @Test func lstmTwoSteps() throws {
        // Gates i, f, c, o; zero bias; c = f·c + i·tanh(z_c), h = o·tanh(c).
        let y = try GraphBuilder.run(
            cell(.lstm, sequences: true), input: [2, 1], [1, 1],
            weights: [
                .kernel: Tensor(shape: [1, 4], values: [0.5, -1, 2, 0.25]),
                .recurrentKernel: Tensor(shape: [1, 4], values: [0.1, 0.1, 0.1, 0.1]),
                .bias: Tensor(zeros: [4]),
            ])
        #expect(close(y.values, [0.3019438326814891, 0.369530742961396]))
    }

    @Test func simpleRNNForwardAndBackward() throws {
        // Linear cell h = x + 0.5·h: forward over [1, 2, 3] gives 1, 2.5, 4.25; backwards
        // processes 3, 2, 1 and returns the outputs in that processed order.
        let weights: [WeightRole: Tensor] = [
            .kernel: Tensor(shape: [1, 1], values: [1]),
            .recurrentKernel: Tensor(shape: [1, 1], values: [0.5]),
            .bias: Tensor(zeros: [1]),
        ]
        let forward = try GraphBuilder.run(
            cell(.simpleRNN, activation: .linear, sequences: true), input: [3, 1], [1, 2, 3],
            weights: weights)
        #expect(forward.values == [1, 2.5, 4.25])
        let backward = try GraphBuilder.run(
            cell(.simpleRNN, activation: .linear, sequences: true, backwards: true),
            input: [3, 1], [1, 2, 3], weights: weights)
        #expect(backward.values == [3, 3.5, 2.75])
        let last = try GraphBuilder.run(
            cell(.simpleRNN, activation: .linear, backwards: true), input: [3, 1], [1, 2, 3],
            weights: weights)
        #expect(last.shape == [1])
        #expect(last.values == [2.75])
    }

    @Test func unitsAreIndependentColumns() throws {
        // Two units with a diagonal recurrent kernel run as two separate one-unit cells.
        let y = try GraphBuilder.run(
            cell(.simpleRNN, units: 2, activation: .linear), input: [2, 1], [1, 1],
            weights: [
                .kernel: Tensor(shape: [1, 2], values: [1, 2]),
                .recurrentKernel: Tensor(shape: [2, 2], values: [0.5, 0, 0, -1]),
                .bias: Tensor(shape: [2], values: [0, 1]),
            ])
        #expect(y.values == [1.5, 0])
    }

    @Test func aGRUWithTheWrongBiasLayoutIsRefused() throws {
        var builder = GraphBuilder()
        builder.input([2, 1])
        try builder.add(
            cell(.gru),
            weights: [
                .kernel: gruKernel, .recurrentKernel: gruRecurrent,
                .bias: Tensor(zeros: [3]),
            ], name: "gru", kerasClass: "GRU")
        let error = #expect(throws: InferenceError.self) { try FloatInference(graph: builder.graph()) }
        #expect(error?.description.contains("layer 'gru'") == true)
        #expect(error?.description.contains("[2, 3]") == true)
    }
}
