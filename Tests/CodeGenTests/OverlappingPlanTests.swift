import Testing
@testable import Topiary
import TopiaryTestSupport

/// `ActivationPlan` placing a layer's output over the input it consumes, at the offset its
/// kernel's order allows, one byte per element.
@Suite("Activation plan: outputs over the inputs they consume")
struct OverlappingPlanTests {
    /// A channel-separable window over 8 positions of 8 bytes whose input position `q` is read
    /// last by output `q + reach` (or the last output): the output may start `reach` positions
    /// before its input.
    static func order(reach: Int) -> OutputStorage {
        .overlapping(
            KernelAccessOrder(
                lastReaders: (0..<8).map { min($0 + reach, 7) }, outputPositions: 8, channelSeparable: true,
                builds: [.init(positions: 1, readsFirst: true)]))
    }

    static func arenaOffset(_ plan: ActivationPlan, _ node: Int) -> Int? {
        guard case let .arena(offset) = plan.locations[node] else { return nil }
        return offset
    }

    @Test("an output whose input dies at its layer starts the allowed offset before the input, in one buffer of their extent")
    func overlapsWhenTheInputDies() throws {
        // x (8) -> d0 (64) -> d1 (64, over d0) -> d2 (16).
        let graph = HandMadeGraphs.chain([8, 64, 64, 16])
        let plan = ActivationPlan(
            graph: graph, storage: [.fresh, .fresh, Self.order(reach: 1), .fresh], scratchBytes: [0, 0, 0, 0], elementBytes: 1)
        #expect(plan.overlapOffsets == [nil, nil, -8, nil])
        let input = try #require(Self.arenaOffset(plan, 1)), output = try #require(Self.arenaOffset(plan, 2))
        #expect(output == input - 8)
        // d0 and d1 take 72 bytes together; d2's 16 sit beside d1 once d0 is dead, where two
        // buffers took 128.
        #expect(plan.arenaBytes == 64 + 16)
        #expect(plan.bufferCount == 3)
        #expect(plan.unsharedBytes == 64 + 64 + 16)
    }

    @Test("no overlap with an input read after the layer")
    func refusedWhenTheInputIsReadLater() {
        var graph = HandMadeGraphs.chain([8, 64, 64])
        graph.nodes.append(Node(name: "sum", kerasClass: "Add", op: .merge(.add), inputs: [2, 1], outputShape: [64]))
        graph.outputs = [3]
        let plan = ActivationPlan(
            graph: graph, storage: [.fresh, .fresh, Self.order(reach: 1), .inPlace], scratchBytes: [0, 0, 0, 0], elementBytes: 1)
        #expect(plan.overlapOffsets[2] == nil, "d0's output is read again by the add")
    }

    @Test("no overlap with an input that is a model output, read by the final copy")
    func refusedOverAModelOutput() {
        var graph = HandMadeGraphs.chain([8, 64, 64])
        graph.outputs = [1, 2]
        let plan = ActivationPlan(
            graph: graph, storage: [.fresh, .fresh, Self.order(reach: 1)], scratchBytes: [0, 0, 0], elementBytes: 1)
        #expect(plan.overlapOffsets[2] == nil)
        #expect(plan.arenaBytes == 128)
    }

    @Test("an output that is a model output may overlap its input; an in-place layer after it keeps its start")
    func modelOutputOverlapsItsInput() throws {
        var graph = HandMadeGraphs.chain([8, 64, 64])
        graph.nodes.append(Node(name: "act", kerasClass: "Activation", op: .activation(.tanh), inputs: [2], outputShape: [64]))
        graph.outputs = [3]
        let plan = ActivationPlan(
            graph: graph, storage: [.fresh, .fresh, Self.order(reach: 2), .inPlace], scratchBytes: [0, 0, 0, 0], elementBytes: 1)
        #expect(plan.overlapOffsets[2] == -16)
        #expect(plan.inPlace[3])
        #expect(try #require(Self.arenaOffset(plan, 3)) == (try #require(Self.arenaOffset(plan, 1))) - 16)
        #expect(plan.arenaBytes == 80)
    }

    @Test("a chain of overlaps that does not lower the arena is planned without them")
    func driftingChainKeepsThePlanWithout() {
        // Each of four layers would start 32 bytes before the last: 64 + 4 * 32 = 192 bytes of
        // extent, where two buffers of 64 alternate in 128, which the overlaps do not lower.
        let graph = HandMadeGraphs.chain([8, 64, 64, 64, 64, 64])
        let storage = [.fresh, .fresh] + Array(repeating: Self.order(reach: 4), count: 4)
        let plan = ActivationPlan(graph: graph, storage: storage, scratchBytes: Array(repeating: 0, count: 6), elementBytes: 1)
        #expect(plan.overlapOffsets.allSatisfy { $0 == nil })
        #expect(plan.arenaBytes == 128)
        // One layer 32 bytes before its input alone saves 32 bytes: 64 + 32.
        let one = ActivationPlan(
            graph: HandMadeGraphs.chain([8, 64, 64]), storage: [.fresh, .fresh, Self.order(reach: 4)], scratchBytes: [0, 0, 0],
            elementBytes: 1)
        #expect(one.overlapOffsets[2] == -32)
        #expect(one.arenaBytes == 96)
    }

    @Test("scratch stays a buffer of its own beside an overlapping pair")
    func scratchBesideTheOverlap() throws {
        let graph = HandMadeGraphs.chain([8, 64, 64])
        let plan = ActivationPlan(
            graph: graph, storage: [.fresh, .fresh, Self.order(reach: 1)], scratchBytes: [0, 0, 24], elementBytes: 1)
        let scratch = try #require(plan.scratchOffsets[2])
        let output = try #require(Self.arenaOffset(plan, 2))
        #expect(scratch + 24 <= output || output + 72 <= scratch)
        #expect(plan.arenaBytes == 72 + 24)
    }
}
