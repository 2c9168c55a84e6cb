import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("Channel pruning")
struct ChannelPruningTests {
    /// Zeroing a ReLU layer's kernel column and bias silences the channel, which is what
    /// removing it does: the shrunk model must compute the same outputs.
    static func silenced(_ graph: Graph, layer: String, channels: [Int]) -> Graph {
        var graph = graph
        let index = graph.index(named: layer)!
        var kernel = graph.nodes[index].weights[.kernel]!
        let count = kernel.shape.last!
        for i in kernel.values.indices where channels.contains(i % count) { kernel.values[i] = 0 }
        graph.nodes[index].weights[.kernel] = kernel
        if var bias = graph.nodes[index].weights[.bias] {
            for c in channels { bias.values[c] = 0 }
            graph.nodes[index].weights[.bias] = bias
        }
        return graph
    }

    static func expectSameOutputs(_ a: Graph, _ b: Graph, model: String) throws {
        let x = try FloatInference(graph: a), y = try FloatInference(graph: b)
        for sample in try Samples.testSamples(model, for: a, limit: 40) {
            let p = try x.run(sample)[0].values, q = try y.run(sample)[0].values
            #expect(zip(p, q).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($0)) })
        }
    }

    @Test("mlp: fc1 and fc2 shrink, fc2 and fc3 lose the matching input rows, outputs are unchanged")
    func mlp() throws {
        let graph = try Samples.graph("mlp")
        let result = try ChannelPruning.apply(graph, .uniform(0.25))
        let shrunk = result.graph
        #expect(shrunk.nodes[shrunk.index(named: "fc1")!].outputShape == [48])
        #expect(shrunk.nodes[shrunk.index(named: "fc2")!].weights[.kernel]!.shape == [48, 24])
        #expect(shrunk.nodes[shrunk.index(named: "fc3")!].weights[.kernel]!.shape == [24, 10])
        #expect(result.skipped.map(\.layer) == ["fc3"])
        #expect(result.removed["fc1"]?.count == 16)
        // Removing fc1's channels first changes nothing downstream of it; removing fc2's after
        // that is again the silenced model.
        var reference = Self.silenced(graph, layer: "fc1", channels: result.removed["fc1"]!)
        reference = Self.silenced(reference, layer: "fc2", channels: result.removed["fc2"]!)
        try Self.expectSameOutputs(reference, shrunk, model: "mlp")
        #expect(shrunk.parameterCount < graph.parameterCount)
    }

    @Test("a layer with a softmax fused into it keeps its channels, which the softmax mixes")
    func fusedSoftmaxRefused() throws {
        var g = GraphBuilder()
        g.input([3])
        try g.dense(randomTensor([3, 4], seed: 1), activation: .softmax(axis: 0), name: "a")
        try g.dense(randomTensor([4, 2], seed: 2), name: "b")
        #expect(throws: CompressionError.self) { try ChannelPruning.apply(g.graph(), .perLayer(["a": 0.5])) }
    }

    @Test("the removed channels are those with the smallest L1 norms")
    func smallestNorms() throws {
        var g = GraphBuilder()
        g.input([3])
        // Columns' L1 norms: 6, 0.6, 3, 0.3.
        try g.dense(
            Tensor(shape: [3, 4], values: [2, 0.2, 1, 0.1, 2, 0.2, 1, 0.1, 2, 0.2, 1, 0.1]), bias: Tensor(zeros: [4]),
            activation: .plainRelu, name: "a")
        try g.dense(randomTensor([4, 2], seed: 3), name: "b")
        let result = try ChannelPruning.apply(g.graph(), .perLayer(["a": 0.5]))
        #expect(result.removed["a"] == [1, 3])
        let original: [Float] = randomTensor([4, 2], seed: 3).values
        let expected: [Float] = Array(original[0..<2]) + Array(original[4..<6])
        #expect(result.graph.nodes[2].weights[.kernel]!.values == expected)
    }

    /// A sample with its batch normalisation folded, the fraction of one layer's channels
    /// pruned, and the shapes that must shrink with them: a node's output (`role` nil) or one of
    /// its weights.
    struct Shrinking: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let sample: String
        let layer: String
        let fraction: Double
        let shapes: [(node: String, role: WeightRole?, shape: [Int])]
    }

    static let shrinkings = [
        Shrinking(
            testDescription: "cnn: through BatchNorm, ReLU, pooling and Flatten (every spatial position's rows)", sample: "cnn",
            layer: "conv2", fraction: 0.25,
            shapes: [("conv2", nil, [4, 4, 24]), ("bn2", .gamma, [24]), ("flatten", nil, [96]), ("fc1", .kernel, [96, 32])]),
        Shrinking(
            testDescription: "dscnn: conv1's channels pass through the depthwise layer into the separable one", sample: "dscnn",
            layer: "conv1", fraction: 0.5, shapes: [("dw", nil, [8, 8, 4]), ("sep", .pointwiseKernel, [1, 1, 4, 16])]),
    ]

    @Test("the layers a pruned layer feeds shrink with it, and the shrunk graph runs", arguments: shrinkings)
    func shrinksWhatItFeeds(_ shrinking: Shrinking) throws {
        let graph = try BatchNormFolding.apply(try Samples.graph(shrinking.sample))
        let shrunk = try ChannelPruning.apply(graph, .perLayer([shrinking.layer: shrinking.fraction])).graph
        for (node, role, shape) in shrinking.shapes {
            let index = try #require(shrunk.index(named: node))
            let found: [Int]? = if let role { shrunk.nodes[index].weights[role]?.shape } else { shrunk.nodes[index].outputShape }
            #expect(found == shape, "\(node) \(role?.rawValue ?? "output")")
        }
        _ = try FloatInference(graph: shrunk)
    }

    @Test("cnn: conv1's channels go through ReLU to conv2 only, so silencing them is removing them")
    func cnnSilencedChannelsAreRemovedOnes() throws {
        let graph = try BatchNormFolding.apply(try Samples.graph("cnn"))
        let conv1 = try ChannelPruning.apply(graph, .perLayer(["conv1": 0.25]))
        try Self.expectSameOutputs(Self.silenced(graph, layer: "conv1", channels: conv1.removed["conv1"]!), conv1.graph, model: "cnn")
    }

    @Test("Flatten maps a channel to its rows at every position")
    func flattenRows() throws {
        var g = GraphBuilder()
        g.input([3, 3, 2])
        try g.seededConvolution(3, kernel: 2, padding: .valid, seed: 4, name: "conv")
        try g.add(.flatten, name: "flat")
        try g.dense(randomTensor([12, 2], seed: 6), bias: Tensor(zeros: [2]), name: "fc")
        let graph = g.graph()
        let result = try ChannelPruning.apply(graph, .perLayer(["conv": 0.34]))
        let removed = try #require(result.removed["conv"]?.first)
        #expect(result.graph.nodes[3].weights[.kernel]!.shape == [8, 2])
        let x = randomTensor([3, 3, 2], seed: 7)
        let a = try FloatInference(graph: Self.silenced(graph, layer: "conv", channels: [removed])).run([x])[0].values
        let b = try FloatInference(graph: result.graph).run([x])[0].values
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 })
    }

    @Test("a layer feeding an Add is refused by name; with one fraction it is skipped with the reason")
    func residualRefused() throws {
        let graph = try Samples.graph("residual")
        do {
            _ = try ChannelPruning.apply(graph, .perLayer(["conv_a": 0.3]))
            Issue.record("conv_a feeds an Add but was pruned")
        } catch let error as CompressionError {
            #expect(error.layer == "conv_a")
            #expect(error.message.contains("add"))
        }
        let result = try ChannelPruning.apply(graph, .uniform(0.3))
        #expect(result.skipped.contains { $0.layer == "conv_c" })
        #expect(result.removed["conv_b"] != nil)
        _ = try FloatInference(graph: result.graph)
    }

    @Test("an unknown layer is refused")
    func unknown() throws {
        #expect(throws: CompressionError.self) { try ChannelPruning.apply(try Samples.graph("mlp"), .perLayer(["nope": 0.5])) }
    }
}
