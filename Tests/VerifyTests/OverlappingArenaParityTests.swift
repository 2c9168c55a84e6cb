import Testing
@testable import Topiary
import TopiaryTestSupport

/// The digits DS-CNN in int8 with dense weights: its plan writes the 3x3 depthwise and the
/// pointwise layers over the inputs they consume, and the C still equals the Swift integer
/// reference on every test digit.
@Suite("int8 C parity with outputs over their inputs")
struct OverlappingArenaParityTests {
    @Test("the dscnn's depthwise and pointwise layers overlap their inputs, with zero mismatches on every test digit")
    func dscnnOverlapsAndMatches() throws {
        let graph = try Samples.int8Compressed("dscnn", sparsity: 0)
        let generator = CodeGenerator(options: ConversionOptions(format: .dense))
        let (kernels, plan) = try generator.kernelsAndPlan(for: graph)
        let overlapping = graph.nodes.indices.filter { plan.overlapOffsets[$0] != nil }
        #expect(overlapping.count >= 2, "overlapping: \(overlapping.map { graph.nodes[$0].name })")
        for index in overlapping {
            guard case .overlapping = kernels[index]?.storage else {
                Issue.record("\(graph.nodes[index].name) overlaps without declaring its order")
                continue
            }
        }
        let fresh = ActivationPlan(
            graph: graph, storage: kernels.map { _ in OutputStorage.fresh }, scratchBytes: kernels.map { $0?.scratchBytes ?? 0 },
            elementBytes: 1,
            stagedInputBytes: graph.inputs.map { graph.nodes[$0].outputShape.elementCount },
            stagedOutputBytes: graph.outputs.map { graph.nodes[$0].outputShape.elementCount })
        #expect(plan.arenaBytes < fresh.arenaBytes)
        let report = try Int8ParityTests.verify(graph, model: "dscnn", format: .dense)
        #expect(report.samples == 360)
        #expect(report.passed, "\(report)")
    }
}
