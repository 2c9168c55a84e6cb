import Testing
@testable import Topiary
import TopiaryTestSupport

/// The arena plan gives a 3x3 depthwise layer the records of all its groups of four channels
/// where the arena has room for them at its step, and a quarter of them, in passes
/// (`TP_DEPTHWISE_3X3_PASSES`), where the layer is the arena's peak.
@Suite("3x3 depthwise scratch from the arena's room")
struct DepthwiseScratchPlanTests {
    /// A 3x3 'same' depthwise convolution of `channels` channels over a 6x6 image, then, when
    /// `widening` is given, a 1x1 convolution to that many filters, whose output outgrows the
    /// depthwise step.
    static func quantizedGraph(channels: Int, widening: Int?) throws -> Graph {
        var g = GraphBuilder()
        g.input([6, 6, channels])
        try g.seededDepthwise3x3(seed: 81, name: "depthwise")
        if let filters = widening {
            try g.add(
                .conv(
                    Convolution(
                        filters: filters, kernelSize: [1, 1], strides: [1, 1], dilation: [1, 1], padding: .same, useBias: true,
                        activation: .linear)),
                weights: [.kernel: randomTensor([1, 1, channels, filters], seed: 83), .bias: randomTensor([filters], seed: 84)])
        }
        let graph = g.graph()
        return try quantizedInt8(graph, calibratedOn: randomSamples([4, 6, 6, channels], in: -2...2, seed: 85))
    }

    /// The groups of a pass in the generated call, the planned scratch of the layer, and
    /// whether the model builds the passes.
    static func planned(_ graph: Graph, optimize: OptimizationGoal = .balanced) throws -> (records: Int, scratch: Int, passes: Bool) {
        let options = ConversionOptions(format: .dense, optimize: optimize)
        let model = try CodeGenerator(options: options).generate(graph)
        let call = try #require(model.source.firstMatch(of: /tp_depthwise_conv2d_3x3_s8\(&\w+, [^;]*, (\d+)\);/))
        let index = try #require(graph.nodes.firstIndex { $0.name == "depthwise" })
        let kernels = try CodeGenerator(options: options).kernelsAndPlan(for: graph).kernels
        return (
            try #require(Int(call.1)), try #require(kernels[index]).scratchBytes,
            model.source.contains("#define TP_DEPTHWISE_3X3_PASSES\n")
        )
    }

    @Test("a 3x3 depthwise layer at the arena's peak runs in passes of a quarter of its 8 groups, in 284 bytes of scratch")
    func peakLayerTakesPasses() throws {
        let (records, scratch, passes) = try Self.planned(try Self.quantizedGraph(channels: 32, widening: nil))
        #expect(records == 2)
        #expect(scratch == 284)
        #expect(passes)
    }

    @Test("under --optimize speed a 3x3 depthwise layer at the arena's peak takes all its 8 groups in one pass")
    func speedTakesOnePass() throws {
        let (records, scratch, passes) = try Self.planned(try Self.quantizedGraph(channels: 32, widening: nil), optimize: .speed)
        #expect(records == 8)
        #expect(scratch == 140 * 8 + 4)
        #expect(!passes)
    }

    @Test("a 3x3 depthwise layer before a wider step takes the records of all its 8 groups in one pass")
    func layerWithRoomTakesAllGroups() throws {
        let (records, scratch, passes) = try Self.planned(try Self.quantizedGraph(channels: 32, widening: 96))
        #expect(records == 8)
        #expect(scratch == 140 * 8 + 4)
        #expect(!passes)
    }
}
