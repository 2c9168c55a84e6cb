import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("Pruning reconstruction")
struct PruningReconstructionTests {
    /// Sum of squared differences between two graphs' outputs over `samples`.
    static func error(_ a: Graph, _ b: Graph, _ samples: [[Tensor]]) throws -> Double {
        let x = try FloatInference(graph: a), y = try FloatInference(graph: b)
        var total = 0.0
        for sample in samples {
            for (p, q) in zip(try x.run(sample)[0].values, try y.run(sample)[0].values) { total += Double((p - q) * (p - q)) }
        }
        return total
    }

    /// The 578-parameter dscnn at 60%: above about 65% its layers' refits, each optimal alone,
    /// no longer add up to a smaller output error.
    @Test(
        "keeps the mask and reduces the output error on the calibration data",
        arguments: zip(["mlp", "cnn", "dscnn", "conv1d"], [0.7, 0.7, 0.6, 0.7]))
    func keepsMaskReducesError(_ name: String, _ sparsity: Double) throws {
        let original = try BatchNormFolding.apply(try Samples.graph(name))
        let pruned = try MagnitudePruning.apply(original, PruningOptions(target: .uniform(sparsity)))
        let samples = try Samples.calibration(for: original, count: 100)
        let refitted = try PruningReconstruction.apply(pruned: pruned, original: original, samples: samples)
        for (a, b) in zip(pruned.nodes, refitted.nodes) {
            for role in KernelRows.roles(of: a.op) {
                let x = a.weights[role]!.values, y = b.weights[role]!.values
                #expect(zip(x, y).allSatisfy { ($0 == 0) == ($1 == 0) }, "\(name)/\(a.name): the mask changed")
            }
        }
        let refittedError = try Self.error(original, refitted, samples), prunedError = try Self.error(original, pruned, samples)
        #expect(refittedError < prunedError, "\(name): refitted \(refittedError), pruned \(prunedError)")
    }

    /// The digits MLP pruned to 80% by `method`, its layers refitted when `reconstruct`.
    static func digitsMLPAt80(_ method: PruneMethod = .magnitude, reconstruct: Bool) throws -> Graph {
        let graph = try Samples.graph("mlp")
        let options = CompressionOptions(
            pruning: PruningOptions(target: .uniform(0.8)), reconstruct: reconstruct, pruneMethod: method)
        return try CompressionPipeline.run(graph, options: options, calibration: try Samples.calibration(for: graph)).graph
    }

    /// Top-1 accuracy of a compressed digits MLP on the test digits.
    static func testAccuracy(_ graph: Graph) throws -> Double {
        let (inputs, labels) = try Samples.testData("mlp")
        return try Samples.accuracy(FloatInference(graph: graph).predict([inputs])[0], labels)
    }

    @Test("recovers accuracy lost by 80% pruning of the digits MLP")
    func recoversAccuracy() throws {
        let plain = try Self.testAccuracy(Self.digitsMLPAt80(reconstruct: false))
        let refitted = try Self.testAccuracy(Self.digitsMLPAt80(reconstruct: true))
        #expect(refitted > plain + 0.1, "plain \(plain), refitted \(refitted)")
    }

    @Test("a layer whose pruned weight only ever saw zeros keeps the rest, up to the damping")
    func exactCase() throws {
        var g = GraphBuilder()
        g.input([3])
        try g.dense(Tensor(shape: [3, 1], values: [0.1, 2, -1]), bias: Tensor(filling: 0.5, shape: [1]), name: "d")
        let original = g.graph()
        let pruned = try MagnitudePruning.apply(original, PruningOptions(target: .uniform(0.34)))
        #expect(pruned.nodes[1].weights[.kernel]!.values == [0, 2, -1])
        // Input 0 is always 0, so removing its weight loses nothing; the refit must keep the rest.
        let samples = (0..<20).map { i in [Tensor(shape: [3], values: [0, Float(i % 5) - 2, Float(i % 3)])] }
        let refitted = try PruningReconstruction.apply(pruned: pruned, original: original, samples: samples)
        let w = refitted.nodes[1].weights[.kernel]!.values
        #expect(abs(w[1] - 2) < 0.05 && abs(w[2] + 1) < 0.05)
        #expect(abs(refitted.nodes[1].weights[.bias]!.values[0] - 0.5) < 0.05)
    }
}

extension PruningReconstructionTests {
    @Test("OBS selection keeps each layer's number of zeros and beats magnitude selection at 80%")
    func obsSelection() throws {
        let magnitude = try Self.digitsMLPAt80(.magnitude, reconstruct: true), obs = try Self.digitsMLPAt80(.obs, reconstruct: true)
        // Counted before the units left unread go, which differ between the two selections.
        let graph = try BatchNormFolding.apply(try Samples.graph("mlp")), target = PruningOptions(target: .uniform(0.8))
        let magnitudeZeros = try MagnitudePruning.apply(graph, target)
        let obsZeros = try OBSPruning.apply(graph, target, samples: try Samples.calibration(for: graph))
        for name in ["fc1", "fc2", "fc3"] {
            let a = magnitudeZeros.nodes[magnitudeZeros.index(named: name)!].weights[.kernel]!.values
            let b = obsZeros.nodes[obsZeros.index(named: name)!].weights[.kernel]!.values
            #expect(a.filter { $0 == 0 }.count == b.filter { $0 == 0 }.count, "\(name)")
        }
        let accuracyMagnitude = try Self.testAccuracy(magnitude), accuracyObs = try Self.testAccuracy(obs)
        #expect(accuracyObs >= accuracyMagnitude, "magnitude \(accuracyMagnitude), obs \(accuracyObs)")
        #expect(accuracyObs >= 0.95)
    }

    @Test("OBS and an N:M pattern are refused together")
    func obsWithPattern() throws {
        let graph = try Samples.graph("mlp")
        let options = CompressionOptions(pruning: PruningOptions(pattern: try SparsityPattern(n: 2, m: 4)), pruneMethod: .obs)
        #expect(throws: CompressionError.self) {
            try CompressionPipeline.run(graph, options: options, calibration: try Samples.calibration(for: graph, count: 10))
        }
    }
}
