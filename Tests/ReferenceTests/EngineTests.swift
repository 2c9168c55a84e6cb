import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("Inference engine")
struct EngineTests {
    /// image [2, 2, 1] → flatten → dense(2, identity kernel slice) and a second input added to it.
    func twoInputGraph() throws -> Graph {
        var builder = GraphBuilder()
        let image = builder.input([2, 2, 1], name: "image")
        let aux = builder.input([2], name: "aux")
        let flat = try builder.add(.flatten, from: [image], name: "flatten")
        let fc = try builder.dense(Tensor(shape: [4, 2], values: [1, 0, 0, 1, 1, 0, 0, 1]), from: [flat], name: "fc")
        let sum = try builder.add(.merge(.add), from: [fc, aux], name: "add")
        return builder.graph(outputs: [sum, fc])
    }

    @Test func multipleInputsAndOutputs() throws {
        let engine = try FloatInference(graph: twoInputGraph())
        #expect(engine.inputNames == ["image", "aux"])
        #expect(engine.outputShapes == [[2], [2]])
        let outputs = try engine.run([iota([2, 2, 1]), Tensor(shape: [2], values: [10, 20])])
        #expect(outputs[1].values == [2, 4])
        #expect(outputs[0].values == [12, 24])
        let all = try engine.runAllNodes([iota([2, 2, 1]), Tensor(shape: [2], values: [10, 20])])
        #expect(all.count == 5)
        #expect(all[2].shape == [4])
    }

    @Test func aWrongInputShapeSaysWhatWasExpected() throws {
        let engine = try FloatInference(graph: twoInputGraph())
        let error = #expect(throws: InferenceError.self) { try engine.run([iota([4]), iota([2])]) }
        #expect(error?.kind == .badInput)
        #expect(error?.description.contains("'image' expects shape [2, 2, 1], got [4]") == true)
        #expect(throws: InferenceError.self) { try engine.run([iota([2, 2, 1])]) }
    }

    @Test func batchesMatchSingleRuns() throws {
        let engine = try FloatInference(graph: twoInputGraph())
        let samples = (0..<37).map { [iota([2, 2, 1], from: Float($0)), iota([2], from: -Float($0))] }
        let batch = try engine.run(batch: samples)
        #expect(batch.count == 37)
        for (sample, result) in zip(samples, batch) {
            #expect(try engine.run(sample) == result)
        }
    }

    @Test func predictIsStrictAboutSampleShapesUnlessAskedToReshape() throws {
        let engine = try FloatInference(graph: twoInputGraph())
        let flat = NDArray(shape: [3, 4], values: iota([12]).values)
        let aux = NDArray(shape: [3, 2], values: iota([6]).values)
        let error = #expect(throws: InferenceError.self) { try engine.predict([flat, aux], sources: ["X.npy", "A.npy"]) }
        #expect(error?.description.contains("model input 'image' expects [2, 2, 1] per sample; X.npy has samples of shape [4]") == true)
        #expect(error?.description.contains("--reshape") == true)

        let outputs = try engine.predict([flat, aux], sources: ["X.npy", "A.npy"], reshape: true)
        #expect(outputs[0].shape == [3, 2])
        #expect(outputs[0].values == [2, 5, 12, 15, 22, 25])

        let wrongCount = NDArray(shape: [3, 5], values: iota([15]).values)
        let mismatch = #expect(throws: InferenceError.self) {
            try engine.predict([wrongCount, aux], sources: ["X.npy", "A.npy"], reshape: true)
        }
        #expect(mismatch?.description.contains("--reshape") == false)
        let fewer = NDArray(shape: [2, 2], values: iota([4]).values)
        #expect(throws: InferenceError.self) { try engine.predict([flat, fewer], reshape: true) }
        #expect(throws: InferenceError.self) { try engine.predict([flat], reshape: true) }
    }

    @Test func aBatchErrorNamesTheSample() throws {
        var builder = GraphBuilder()
        builder.input([1])
        try builder.add(.embedding(inputDim: 2, outputDim: 1), weights: [.embeddings: Tensor(zeros: [2, 1])], name: "emb")
        let engine = try FloatInference(graph: builder.graph())
        let samples = [[Tensor(shape: [1], values: [0])], [Tensor(shape: [1], values: [1])], [Tensor(shape: [1], values: [5])]]
        let error = #expect(throws: InferenceError.self) { try engine.run(batch: samples) }
        #expect(error?.description.contains("(sample 2)") == true)
    }

    @Test func ofManyFailingSamplesTheBatchAlwaysNamesTheFirst() throws {
        var builder = GraphBuilder()
        builder.input([1])
        try builder.add(.embedding(inputDim: 2, outputDim: 1), weights: [.embeddings: Tensor(zeros: [2, 1])], name: "emb")
        let engine = try FloatInference(graph: builder.graph())
        // Indices 0 and 1 are valid; every fifth sample from the 7th reads row 5, out of range.
        let samples = (0..<64).map { i in [Tensor(shape: [1], values: [i >= 7 && i % 5 == 2 ? 5 : Float(i % 2)])] }
        for _ in 0..<20 {
            let error = #expect(throws: InferenceError.self) { try engine.run(batch: samples) }
            #expect(error?.description.contains("(sample 7)") == true)
        }
    }

    @Test func concurrentMapKeepsIndexOrderAndReportsTheLowestFailingIndex() throws {
        struct Odd: Error { let index: Int }
        #expect(concurrentMap(100) { $0 * $0 } == (0..<100).map { $0 * $0 })
        for _ in 0..<20 {
            let error = #expect(throws: Odd.self) {
                try concurrentMap(100) { i in
                    if i > 40, i % 2 == 1 { throw Odd(index: i) }
                    return i
                } failing: { index, error in
                    #expect((error as? Odd)?.index == index)
                    return error
                }
            }
            #expect(error?.index == 41)
        }
    }

    @Test func inconsistentRecordedShapesAreCaughtWhenBuilding() throws {
        var builder = GraphBuilder()
        builder.input([4])
        try builder.dense(Tensor(zeros: [4, 2]), name: "fc")
        builder.nodes[1].outputShape = [3]
        let error = #expect(throws: InferenceError.self) { try FloatInference(graph: builder.graph()) }
        #expect(error?.layer == "fc")
        #expect(error?.description.contains("[3]") == true)
    }

    @Test func everyOpBuildsAKernel() throws {
        // One representative of every Op case; a case without a kernel would throw here.
        let conv = Convolution(
            filters: 1, kernelSize: [1], strides: [1], dilation: [1], padding: .valid, useBias: false, activation: .linear)
        let ops: [(Op, [Int], [WeightRole: Tensor])] = [
            (.identity, [2, 1], [:]),
            (.dense(Dense(units: 1, useBias: false, activation: .linear)), [2, 1], [.kernel: Tensor(zeros: [1, 1])]),
            (.conv(conv), [2, 1], [.kernel: Tensor(zeros: [1, 1, 1])]),
            (
                .depthwiseConv(
                    DepthwiseConvolution(
                        depthMultiplier: 1, kernelSize: [1], strides: [1], dilation: [1], padding: .valid,
                        useBias: false, activation: .linear)), [2, 1], [.depthwiseKernel: Tensor(zeros: [1, 1, 1])]
            ),
            (
                .separableConv(
                    SeparableConvolution(
                        filters: 1, depthMultiplier: 1, kernelSize: [1], strides: [1], dilation: [1],
                        padding: .valid, useBias: false, activation: .linear)), [2, 1],
                [.depthwiseKernel: Tensor(zeros: [1, 1, 1]), .pointwiseKernel: Tensor(zeros: [1, 1, 1])]
            ),
            (.pool(Pooling(kind: .max, poolSize: [1], strides: [1], padding: .valid)), [2, 1], [:]),
            (.globalPool(GlobalPooling(kind: .average, rank: 1, keepDims: false)), [2, 1], [:]),
            (.flatten, [2, 1], [:]),
            (.reshape(targetShape: [1, 2]), [2, 1], [:]),
            (.move(.permute(dims: [1, 0])), [2, 1], [:]),
            (
                .batchNorm(BatchNorm(axis: 1, epsilon: 1e-3)), [2, 1],
                [
                    .gamma: Tensor(zeros: [1]), .beta: Tensor(zeros: [1]), .movingMean: Tensor(zeros: [1]),
                    .movingVariance: Tensor(zeros: [1]),
                ]
            ),
            (.activation(.gelu(approximate: false)), [2, 1], [:]),
            (.prelu, [2, 1], [.alpha: Tensor(zeros: [1, 1])]),
            (.move(.zeroPadding(padding: [Pair(1, 1)])), [2, 1], [:]),
            (.move(.cropping(cropping: [Pair(1, 0)])), [2, 1], [:]),
            (.move(.upSampling(size: [2])), [2, 1], [:]),
            (.concatenate(axis: 0), [2, 1], [:]),
            (
                .recurrent(
                    Recurrent(
                        kind: .lstm, units: 1, activation: .tanh, recurrentActivation: .sigmoid, useBias: false,
                        returnSequences: false, goBackwards: false, resetAfter: false)), [2, 1],
                [.kernel: Tensor(zeros: [1, 4]), .recurrentKernel: Tensor(zeros: [1, 4])]
            ),
            (.embedding(inputDim: 1, outputDim: 1), [2, 1], [.embeddings: Tensor(zeros: [1, 1])]),
            (.rescaling(scale: [1], offset: [0]), [2, 1], [:]),
            (.normalization(Normalization(axis: 1, invert: false)), [2, 1], [.mean: Tensor(zeros: [1]), .variance: Tensor(zeros: [1])]),
        ]
        for (op, shape, weights) in ops {
            let y = try GraphBuilder.run(op, input: shape, [0, 0], weights: weights)
            #expect(y.values.allSatisfy { $0.isFinite }, "\(op)")
        }
        // Merges need two inputs.
        var builder = GraphBuilder()
        let a = builder.input([2]), b = builder.input([2])
        try builder.add(.merge(.maximum), from: [a, b])
        #expect(try FloatInference(graph: builder.graph()).run([iota([2]), iota([2], from: 1)])[0].values == [1, 2])
    }
}
