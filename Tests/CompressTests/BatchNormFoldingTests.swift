import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("BatchNorm folding")
struct BatchNormFoldingTests {
    /// max |Δ| ≤ 1e-5 · max(1, |y|) between the float reference before and after folding.
    @Test("folded models compute what the originals compute", arguments: ["cnn", "dscnn", "cnn_keras2"])
    func foldedMatchesFloat(_ name: String) throws {
        let graph = try Samples.graph(name)
        let folded = try BatchNormFolding.apply(graph)
        let before = try FloatInference(graph: graph), after = try FloatInference(graph: folded)
        for sample in try Samples.testSamples(name, for: graph, limit: 100) {
            let y = try before.run(sample)[0].values, z = try after.run(sample)[0].values
            let worst = zip(y, z).map { abs($0 - $1) / max(1, abs($0)) }.max()!
            #expect(worst <= 1e-5)
        }
    }

    @Test("cnn: bn1 folds into conv1, bn2 (after a ReLU) stays")
    func cnnFolds() throws {
        let folded = try BatchNormFolding.apply(try Samples.graph("cnn"))
        let names = folded.nodes.map(\.name)
        #expect(!names.contains("bn1"))
        #expect(names.contains("bn2"))
        let conv1 = try #require(folded.nodes.first { $0.name == "conv1" })
        guard case let .conv(c) = conv1.op else { Issue.record("conv1 is not a convolution"); return }
        #expect(c.useBias)
        #expect(folded.nodes[folded.index(named: "relu1")!].inputs == [folded.index(named: "conv1")!])
    }

    @Test("dscnn: bn folds into the depthwise convolution")
    func dscnnFolds() throws {
        let folded = try BatchNormFolding.apply(try Samples.graph("dscnn"))
        #expect(!folded.nodes.contains { if case .batchNorm = $0.op { return true } else { return false } })
        let dw = try #require(folded.nodes.first { $0.name == "dw" })
        #expect(dw.weights[.bias]?.shape == [8])
    }

    @Test("a BatchNorm whose producer has another reader is kept")
    func sharedProducerKept() throws {
        var g = GraphBuilder()
        g.input([4])
        let dense = try g.dense(Tensor(shape: [4, 3], values: (0..<12).map { Float($0) / 10 }), bias: Tensor(filling: 0.5, shape: [3]))
        let bn = try g.add(.batchNorm(BatchNorm(axis: 0, epsilon: 0.001)), from: [dense], weights: batchNormWeights(3))
        try g.add(.merge(.add), from: [dense, bn])
        let graph = g.graph()
        #expect(try BatchNormFolding.apply(graph) == graph)
    }

    @Test("Dense without bias gains one; the values match the float reference")
    func denseWithoutBias() throws {
        var g = GraphBuilder()
        g.input([4])
        try g.dense(Tensor(shape: [4, 3], values: (0..<12).map { Float($0) / 7 - 0.8 }))
        try g.add(.batchNorm(BatchNorm(axis: 0, epsilon: 0.001)), weights: batchNormWeights(3))
        let graph = g.graph()
        let folded = try BatchNormFolding.apply(graph)
        #expect(folded.nodes.count == 2)
        guard case let .dense(d) = folded.nodes[1].op else { Issue.record("not a Dense"); return }
        #expect(d.useBias)
        let x = Tensor(shape: [4], values: [0.3, -1.2, 2, 0.7])
        let y = try FloatInference(graph: graph).run([x])[0].values
        let z = try FloatInference(graph: folded).run([x])[0].values
        #expect(zip(y, z).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($0)) })
    }
}
