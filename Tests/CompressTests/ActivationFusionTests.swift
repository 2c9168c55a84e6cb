import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("Activation fusion")
struct ActivationFusionTests {
    @Test("cnn: relu1 fuses into conv1 once bn1 is folded, and the float reference's outputs are bit-identical")
    func fusedIsFloatExact() throws {
        let folded = try BatchNormFolding.apply(try Samples.graph("cnn"))
        let fused = ActivationFusion.apply(folded)
        #expect(fused.index(named: "relu1") == nil)
        let conv1 = try #require(fused.nodes.first { $0.name == "conv1" })
        #expect(conv1.fusedActivation == .plainRelu)
        let before = try FloatInference(graph: folded), after = try FloatInference(graph: fused)
        for sample in try Samples.testSamples("cnn", for: folded, limit: 50) {
            #expect(try before.run(sample)[0].values == after.run(sample)[0].values)
        }
    }

    /// A Dense of 4 inputs and 3 units, its kernel and bias fixed values.
    @discardableResult
    private func dense(_ g: inout GraphBuilder, activation: Activation = .linear) throws -> Int {
        try g.dense(
            Tensor(shape: [4, 3], values: (0..<12).map { Float($0) / 7 - 0.8 }), bias: Tensor(filling: 0.1, shape: [3]),
            activation: activation)
    }

    @Test("a ReLU stays when its producer has another reader, has an activation of its own, or is a model output")
    func unfusableReLUsStay() throws {
        var shared = GraphBuilder()
        shared.input([4])
        let first = try dense(&shared)
        let relu = try shared.add(.activation(.plainRelu), from: [first])
        try shared.add(.merge(.add), from: [first, relu])
        var activated = GraphBuilder()
        activated.input([4])
        try dense(&activated, activation: .tanh)
        try activated.add(.activation(.plainRelu))
        var output = GraphBuilder()
        output.input([4])
        let last = try dense(&output)
        let clamp = try output.add(.activation(.plainRelu), from: [last])
        for graph in [shared.graph(), activated.graph(), output.graph(outputs: [last, clamp])] {
            #expect(ActivationFusion.apply(graph) == graph)
        }
    }

    @Test("an activation that does not clamp (sigmoid) stays a node of its own")
    func sigmoidStays() throws {
        var g = GraphBuilder()
        g.input([4])
        try dense(&g)
        try g.add(.activation(.sigmoid))
        let graph = g.graph()
        #expect(ActivationFusion.apply(graph) == graph)
    }

    @Test("without compression options the pipeline folds dscnn's BatchNorm and fuses its ReLU into the depthwise layer")
    func uncompressedConversionFoldsAndFuses() throws {
        let graph = try Samples.graph("dscnn")
        let result = try CompressionPipeline.run(graph, options: CompressionOptions())
        #expect(!result.graph.nodes.contains { if case .batchNorm = $0.op { return true } else { return false } })
        #expect(result.graph.index(named: "relu") == nil)
        #expect(result.graph.nodes.first { $0.name == "dw" }?.fusedActivation == .plainRelu)
    }
}
