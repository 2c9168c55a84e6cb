import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Graph shapes the sample models do not all have, compiled under -Werror and checked
/// against the reference.
@Suite("Edge-case graphs")
struct EdgeCaseGraphTests {
    static func input(_ name: String = "x") -> Node { HandMadeGraphs.input(name, width: 6) }

    /// One row of the table: its title, and the graph `name` of `nodes` reading `inputs`.
    static func edgeCase(_ title: String, graph name: String, inputs: [Int] = [0], outputs: [Int], _ nodes: [Node]) -> (String, Graph) {
        (title, Graph(name: name, nodes: nodes, inputs: inputs, outputs: outputs))
    }

    static let graphs: [(String, Graph)] = [
        // Nothing computed: the output is the input, relabelled. No arena at all.
        edgeCase(
            "identity only", graph: "identity", outputs: [1],
            [
                input(), Node(name: "drop", kerasClass: "Dropout", op: .identity, inputs: [0], outputShape: [6]),
            ]),
        // The same tensor returned twice, and an intermediate tensor that is also an output.
        edgeCase(
            "repeated and intermediate outputs", graph: "outputs", outputs: [2, 1, 2],
            [
                input(), HandMadeGraphs.dense("a", input: 0, width: 6, units: 5),
                HandMadeGraphs.dense("b", input: 1, width: 5, units: 3),
            ]),
        // A node whose output nobody reads.
        edgeCase(
            "dangling branch", graph: "dangling", outputs: [3],
            [
                input(), HandMadeGraphs.dense("a", input: 0, width: 6, units: 5),
                HandMadeGraphs.dense("unused", input: 1, width: 5, units: 7),
                HandMadeGraphs.dense("b", input: 1, width: 5, units: 3),
            ]),
        // An add of a tensor with itself (same buffer twice), then in place activation.
        edgeCase(
            "self add", graph: "selfadd", outputs: [3],
            [
                input(), HandMadeGraphs.dense("a", input: 0, width: 6, units: 5),
                Node(name: "twice", kerasClass: "Add", op: .merge(.add), inputs: [1, 1, 1], outputShape: [5]),
                Node(name: "act", kerasClass: "Activation", op: .activation(.sigmoid), inputs: [2], outputShape: [5]),
            ]),
        // Two inputs, one of them passed straight through to an output.
        edgeCase(
            "input as output", graph: "passthrough", inputs: [0, 1], outputs: [2, 3],
            [
                input("x"), input("y"), HandMadeGraphs.dense("a", input: 0, width: 6, units: 2),
                Node(name: "flat", kerasClass: "Flatten", op: .flatten, inputs: [1], outputShape: [6]),
            ]),
    ]

    @Test("compiles under -Werror and matches the reference", arguments: graphs.map(\.0))
    func graph(_ title: String) throws {
        let graph = try #require(Self.graphs.first { $0.0 == title }?.1)
        let model = try CodeGenerator(options: ConversionOptions(name: "edge")).generate(graph)
        try withScratchFolder { folder in
            try write(model, to: folder)
            try CCompiler.host().compile(CCompiler.strictFlags + ["-c", "edge.c", "-o", "edge.o"], in: folder)
        }
        var generator = SeededGenerator(seed: 5)
        let inputs = graph.inputs.map { _ in
            NDArray(shape: [4, 6], values: (0..<24).map { _ in Float.random(in: -3...3, using: &generator) })
        }
        let report = try ParityHarness(sanitize: true).verify(graph, inputs: inputs)
        #expect(report.passed, "\(report)")
        #expect(report.maxAbsoluteError == 0)
    }

    @Test("a model with nothing to compute has no arena")
    func noArena() throws {
        let model = try CodeGenerator(options: ConversionOptions(name: "edge")).generate(Self.graphs[0].1)
        #expect(model.arenaBytes == 0)
        #expect(model.header.split(separator: "\n").contains { $0.hasPrefix("#define EDGE_ARENA_BYTES ") && $0.hasSuffix(" 0") })
        #expect(!strippingComments(model.source).contains("edge_arena"))
    }

    @Test("a NaN weight is refused, naming the layer")
    func nanWeight() throws {
        var graph = HandMadeGraphs.chain([4, 3])
        graph.nodes[1].weights[.kernel]!.values[5] = .nan
        let error = try #require(throws: (any Error).self) { try CodeGenerator().generate(graph) }
        let text = String(describing: error)
        #expect(text.contains("d0") && text.contains("NaN"))
    }
}
