import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("Unread channel removal")
struct UnreadChannelRemovalTests {
    /// `tensor` with the weights at the flat indices `zero` set to zero.
    static func zeroing(_ tensor: Tensor, _ zero: (Int) -> Bool) -> Tensor {
        var result = tensor
        for i in result.values.indices where zero(i) { result.values[i] = 0 }
        return result
    }

    /// The outputs of `a` and `b` on the same seeded inputs, which must be equal.
    static func expectSameOutputs(_ a: Graph, _ b: Graph, samples: Int = 8) throws {
        let x = try FloatInference(graph: a), y = try FloatInference(graph: b)
        for s in 0..<samples {
            let inputs = a.inputs.map { randomTensor(a.nodes[$0].outputShape, seed: 500 + UInt64(s)) }
            #expect(try x.run(inputs).map(\.values) == y.run(inputs).map(\.values))
        }
    }

    /// Input 6 -> `a` (8 units, ReLU) -> `b` (5 units, ReLU) -> `c` (3 units): `b` reads none of
    /// `a`'s units 2 and 5, and unit 3 only through its own unit 1, which `c` does not read.
    static func chain() throws -> Graph {
        var g = GraphBuilder()
        g.input([6])
        try g.dense(randomTensor([6, 8], seed: 1), bias: randomTensor([8], seed: 2), activation: .plainRelu, name: "a")
        let b = zeroing(randomTensor([8, 5], seed: 3)) { i in
            let (row, column) = (i / 5, i % 5)
            return row == 2 || row == 5 || (row == 3 && column != 1)
        }
        try g.dense(b, bias: randomTensor([5], seed: 4), activation: .plainRelu, name: "b")
        try g.dense(zeroing(randomTensor([5, 3], seed: 5)) { $0 / 3 == 1 }, bias: randomTensor([3], seed: 6), name: "c")
        return g.graph()
    }

    @Test("units no later layer reads go, and the units only they read after them; the outputs are the same")
    func chainShrinks() throws {
        let graph = try Self.chain()
        let (shrunk, removed) = UnreadChannelRemoval.apply(graph)
        #expect(removed == ["a": 3, "b": 1])
        #expect(shrunk.nodes[shrunk.index(named: "a")!].outputShape == [5])
        #expect(shrunk.nodes[shrunk.index(named: "b")!].weights[.kernel]!.shape == [5, 4])
        #expect(shrunk.nodes[shrunk.index(named: "c")!].weights[.kernel]!.shape == [4, 3])
        try Self.expectSameOutputs(graph, shrunk)
    }

    @Test("a layer's channels stay when a softmax fused into it, a model output, a merge, a concatenation or a shared layer reads them")
    func readersThatReadEveryChannel() throws {
        func zeroRows(_ rows: Set<Int>, _ shape: [Int], seed: UInt64) -> Tensor {
            Self.zeroing(randomTensor(shape, seed: seed)) { rows.contains($0 / shape[1]) }
        }
        var fused = GraphBuilder()
        fused.input([4])
        try fused.dense(randomTensor([4, 6], seed: 7), activation: .softmax(axis: -1), name: "a")
        try fused.dense(zeroRows([0, 1], [6, 2], seed: 8), name: "b")

        var output = GraphBuilder()
        output.input([4])
        let a = try output.dense(randomTensor([4, 6], seed: 7), activation: .plainRelu, name: "a")
        let b = try output.dense(zeroRows([0, 1], [6, 2], seed: 8), name: "b")

        var merged = GraphBuilder()
        merged.input([4])
        let m = try merged.dense(randomTensor([4, 6], seed: 7), activation: .plainRelu, name: "a")
        try merged.dense(zeroRows([0, 1], [6, 6], seed: 8), name: "b")
        try merged.add(.merge(.add), from: [m, m + 1], name: "sum")

        var joined = GraphBuilder()
        joined.input([4])
        let j = try joined.dense(randomTensor([4, 6], seed: 7), activation: .plainRelu, name: "a")
        try joined.add(.concatenate(axis: 0), from: [j, j], name: "both")
        try joined.dense(zeroRows([0, 1, 6, 7], [12, 2], seed: 8), name: "b")

        // `b` applied to `a`'s units and again to its own outputs: its one kernel stays whole.
        var shared = GraphBuilder()
        shared.input([4])
        try shared.dense(randomTensor([4, 6], seed: 7), activation: .plainRelu, name: "a")
        let first = try shared.dense(zeroRows([0, 1], [6, 6], seed: 8), activation: .plainRelu, name: "b")
        try shared.dense(zeroRows([0, 1], [6, 6], seed: 8), from: [first], name: "b#2")
        shared.nodes[3].layerName = "b"

        for graph in [fused.graph(), output.graph(outputs: [a, b]), merged.graph(), joined.graph(), shared.graph()] {
            let (shrunk, removed) = UnreadChannelRemoval.apply(graph)
            #expect(removed.isEmpty)
            #expect(shrunk == graph)
        }
    }

    @Test("through a depthwise convolution and a Flatten, a filter read at no position goes with its depthwise channel")
    func convolutionThroughDepthwiseAndFlatten() throws {
        var g = GraphBuilder()
        g.input([5, 5, 2])
        let conv = Convolution(
            filters: 4, kernelSize: [3, 3], strides: [1, 1], dilation: [1, 1], padding: .same, useBias: true, activation: .plainRelu)
        try g.add(.conv(conv), weights: [.kernel: randomTensor([3, 3, 2, 4], seed: 9), .bias: randomTensor([4], seed: 10)], name: "conv")
        let depthwise = DepthwiseConvolution(
            depthMultiplier: 1, kernelSize: [3, 3], strides: [2, 2], dilation: [1, 1], padding: .same, useBias: true,
            activation: .plainRelu)
        try g.add(
            .depthwiseConv(depthwise),
            weights: [.depthwiseKernel: randomTensor([3, 3, 4, 1], seed: 11), .bias: randomTensor([4], seed: 12)], name: "depthwise")
        try g.add(.flatten, name: "flatten")
        // 3x3 positions of 4 channels: channel 2's row of every position is zero, channel 1's
        // of all but one.
        let kernel = Self.zeroing(randomTensor([36, 3], seed: 13)) { i in
            let (position, channel) = (i / 3 / 4, i / 3 % 4)
            return channel == 2 || (channel == 1 && position != 4)
        }
        try g.dense(kernel, bias: randomTensor([3], seed: 14), name: "fc")
        let graph = g.graph()
        let (shrunk, removed) = UnreadChannelRemoval.apply(graph)
        #expect(removed == ["conv": 1])
        #expect(shrunk.nodes[shrunk.index(named: "depthwise")!].outputShape == [3, 3, 3])
        #expect(shrunk.nodes[shrunk.index(named: "fc")!].weights[.kernel]!.shape == [27, 3])
        try Self.expectSameOutputs(graph, shrunk)
    }

    @Test("a layer none of whose units is read keeps one")
    func keepsOneUnit() throws {
        var g = GraphBuilder()
        g.input([4])
        try g.dense(randomTensor([4, 5], seed: 15), bias: randomTensor([5], seed: 16), activation: .plainRelu, name: "a")
        try g.dense(Tensor(zeros: [5, 2]), bias: randomTensor([2], seed: 17), name: "b")
        let graph = g.graph()
        let (shrunk, removed) = UnreadChannelRemoval.apply(graph)
        #expect(removed == ["a": 4])
        #expect(shrunk.nodes[shrunk.index(named: "a")!].outputShape == [1])
        try Self.expectSameOutputs(graph, shrunk)
    }

    @Test("pruning the digits MLP to 90% removes the units left unread, and int8 quantization takes the smaller model")
    func prunedDigitsMLP() throws {
        let graph = try Samples.graph("mlp")
        let calibration = try Samples.calibration(for: graph)
        let options = CompressionOptions(pruning: PruningOptions(target: .uniform(0.9)), quantization: .int8)
        let result = try CompressionPipeline.run(graph, options: options, calibration: calibration)
        let fc1 = result.graph.nodes[result.graph.index(named: "fc1")!]
        #expect(!result.unreadChannels.isEmpty)
        #expect(fc1.outputShape == [64 - (result.unreadChannels["fc1"] ?? 0)])
        // The float model pruned alike, without the removal, gives the same outputs.
        let pruned = try MagnitudePruning.apply(try BatchNormFolding.apply(graph), options.pruning)
        try Self.expectSameOutputs(pruned, UnreadChannelRemoval.apply(pruned).graph)
    }
}
