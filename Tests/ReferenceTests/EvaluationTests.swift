import Testing
import Topiary

@Suite("Evaluation")
struct EvaluationTests {
    let scores = NDArray(
        shape: [4, 3],
        values: [
            0.1, 0.7, 0.2,  // 1
            0.5, 0.5, 0.0,  // tie: the first, 0
            0.0, 0.1, 0.9,  // 2
            0.3, 0.3, 0.4,  // 2
        ])

    @Test func accuracyFromClassIndices() throws {
        let labels = NDArray(shape: [4], values: [1, 0, 1, 2], elementKind: .integer)
        #expect(try Evaluation.score(predictions: scores, labels: labels) == .accuracy(correct: 3, total: 4))
        let column = NDArray(shape: [4, 1], values: [1, 1, 1, 2], elementKind: .integer)
        #expect(try Evaluation.score(predictions: scores, labels: column) == .accuracy(correct: 2, total: 4))
    }

    @Test func accuracyFromOneHotRows() throws {
        let oneHot = NDArray(shape: [4, 3], values: [0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0])
        #expect(try Evaluation.score(predictions: scores, labels: oneHot) == .accuracy(correct: 3, total: 4))
    }

    @Test func meanAbsoluteErrorForRegression() throws {
        let predictions = NDArray(shape: [3, 1], values: [1, 2, 3])
        let targets = NDArray(shape: [3], values: [1.5, 2, 1])
        #expect(try Evaluation.score(predictions: predictions, labels: targets) == .meanAbsoluteError(2.5 / 3, count: 3))
        // Float targets with the output's shape that are not one-hot: regression too.
        let soft = NDArray(shape: [4, 3], values: scores.values.map { $0 + 0.5 })
        guard case let .meanAbsoluteError(mae, count) = try Evaluation.score(predictions: scores, labels: soft) else {
            Issue.record("expected a mean absolute error")
            return
        }
        #expect(abs(mae - 0.5) < 1e-6 && count == 12)
    }

    @Test func labelsThatDoNotFitAreErrors() throws {
        let outOfRange = NDArray(shape: [4], values: [0, 1, 2, 3], elementKind: .integer)
        let error = #expect(throws: InferenceError.self) {
            try Evaluation.score(predictions: scores, labels: outOfRange, labelsName: "y.npy")
        }
        #expect(error?.description.contains("y.npy holds class 3") == true)
        let infinite = NDArray(shape: [4], values: [0, 1, .infinity, 2])
        let error2 = #expect(throws: InferenceError.self) { try Evaluation.score(predictions: scores, labels: infinite) }
        #expect(error2?.description.contains("holds class inf") == true)
        let fractional = NDArray(shape: [4], values: [0, 1, 1.5, 2])
        #expect(throws: InferenceError.self) { try Evaluation.score(predictions: scores, labels: fractional) }
        let wrongCount = NDArray(shape: [3], values: [0, 1, 2], elementKind: .integer)
        #expect(throws: InferenceError.self) { try Evaluation.score(predictions: scores, labels: wrongCount) }
        let wrongShape = NDArray(shape: [4, 2], values: [Float](repeating: 0, count: 8))
        #expect(throws: InferenceError.self) { try Evaluation.score(predictions: scores, labels: wrongShape) }
    }

    @Test func description() {
        #expect(EvaluationResult.accuracy(correct: 353, total: 360).description == "top-1 accuracy 98.06% (353/360)")
    }
}
