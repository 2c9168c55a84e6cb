import Testing
@testable import Topiary
import TopiaryTestSupport

/// Pruned sample networks that lose the channels no later layer reads (`UnreadChannelRemoval`):
/// the smaller int8 graph's generated C against the Swift integer reference on every test digit,
/// under AddressSanitizer and UndefinedBehaviorSanitizer, and its float graph against the
/// pruned float graph that kept them.
@Suite("int8 C parity after unread channels are removed")
struct UnreadChannelParityTests {
    @Test(
        "the 1D CNN (convolutions into convolutions) and the digits CNN (a Dense unit) at 90% lose channels, with zero mismatches and the same float outputs",
        arguments: ["conv1d", "cnn"])
    func prunedSamplesLoseUnreadChannels(_ name: String) throws {
        let graph = try Samples.graph(name)
        let pruned = try MagnitudePruning.apply(try BatchNormFolding.apply(graph), PruningOptions(target: .uniform(0.9)))
        let (smaller, removed) = UnreadChannelRemoval.apply(pruned)
        #expect(!removed.isEmpty)
        #expect(smaller.parameterCount < pruned.parameterCount)
        let original = try FloatInference(graph: pruned), reduced = try FloatInference(graph: smaller)
        for sample in try Samples.testSamples(name, for: graph, limit: 40) {
            let a = try original.run(sample)[0].values, b = try reduced.run(sample)[0].values
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($0)) }, "\(name)")
        }
        let int8 = try Samples.int8Compressed(name, sparsity: 0.9)
        for layer in removed.keys {
            let width = { (g: Graph) in g.nodes.first { $0.layerName == layer }?.outputShape.last }
            #expect(width(int8) == width(smaller), "\(name): \(layer)")
        }
        let report = try Int8ParityTests.verify(int8, model: name, sanitize: true)
        #expect(report.passed, "\(name): \(report)")
    }
}
