import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("Magnitude pruning")
struct MagnitudePruningTests {
    /// Two Dense layers whose weights differ in scale: `a` small (|w| ≤ 0.1), `b` large.
    static func twoLayers() throws -> Graph {
        try HandMadeGraphs.smallThenLarge([8, 6, 4], smallScale: 0.1, seeds: (1, 2))
    }

    @Test("one target: every kernel loses round(s·count) weights, the smallest relative to their channel's largest; biases stay")
    func uniform() throws {
        let graph = try Samples.graph("mlp")
        let pruned = try MagnitudePruning.apply(graph, PruningOptions(target: .uniform(0.8)))
        for name in ["fc1", "fc2", "fc3"] {
            let before = graph.nodes[graph.index(named: name)!], after = pruned.nodes[pruned.index(named: name)!]
            let kernel = try #require(after.weights[.kernel])
            #expect(zeroCount(kernel) == Int((0.8 * Double(kernel.count)).rounded()))
            // Every kept weight is, relative to its output channel's largest, at least as
            // large as every removed one.
            let relative = Self.relativeMagnitudes(before.weights[.kernel]!.values, channels: kernel.shape.last!)
            let removed = zip(relative, kernel.values).filter { $1 == 0 }.map(\.0)
            let kept = zip(relative, kernel.values).filter { $1 != 0 }.map(\.0)
            #expect(removed.max()! <= kept.min()!)
            #expect(after.weights[.bias] == before.weights[.bias])
        }
    }

    @Test("scaling one output channel (as BatchNorm folding does) changes nothing the layer scope prunes; that channel keeps its share")
    func channelScaleInvariance() throws {
        let graph = try Samples.graph("mlp")
        let index = graph.index(named: "fc1")!
        let kernel = try #require(graph.nodes[index].weights[.kernel])
        let channels = kernel.shape.last!
        var shrunk = graph
        // Channel 0 a hundred times smaller: raw |w| ranking would prune it all at 0.8.
        shrunk.nodes[index].weights[.kernel] = Tensor(
            shape: kernel.shape, values: kernel.values.enumerated().map { $0.offset % channels == 0 ? $0.element / 100 : $0.element })
        let options = PruningOptions(target: .uniform(0.8))
        let masks = try [graph, shrunk].map {
            try MagnitudePruning.apply($0, options).nodes[index].weights[.kernel]!.values.map { $0 == 0 }
        }
        #expect(masks[0] == masks[1])
        let keptInChannel0 = stride(from: 0, to: kernel.count, by: channels).filter { !masks[1][$0] }.count
        #expect(keptInChannel0 > 0)
    }

    static func relativeMagnitudes(_ values: [Float], channels: Int) -> [Float] {
        var largest = [Float](repeating: 0, count: channels)
        for (i, v) in values.enumerated() { largest[i % channels] = max(largest[i % channels], abs(v)) }
        return values.indices.map { abs(values[$0]) / largest[$0 % channels] }
    }

    @Test("per-layer targets touch only the named layers")
    func perLayer() throws {
        let graph = try Samples.graph("mlp")
        let pruned = try MagnitudePruning.apply(graph, PruningOptions(target: try SparsityTarget(parsing: "fc1=0.9,fc2=0.5")))
        #expect(zeroCount(pruned.nodes[pruned.index(named: "fc1")!].weights[.kernel]) == 3686)
        #expect(zeroCount(pruned.nodes[pruned.index(named: "fc2")!].weights[.kernel]) == 1024)
        #expect(pruned.nodes[pruned.index(named: "fc3")!] == graph.nodes[graph.index(named: "fc3")!])
    }

    @Test("an unknown or weightless layer name is refused, naming it")
    func badNames() throws {
        let graph = try Samples.graph("mlp")
        #expect(throws: CompressionError.self) {
            try MagnitudePruning.apply(graph, PruningOptions(target: try SparsityTarget(parsing: "fc9=0.5")))
        }
        do {
            _ = try MagnitudePruning.apply(graph, PruningOptions(target: try SparsityTarget(parsing: "fc9=0.5")))
        } catch let error as CompressionError {
            #expect(error.description.contains("fc9"))
            #expect(error.description.contains("fc1, fc2, fc3"))
        }
        do {
            _ = try MagnitudePruning.apply(graph, PruningOptions(target: try SparsityTarget(parsing: "dropout=0.5")))
            Issue.record("pruning a Dropout layer was accepted")
        } catch let error as CompressionError {
            #expect(error.layer == "dropout")
        }
    }

    @Test("global ranking compares raw |w| across layers")
    func global() throws {
        let graph = try Self.twoLayers()
        let pruned = try MagnitudePruning.apply(graph, PruningOptions(target: .uniform(0.5), scope: .global))
        let a = pruned.nodes[1].weights[.kernel]!, b = pruned.nodes[2].weights[.kernel]!
        // 72 weights, 36 go; all 48 of `a` are below 0.1 and nearly all of `b` above it.
        #expect(zeroCount(a) + zeroCount(b) == 36)
        #expect(zeroCount(a) == 36)
        #expect(zeroCount(b) == 0)
        // Per-layer ranking spreads the loss instead.
        let perLayer = try MagnitudePruning.apply(graph, PruningOptions(target: .uniform(0.5)))
        #expect(zeroCount(perLayer.nodes[1].weights[.kernel]) == 24)
        #expect(zeroCount(perLayer.nodes[2].weights[.kernel]) == 12)
    }

    @Test("N:M keeps the N largest of every M consecutive inputs of each output channel", arguments: ["2:4", "1:4", "3:8"])
    func pattern(_ text: String) throws {
        let pattern = try SparsityPattern(parsing: text)
        for name in ["mlp", "cnn", "dscnn"] {
            let graph = try BatchNormFolding.apply(try Samples.graph(name))
            let pruned = try MagnitudePruning.apply(graph, PruningOptions(pattern: pattern))
            for node in pruned.nodes {
                for role in KernelRows.roles(of: node.op) {
                    let rows = try #require(KernelRows(node, role))
                    let values = node.weights[role]!.values
                    #expect(pattern.holds(in: values, rows: rows), "\(name)/\(node.name) breaks \(text)")
                    // Full groups keep exactly N nonzeros (trained weights are never exactly 0).
                    if rows.rowLength % pattern.m == 0 {
                        let original = graph.nodes[graph.index(named: node.name)!].weights[role]!.values
                        let expected = original.filter { $0 != 0 }.count * pattern.n / pattern.m
                        #expect(values.filter { $0 != 0 }.count == expected, "\(name)/\(node.name)")
                    }
                }
            }
        }
    }

    @Test("N:M groups run along each output channel's inputs")
    func patternDirection() throws {
        var g = GraphBuilder()
        g.input([4])
        // kernel [in 4, out 2]: channel 0 inputs 1,2,3,4; channel 1 inputs -4,-3,-2,-1.
        try g.dense(Tensor(shape: [4, 2], values: [1, -4, 2, -3, 3, -2, 4, -1]), name: "d")
        let pruned = try MagnitudePruning.apply(g.graph(), PruningOptions(pattern: try SparsityPattern(n: 2, m: 4)))
        #expect(pruned.nodes[1].weights[.kernel]!.values == [0, -4, 0, -3, 3, 0, 4, 0])
    }

    @Test("options that contradict each other are refused")
    func contradictions() throws {
        let graph = try Samples.graph("mlp")
        #expect(throws: CompressionError.self) {
            try MagnitudePruning.apply(graph, PruningOptions(target: .uniform(0.5), pattern: try SparsityPattern(n: 2, m: 4)))
        }
        #expect(throws: CompressionError.self) {
            try MagnitudePruning.apply(graph, PruningOptions(target: .perLayer(["fc1": 0.5]), scope: .global))
        }
        #expect(throws: CompressionError.self) { try SparsityTarget(parsing: "1.5") }
        #expect(throws: CompressionError.self) { try SparsityTarget(parsing: "fc1=") }
        #expect(throws: CompressionError.self) { try SparsityPattern(parsing: "4:2") }
    }

    @Test("a shared layer is pruned once, identically in every call")
    func sharedLayer() throws {
        var g = GraphBuilder()
        let input = g.input([5])
        let kernel = randomTensor([5, 5], seed: 9)
        let first = try g.dense(kernel, from: [input], name: "shared")
        try g.dense(kernel, from: [first], name: "shared#2")
        g.nodes[2].layerName = "shared"
        let pruned = try MagnitudePruning.apply(g.graph(), PruningOptions(target: .uniform(0.6)))
        #expect(pruned.nodes[1].weights == pruned.nodes[2].weights)
        #expect(zeroCount(pruned.nodes[1].weights[.kernel]) == 15)
    }
}
