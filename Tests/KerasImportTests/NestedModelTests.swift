import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Models used as layers of other models are inlined: their layers become nodes named
/// `<model>/<layer>`, read from where Keras 2 and Keras 3 store a nested model's weights.
@Suite("Nested models")
struct NestedModelTests {
    static func graph(_ entry: String) throws -> Graph {
        try SampleFolder.zoo(entry).importGraph()
    }

    @Test(arguments: ["nested_sequential", "nested_sequential_keras", "nested_sequential_weights", "keras2_nested_sequential"])
    func inlinesTheBackboneWithPrefixedNames(_ entry: String) throws {
        let graph = try Self.graph(entry)
        let names = graph.nodes.map(\.name)
        for layer in ["conv1", "bn1", "relu1", "dw2", "pw2"] {
            #expect(names.contains("backbone/" + layer), "\(entry): no node backbone/\(layer) in \(names)")
        }
        #expect(!graph.nodes.contains { ModelTopology.modelClasses.contains($0.kerasClass) })
    }

    @Test func kerasTwoAndThreeNestModelsIntoTheSameGraph() throws {
        let keras3 = try Self.graph("nested_sequential")
        let keras2 = try Self.graph("keras2_nested_sequential")
        // The input layers' default names differ between the versions.
        #expect(keras3.nodes.dropFirst().map(\.name) == keras2.nodes.dropFirst().map(\.name))
        #expect(keras3.nodes.map(\.op) == keras2.nodes.map(\.op))
    }

    @Test(arguments: ["nested_shared", "nested_shared_h5", "keras2_nested_shared"])
    func aModelCalledTwiceSharesOneSetOfWeights(_ entry: String) throws {
        let graph = try Self.graph(entry)
        let first = try #require(graph.nodes.first { $0.name == "encoder/trunk/conv1" }, "\(graph.nodes.map(\.name))")
        let second = try #require(graph.nodes.first { $0.name == "encoder/trunk/conv1#2" })
        #expect(first.layerName == second.layerName)
        #expect(first.weights == second.weights)
        #expect(first.parameterCount > 0 && second.parameterCount == 0)
        #expect(graph.nodes.filter { $0.layerName == "encoder/proj" }.count == 2)
    }
}
