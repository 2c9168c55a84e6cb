import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("Activation plan (liveness)")
struct ActivationPlanTests {
    /// Arena byte ranges of two nodes' outputs overlap.
    func overlap(_ plan: ActivationPlan, _ graph: Graph, _ a: Int, _ b: Int) -> Bool {
        guard case let .arena(x) = plan.locations[a], case let .arena(y) = plan.locations[b] else { return false }
        let sizeA = graph.nodes[a].outputShape.elementCount * 4, sizeB = graph.nodes[b].outputShape.elementCount * 4
        return x < y + sizeB && y < x + sizeA
    }

    @Test("a chain reuses memory: outputs two layers apart share it")
    func chainReuses() {
        let graph = HandMadeGraphs.chain([8, 32, 32, 32, 4])
        let plan = ActivationPlan(graph: graph, storage: Array(repeating: .fresh, count: 5), scratchBytes: Array(repeating: 0, count: 5))
        #expect(plan.locations[0] == .input(0))
        #expect(!overlap(plan, graph, 1, 2) && !overlap(plan, graph, 2, 3) && !overlap(plan, graph, 3, 4))
        #expect(overlap(plan, graph, 1, 3), "d0's output is dead once d1 ran, so d2 can take its place")
        #expect(plan.arenaBytes == 256)
        #expect(plan.unsharedBytes == 3 * 128 + 16)
        #expect(plan.arenaBytes <= plan.unsharedBytes)
    }

    @Test("in a diamond, the shared input lives until both branches have run")
    func diamond() {
        let graph = HandMadeGraphs.diamond()
        let storage: [OutputStorage] = [.fresh, .fresh, .fresh, .fresh, .inPlace, .fresh]
        let plan = ActivationPlan(graph: graph, storage: storage, scratchBytes: Array(repeating: 0, count: 6))
        // a (1) is read by b (2) and c (3): it must not share memory with either.
        #expect(!overlap(plan, graph, 1, 2))
        #expect(!overlap(plan, graph, 1, 3))
        #expect(!overlap(plan, graph, 2, 3))
        // The add writes over b, which dies there; c is its second input and must survive the call.
        #expect(plan.inPlace[4])
        #expect(plan.locations[4] == plan.locations[2])
        #expect(!overlap(plan, graph, 4, 3))
        // The head reads the sum, so they are apart; a is dead by then and may be reused.
        #expect(!overlap(plan, graph, 4, 5))
        #expect(plan.arenaBytes == 3 * 64)
        #expect(plan.unsharedBytes == 4 * 64 + 16)
    }

    @Test("an element-wise layer does not write over an input that is read later")
    func inPlaceOnlyWhenInputDies() {
        var graph = HandMadeGraphs.chain([8, 16])
        graph.nodes.append(Node(name: "act", kerasClass: "Activation", op: .activation(.tanh), inputs: [1], outputShape: [16]))
        graph.nodes.append(Node(name: "sum", kerasClass: "Add", op: .merge(.add), inputs: [1, 2], outputShape: [16]))
        graph.outputs = [3]
        let plan = ActivationPlan(graph: graph, storage: [.fresh, .fresh, .inPlace, .inPlace], scratchBytes: [0, 0, 0, 0])
        #expect(!plan.inPlace[2], "d0's output is read again by the add")
        #expect(plan.inPlace[3], "the add's first input dies there")
    }

    @Test("in-place layers chain: each takes over the buffer its input took over")
    func inPlaceChain() {
        var graph = HandMadeGraphs.chain([8, 16])
        graph.nodes.append(
            Node(
                name: "bn", kerasClass: "BatchNormalization", op: .batchNorm(BatchNorm(axis: 0, epsilon: 1e-3)), inputs: [1],
                outputShape: [16]))
        graph.nodes.append(Node(name: "relu", kerasClass: "ReLU", op: .activation(.plainRelu), inputs: [2], outputShape: [16]))
        graph.nodes.append(HandMadeGraphs.dense("d1", input: 3, width: 16, units: 4))
        graph.outputs = [4]
        let plan = ActivationPlan(
            graph: graph, storage: [.fresh, .fresh, .inPlace, .inPlace, .fresh], scratchBytes: Array(repeating: 0, count: 5))
        #expect(plan.inPlace[2] && plan.inPlace[3])
        #expect(plan.locations[1] == plan.locations[3])
        #expect(plan.arenaBytes == 64 + 16)
    }

    @Test("a model output is never overwritten in place")
    func outputsSurvive() {
        var graph = HandMadeGraphs.chain([8, 16])
        graph.nodes.append(Node(name: "act", kerasClass: "Activation", op: .activation(.tanh), inputs: [1], outputShape: [16]))
        graph.outputs = [1, 2]
        let plan = ActivationPlan(graph: graph, storage: [.fresh, .fresh, .inPlace], scratchBytes: [0, 0, 0])
        #expect(!plan.inPlace[2])
        #expect(!overlap(plan, graph, 1, 2))
    }

    @Test("reshapes alias their input and extend its lifetime; model inputs take no arena")
    func aliases() {
        var graph = HandMadeGraphs.chain([8, 16])
        graph.nodes.append(Node(name: "flat", kerasClass: "Flatten", op: .flatten, inputs: [1], outputShape: [16]))
        graph.nodes.append(HandMadeGraphs.dense("d1", input: 2, width: 16, units: 16))
        graph.nodes.append(HandMadeGraphs.dense("d2", input: 3, width: 16, units: 16))
        graph.nodes.append(Node(name: "skip", kerasClass: "Add", op: .merge(.add), inputs: [4, 2], outputShape: [16]))
        graph.outputs = [5]
        let plan = ActivationPlan(
            graph: graph, storage: [.fresh, .fresh, .alias, .fresh, .fresh, .inPlace], scratchBytes: Array(repeating: 0, count: 6))
        #expect(plan.locations[2] == plan.locations[1])
        // d0's memory is still read by the add (through the flatten), so d2 must not take it.
        #expect(!overlap(plan, graph, 1, 4))
        #expect(plan.bufferCount == 3)
    }

    @Test("scratch memory lives only during its layer")
    func scratch() {
        let graph = HandMadeGraphs.chain([8, 16, 16, 16])
        let plan = ActivationPlan(graph: graph, storage: Array(repeating: .fresh, count: 4), scratchBytes: [0, 0, 256, 0])
        let scratch = plan.scratchOffsets[2]!
        guard case let .arena(input) = plan.locations[1], case let .arena(output) = plan.locations[2] else {
            Issue.record("expected arena locations")
            return
        }
        #expect(scratch + 256 <= input || input + 64 <= scratch)
        #expect(scratch + 256 <= output || output + 64 <= scratch)
        #expect(plan.arenaBytes == 256 + 128)
    }

    @Test("the float entry points' int8 copies are planned: the input's until its last reader, the output's at the final copy")
    func stagedCopies() {
        // int8 elements: input 64 bytes, then 128, 128, 128, and an output of 16.
        let graph = HandMadeGraphs.chain([64, 128, 128, 128, 16])
        let plan = ActivationPlan(
            graph: graph, storage: Array(repeating: .fresh, count: 5), scratchBytes: Array(repeating: 0, count: 5), elementBytes: 1,
            stagedInputBytes: [64], stagedOutputBytes: [16])
        func range(_ node: Int) -> Range<Int> {
            guard case let .arena(offset) = plan.locations[node] else { return 0..<0 }
            return offset..<(offset + graph.nodes[node].outputShape.elementCount)
        }
        let input = plan.stagedInputOffsets[0]..<(plan.stagedInputOffsets[0] + 64)
        let output = plan.stagedOutputOffsets[0]..<(plan.stagedOutputOffsets[0] + 16)
        // The first layer reads the copied input while writing its output.
        #expect(!input.overlaps(range(1)))
        // The copied output is written from the last layer's output.
        #expect(!output.overlaps(range(4)))
        // Two buffers of 128 alive at once bound the arena; both copies fit beside them.
        #expect(plan.arenaBytes == 256)
        #expect(plan.unsharedBytes == 3 * 128 + 16 + 64 + 16)
    }
}
