import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// `Int8ConstantData`, which compression reads instead of generating C, counts exactly the
/// constant arrays the code generator declares: the weighted layers' packed rows and
/// metadata, the tables, the gather tables and the weights of the layers kept in float.
@Suite("int8 constant data without C")
struct Int8ConstantDataTests {
    @Test("every int8 zoo model: the bytes and layer footprints equal those of the generated C", arguments: SampleFolder.int8ZooEntries)
    func zooModel(_ entry: String) throws {
        let quantized = try SampleFolder.zoo(entry).int8Graph()
        let model = try CodeGenerator().generate(quantized)
        let counted = try Int8ConstantData(graph: quantized, choice: .auto, goal: .balanced)
        #expect(counted.bytes == model.weightBytes, "\(entry)")
        #expect(counted.layers == model.layers, "\(entry)")
    }

    @Test(
        "pruned digits models in every format and goal: the bytes and layer footprints equal those of the generated C",
        arguments: Samples.digitModels, [FormatChoice.auto, .dense, .bitmask, .csr])
    func prunedDigitsModel(_ name: String, format: FormatChoice) throws {
        let graph = try Samples.int8Compressed(name, sparsity: 0.8)
        for goal in OptimizationGoal.allCases {
            let model = try CodeGenerator(options: ConversionOptions(format: format, optimize: goal)).generate(graph)
            let counted = try Int8ConstantData(graph: graph, choice: format, goal: goal)
            #expect(counted.bytes == model.weightBytes, "\(name), \(format), \(goal)")
            #expect(counted.layers == model.layers, "\(name), \(format), \(goal)")
        }
    }

    @Test("N:M-pruned digits models stored as N:M: the bytes equal those of the generated C", arguments: Samples.digitModels)
    func nmDigitsModel(_ name: String) throws {
        let graph = try Samples.int8Compressed(name, sparsity: 0, pattern: try SparsityPattern(parsing: "2:4"))
        let model = try CodeGenerator(options: ConversionOptions(format: .nm)).generate(graph)
        let counted = try Int8ConstantData(graph: graph, choice: .nm, goal: .balanced)
        #expect(counted.bytes == model.weightBytes, "\(name)")
        #expect(counted.layers == model.layers, "\(name)")
    }
}
