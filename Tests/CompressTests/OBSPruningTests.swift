import Testing
@testable import Topiary
import TopiaryTestSupport

/// `OBSPruning` on whole graphs: the zeros magnitude pruning would make, layer by layer, but
/// a smaller change of the model's outputs on the calibration data.
@Suite("OBS pruning pass")
struct OBSPruningTests {
    static func zeros(_ graph: Graph, _ name: String, _ role: WeightRole = .kernel) -> Int {
        graph.nodes[graph.index(named: name)!].weights[role]!.values.filter { $0 == 0 }.count
    }

    @Test("the digits MLP at 80%: exact zeros per layer, closer outputs and better accuracy than magnitude")
    func mlp() throws {
        let graph = try Samples.graph("mlp")
        let samples = try Samples.calibration(for: graph)
        let options = PruningOptions(target: .uniform(0.8))
        let magnitude = try MagnitudePruning.apply(graph, options)
        let obs = try OBSPruning.apply(graph, options, samples: samples)
        for (name, count) in [("fc1", 4096), ("fc2", 2048), ("fc3", 320)] {
            #expect(Self.zeros(obs, name) == Int((0.8 * Double(count)).rounded()), "\(name)")
        }
        let errorObs = try PruningReconstructionTests.error(graph, obs, samples)
        let errorMagnitude = try PruningReconstructionTests.error(graph, magnitude, samples)
        #expect(errorObs < 0.2 * errorMagnitude, "obs \(errorObs), magnitude \(errorMagnitude)")
        let (inputs, labels) = try Samples.testData("mlp")
        let accuracyObs = try Samples.accuracy(FloatInference(graph: obs).predict([inputs])[0], labels)
        let accuracyMagnitude = try Samples.accuracy(FloatInference(graph: magnitude).predict([inputs])[0], labels)
        #expect(accuracyObs >= 0.95 && accuracyObs > accuracyMagnitude + 0.2, "obs \(accuracyObs), magnitude \(accuracyMagnitude)")
    }

    @Test("forced to SparseGPT (as for large layers), the MLP at 80% keeps exact zeros and most of its accuracy")
    func sparseGPTPath() throws {
        let graph = try Samples.graph("mlp")
        let samples = try Samples.calibration(for: graph)
        let obs = try OBSPruning.apply(
            graph, PruningOptions(target: .uniform(0.8)), samples: samples,
            settings: OBSPruning.Settings(exactWhereAffordable: false))
        for (name, count) in [("fc1", 4096), ("fc2", 2048), ("fc3", 320)] {
            #expect(Self.zeros(obs, name) == Int((0.8 * Double(count)).rounded()), "\(name)")
        }
        let (inputs, labels) = try Samples.testData("mlp")
        let accuracy = try Samples.accuracy(FloatInference(graph: obs).predict([inputs])[0], labels)
        #expect(accuracy >= 0.93, "\(accuracy)")
    }

    @Test("depthwise and separable kernels (dscnn): the zeros magnitude makes, a smaller output error")
    func depthwiseAndSeparable() throws {
        let graph = try BatchNormFolding.apply(try Samples.graph("dscnn"))
        let samples = try Samples.calibration(for: graph, count: 60)
        let options = PruningOptions(target: .uniform(0.5))
        let magnitude = try MagnitudePruning.apply(graph, options)
        let obs = try OBSPruning.apply(graph, options, samples: samples)
        for site in MagnitudePruning.prunableSites(graph) {
            let a = magnitude.nodes[site.node].weights[site.role]!.values, b = obs.nodes[site.node].weights[site.role]!.values
            #expect(a.filter { $0 == 0 }.count == b.filter { $0 == 0 }.count, "\(site.layer) \(site.role)")
            #expect(b.allSatisfy { $0.isFinite })
        }
        let errorObs = try PruningReconstructionTests.error(graph, obs, samples)
        let errorMagnitude = try PruningReconstructionTests.error(graph, magnitude, samples)
        #expect(errorObs < errorMagnitude, "obs \(errorObs), magnitude \(errorMagnitude)")
    }

    @Test("a dead input's weights go first and count toward the sparsity")
    func deadInput() throws {
        var g = GraphBuilder()
        g.input([4])
        try g.dense(randomTensor([4, 3], in: 0.5...1, seed: 1), bias: Tensor(zeros: [3]), name: "d")
        let graph = g.graph()
        // Input 2 is zero in every sample.
        var generator = SeededGenerator(seed: 2)
        let samples = (0..<40).map { _ in
            [
                Tensor(
                    shape: [4],
                    values: [
                        Float.random(in: -1...1, using: &generator), Float.random(in: -1...1, using: &generator), 0,
                        Float.random(in: -1...1, using: &generator),
                    ])
            ]
        }
        let pruned = try OBSPruning.apply(graph, PruningOptions(target: .uniform(0.25)), samples: samples)
        let kernel = pruned.nodes[1].weights[.kernel]!.values
        // Keras layout [inputs, units]: input 2's weights are 6, 7, 8.
        #expect(kernel[6] == 0 && kernel[7] == 0 && kernel[8] == 0)
        #expect(kernel.filter { $0 == 0 }.count == 3)
        // Nothing was lost on the data: the outputs are unchanged, up to the damping.
        let error = try PruningReconstructionTests.error(graph, pruned, samples)
        #expect(error < 1e-3, "\(error)")
    }

    @Test("global scope takes magnitude's per-layer counts")
    func globalScope() throws {
        let graph = try Samples.graph("mlp")
        let options = PruningOptions(target: .uniform(0.8), scope: .global)
        let magnitude = try MagnitudePruning.apply(graph, options)
        let obs = try OBSPruning.apply(graph, options, samples: try Samples.calibration(for: graph, count: 50))
        for name in ["fc1", "fc2", "fc3"] { #expect(Self.zeros(obs, name) == Self.zeros(magnitude, name), "\(name)") }
    }

    @Test("N:M patterns hold (SparseGPT decides each group)")
    func pattern() throws {
        let graph = try Samples.graph("mlp")
        let pattern = try SparsityPattern(n: 1, m: 4)
        let obs = try OBSPruning.apply(graph, PruningOptions(pattern: pattern), samples: try Samples.calibration(for: graph, count: 50))
        for name in ["fc1", "fc2", "fc3"] {
            let node = obs.nodes[obs.index(named: name)!]
            #expect(pattern.holds(in: node.weights[.kernel]!.values, rows: KernelRows(node, .kernel)!), "\(name)")
        }
    }

    @Test("no calibration samples is an error that says what to give")
    func needsSamples() throws {
        let graph = try Samples.graph("mlp")
        #expect(throws: CompressionError.self) { try OBSPruning.apply(graph, PruningOptions(target: .uniform(0.5)), samples: []) }
    }
}
