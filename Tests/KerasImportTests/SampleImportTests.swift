import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Every model that real Keras wrote under samples/ imports with Keras's own shapes and
/// parameter counts.
@Suite struct SampleImportTests {
    static let models = SampleModel.all(in: "models")
    static let zoo = SampleModel.all(in: "zoo")

    @Test func theSampleSetCoversEveryFileFormat() {
        let formats = Set(Self.models.compactMap { $0.info["format"] as? String })
        #expect(formats.isSuperset(of: ["keras3-h5", "keras2-h5", "keras3-keras", "keras3-weights", "keras2-weights"]))
        #expect(Self.zoo.count >= 60)
    }

    @Test(arguments: models + zoo)
    func importsWithKerasParameterCountAndShapes(_ sample: SampleModel) throws {
        let graph = try KerasImporter().importGraph(modelPath: sample.modelPath, configPath: sample.configPath)
        #expect(graph.parameterCount == sample.countParams)
        #expect(graph.inputs.map { graph[$0].outputShape } == sample.inputShapes)
        #expect(graph.outputs.map { graph[$0].outputShape } == sample.outputShapes)
        for layer in sample.layers {
            // A nested model or a wrapper becomes nodes named after it (`backbone/conv1`,
            // `bidirectional/forward`).
            let nodes = graph.nodes.filter { $0.layerName == layer.name || $0.layerName.hasPrefix(layer.name + "/") }
            #expect(!nodes.isEmpty, "layer \(layer.name) is missing from the graph")
            let own = nodes.filter { $0.layerName == layer.name }
            if !own.isEmpty {
                #expect(own.contains { $0.kerasClass == layer.kerasClass }, "class of \(layer.name)")
            }
            #expect(nodes.reduce(0) { $0 + $1.parameterCount } == layer.params, "parameters of \(layer.name)")
            if let shape = layer.outputShape, nodes.count == 1 {
                #expect(nodes[0].outputShape == shape, "output shape of \(layer.name)")
            }
        }
    }

    @Test(arguments: models + zoo)
    func everyNodeReadsOnlyEarlierNodesAndHoldsFiniteWeights(_ sample: SampleModel) throws {
        let graph = try KerasImporter().importGraph(modelPath: sample.modelPath, configPath: sample.configPath)
        for (index, node) in graph.nodes.enumerated() {
            #expect(node.inputs.allSatisfy { $0 < index })
            let inputShapes = node.inputs.map { graph[$0].outputShape }
            if case .input = node.op { continue }
            #expect(try node.op.outputShape(for: inputShapes) == node.outputShape)
            for tensor in node.weights.values {
                #expect(tensor.values.allSatisfy { $0.isFinite })
            }
        }
    }

    @Test func keras2AndKeras3FilesOfTheSameModelGiveTheSameGraphStructure() throws {
        let keras3 = try KerasImporter().importGraph(modelPath: samplesRoot.appendingPathComponent("models/mlp/model.h5").path)
        let weights = Self.models.first { $0.testDescription == "models/mlp_weights" }!
        let fromWeights = try KerasImporter().importGraph(modelPath: weights.modelPath, configPath: weights.configPath)
        #expect(fromWeights.nodes.map(\.op) == keras3.nodes.map(\.op))
        #expect(fromWeights.nodes.map(\.outputShape) == keras3.nodes.map(\.outputShape))
    }

    @Test func importsDenseWeightsInKerasLayout() throws {
        let graph = try KerasImporter().importGraph(modelPath: samplesRoot.appendingPathComponent("models/mlp/model.h5").path)
        let fc1 = try #require(graph.nodes.first { $0.name == "fc1" })
        #expect(fc1.weights[.kernel]?.shape == [64, 64])
        #expect(fc1.weights[.bias]?.shape == [64])
        #expect(fc1.op == .dense(Dense(units: 64, useBias: true, activation: .plainRelu)))
        #expect(graph.producer.hasPrefix("keras 3"))
    }

    @Test func gruKeepsKerasBiasLayoutForResetAfter() throws {
        let graph = try KerasImporter().importGraph(modelPath: samplesRoot.appendingPathComponent("models/gru/model.h5").path)
        let gru = try #require(graph.nodes.first { if case .recurrent = $0.op { return true } else { return false } })
        guard case let .recurrent(spec) = gru.op else { return }
        #expect(spec.resetAfter)
        #expect(gru.weights[.bias]?.shape == [2, 3 * spec.units])
        #expect(gru.weights[.recurrentKernel]?.shape == [spec.units, 3 * spec.units])
    }

    @Test func hardSigmoidFollowsTheKerasVersionThatWroteTheFile() throws {
        let keras3 = try KerasImporter().importGraph(modelPath: samplesRoot.appendingPathComponent("zoo/act_hard_sigmoid/model.h5").path)
        #expect(keras3.nodes.contains { $0.op == .activation(.hardSigmoid) })
        let keras2Folder = Self.zoo.first {
            ($0.info["format"] as? String)?.hasPrefix("keras2") == true && $0.folder.lastPathComponent.contains("hard_sigmoid")
        }
        let keras2 = try #require(keras2Folder, "a Keras 2 hard_sigmoid zoo model")
        let graph = try KerasImporter().importGraph(modelPath: keras2.modelPath, configPath: keras2.configPath)
        #expect(graph.nodes.contains { $0.fusedActivation == .hardSigmoidKeras2 })
    }
}
