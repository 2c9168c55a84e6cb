import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// `TimeDistributed` and `Bidirectional` become the ops of the layers they wrap.
@Suite("Wrappers")
struct WrapperTests {
    static func graph(_ entry: String) throws -> Graph {
        try SampleFolder.zoo(entry).importGraph()
    }

    @Test func timeDistributedDenseRunsOnceOverAllSteps() throws {
        let graph = try Self.graph("time_distributed_dense")
        let node = try #require(graph.nodes.first { $0.layerName == "time_distributed" })
        guard case .dense = node.op else { Issue.record("expected one dense node, got \(node.op)"); return }
        #expect(node.outputShape == [5, 4])
        #expect(graph.nodes.count == 2)
    }

    @Test func timeDistributedConvolutionRunsOncePerStepWithOneKernel() throws {
        let graph = try Self.graph("time_distributed_conv2d")
        let steps = graph.nodes.filter { $0.layerName == "time_distributed" && $0.kerasClass == "Conv2D" }
        #expect(steps.map(\.name) == ["time_distributed/step1", "time_distributed/step2", "time_distributed/step3"])
        #expect(steps.allSatisfy { $0.weights[.kernel] == steps[0].weights[.kernel] })
        #expect(steps.map(\.parameterCount) == [3 * 3 * 2 * 3 + 3, 0, 0])
        #expect(graph.nodes.first { $0.name == "time_distributed" }?.outputShape == [3, 3, 3, 3])
    }

    @Test func timeDistributedConv1DBecomesOneConvolutionOfHeightOne() throws {
        let graph = try Self.graph("time_distributed_conv1d")
        let nodes = graph.nodes.filter { $0.layerName == "time_distributed" }
        try #require(nodes.count == 1, "\(graph.nodes.map(\.name))")
        guard case let .conv(c) = nodes[0].op else { Issue.record("expected a convolution, got \(nodes[0].op)"); return }
        #expect(c.kernelSize == [1, 3] && c.strides == [1, 1])
        #expect(nodes[0].weights[.kernel]?.shape == [1, 3, 2, 3])
        #expect(nodes[0].outputShape == [4, 5, 3])
    }

    @Test func bidirectionalRunsTheBackwardCopyReversedAndMerges() throws {
        let graph = try Self.graph("bidirectional_lstm_sequences_concat")
        let forward = try #require(graph.nodes.first { $0.name == "bidirectional/forward" })
        let backward = try #require(graph.nodes.first { $0.name == "bidirectional/backward" })
        guard case let .recurrent(f) = forward.op, case let .recurrent(b) = backward.op else {
            Issue.record("expected two recurrent nodes")
            return
        }
        #expect(!f.goBackwards && b.goBackwards)
        #expect(forward.weights != backward.weights)
        let reversed = try #require(graph.nodes.first { $0.name == "bidirectional/backward/reversed" })
        #expect(reversed.op == .move(.reverse(axis: 0)))
        let merged = try #require(graph.nodes.first { $0.name == "bidirectional" })
        #expect(merged.op == .concatenate(axis: 1))
        #expect(merged.outputShape == [6, 6])
    }

    @Test func bidirectionalWithoutMergeModeHasTwoOutputs() throws {
        let graph = try Self.graph("bidirectional_none")
        #expect(graph.outputs.map { graph.nodes[$0].name } == ["bidirectional/forward", "bidirectional/backward/reversed"])
    }

    @Test(arguments: [("sum", Op.merge(.add)), ("mul", .merge(.multiply)), ("ave", .merge(.average))])
    func mergeModesBecomeMerges(_ mode: String, _ op: Op) throws {
        let graph = try Self.graph("bidirectional_gru_" + mode)
        #expect(graph.nodes.first { $0.name == "bidirectional" }?.op == op)
    }

    @Test func timeDistributedCopiesALayerOverAtMostAThousandStepsOrSo() throws {
        let config =
            #"{"class_name": "TimeDistributed", "config": {"name": "td", "layer": {"class_name": "Conv2D", "config": {"name": "c", "filters": 2, "kernel_size": 3}}}}"#
        let recipe = try LayerTranslator(keras2: false).recipe(for: try LayerConfig(entry: try JSONValue.parse(config), index: 0))
        #expect(try recipe.expand([[LayerTranslator.maximumSteps, 4, 4, 1]]).nodes.count == 4 * LayerTranslator.maximumSteps + 3)
        let error = #expect(throws: ShapeError.self) { try recipe.expand([[LayerTranslator.maximumSteps + 1, 4, 4, 1]]) }
        #expect(error?.message.hasPrefix("TimeDistributed(Conv2D) over 1025 steps would copy the layer once per step") == true)
    }

    @Test func bidirectionalMergesByConcatenationUnlessToldOtherwise() throws {
        let config =
            #"{"class_name": "Bidirectional", "config": {"name": "bi", "layer": {"class_name": "GRU", "config": {"name": "g", "units": 2}}}}"#
        let recipe = try LayerTranslator(keras2: false).recipe(for: try LayerConfig(entry: try JSONValue.parse(config), index: 0))
        #expect(recipe.outputCount == 1)
        #expect(try recipe.expand([[5, 3]]).nodes.last?.op == .concatenate(axis: 0))
    }

    @Test func bidirectionalOfADenseIsRefusedNamingTheLayer() throws {
        let config =
            #"{"class_name": "Bidirectional", "config": {"name": "bi", "layer": {"class_name": "Dense", "config": {"name": "d", "units": 2}}}}"#
        let layer = try LayerConfig(entry: try JSONValue.parse(config), index: 0)
        #expect(throws: UnsupportedOption.self) { try LayerTranslator(keras2: false).recipe(for: layer) }
    }
}
