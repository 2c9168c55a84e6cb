import Testing
@testable import Topiary

/// The generated int8 C against the Swift integer reference on every test digit: zero
/// mismatches, at every sparsity and in every format.
@Suite("int8 C parity")
struct Int8ParityTests {
    static func compressed(_ name: String, sparsity: Double, pattern: SparsityPattern? = nil) throws -> Graph {
        let graph = try Samples.graph(name)
        var options = CompressionOptions(quantization: .int8)
        if let pattern {
            options.pruning = PruningOptions(pattern: pattern)
        } else if sparsity > 0 {
            options.pruning = PruningOptions(target: .uniform(sparsity))
        }
        return try CompressionPipeline.run(graph, options: options, calibration: try Samples.calibration(for: graph)).graph
    }

    static func verify(_ graph: Graph, model name: String, format: FormatChoice = .auto, sanitize: Bool = false,
                       limit: Int? = nil) throws -> Int8ParityReport {
        var inputs = try Samples.testData(name).inputs
        if let limit {
            let size = inputs.sampleShape.elementCount
            inputs = NDArray(shape: [limit] + inputs.sampleShape, values: Array(inputs.values.prefix(limit * size)))
        }
        let harness = Int8ParityHarness(generator: Int8CodeGenerator(format: format), sanitize: sanitize)
        return try harness.verify(graph, inputs: [inputs], reshape: true)
    }

    static let sparsities: [Double] = [0, 0.5, 0.8, 0.9]

    @Test("zero mismatches on every test digit", arguments: Samples.digitModels, sparsities)
    func parity(_ name: String, sparsity: Double) throws {
        let report = try Self.verify(try Self.compressed(name, sparsity: sparsity), model: name)
        #expect(report.samples == 360)
        #expect(report.passed, "\(name) at \(sparsity): \(report)")
    }
}
