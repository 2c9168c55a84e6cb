import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// `--prune-scope global` never empties a layer or an output channel, whatever the scales.
@Suite struct GlobalRankingTests {
    /// A small-weight layer `a` (|w| ≤ 0.01) before a large-weight one `b`, whose plain global
    /// ranking at 90% would take all of `a`.
    static func smallThenLarge() throws -> Graph {
        try HandMadeGraphs.smallThenLarge([16, 8, 10], smallScale: 0.01, seeds: (3, 4))
    }

    @Test("at 90% global the small layer keeps a weight in every channel and at least 5%, the total is still 90%")
    func capBinds() throws {
        let graph = try Self.smallThenLarge()
        let options = PruningOptions(target: .uniform(0.9), scope: .global)
        let pruned = try MagnitudePruning.apply(graph, options)
        let a = pruned.nodes[1].weights[.kernel]!, b = pruned.nodes[2].weights[.kernel]!
        // 208 weights, 187 go. `a` may lose floor(0.95 · 128) = 121 by the layer cap, but only
        // 128 − 8 = 120 keeping one weight in each of its 8 channels; `b` loses the rest.
        #expect(zeroCount(a) + zeroCount(b) == 187)
        #expect(zeroCount(a) == 120)
        for (kernel, rows) in [(a, KernelRows(channels: 8, rowLength: 16)), (b, KernelRows(channels: 10, rowLength: 8))] {
            for c in 0..<rows.channels {
                let kept = (0..<rows.rowLength).filter { kernel.values[rows.index(channel: c, position: $0)] != 0 }
                #expect(!kept.isEmpty, "channel \(c) of a \(kernel.shape) kernel lost every weight")
            }
        }
        let caps = MagnitudePruning.globalRankingCaps(graph, options)
        #expect(caps == [GlobalRankingCap(layer: "a", sparsity: 120.0 / 128, uncapped: 1)])
        #expect(caps[0].description == "'a' lost 93.75% (global ranking of |w| would take 100%)")
    }

    @Test("OBS under global scope gets the same capped per-layer counts")
    func obsTakesCappedCounts() throws {
        let graph = try Self.smallThenLarge()
        let samples = (0..<40).map { s in [randomTensor([16], seed: 100 + UInt64(s))] }
        let pruned = try OBSPruning.apply(graph, PruningOptions(target: .uniform(0.9), scope: .global), samples: samples)
        #expect(zeroCount(pruned.nodes[1].weights[.kernel]) == 120)
        #expect(zeroCount(pruned.nodes[2].weights[.kernel]) == 67)
    }

    @Test("when no layer needs it, nothing is capped and nothing is reported")
    func capIdle() throws {
        let graph = try MagnitudePruningTests.twoLayers()
        let options = PruningOptions(target: .uniform(0.3), scope: .global)
        #expect(MagnitudePruning.globalRankingCaps(graph, options).isEmpty)
        #expect(MagnitudePruning.globalRankingCaps(graph, PruningOptions(target: .uniform(0.9))).isEmpty)
    }
}
