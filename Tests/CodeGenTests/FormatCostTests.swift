import Testing
@testable import Topiary
import TopiaryTestSupport

/// `--format auto` with each `--optimize` goal on layers of known shape and sparsity: what it
/// picks, and the rule `balanced` keeps against dense.
@Suite("Format choice by estimated instructions and bytes")
struct FormatCostTests {
    static let rows = 32, length = 288, positions = 64

    static func weights(sparsity: Double) -> [Int8] {
        PackerTests.random(rows: rows, length: length, sparsity: sparsity, seed: 17)
    }

    static func chosen(_ sparsity: Double, _ goal: OptimizationGoal, _ kernel: FormatCost.Kernel) -> PackedRows {
        RowPacker.choose(
            weights(sparsity: sparsity), rows: rows, rowLength: length, choice: .auto, goal: goal, kernel: kernel,
            positions: positions)
    }

    static func cost(_ packed: PackedRows, _ kernel: FormatCost.Kernel) -> Double {
        FormatCost.instructions(packed, kernel: kernel, positions: positions)
    }

    @Test(
        "a half-pruned layer stays dense for speed and balanced, whose bitmask is smaller but slower",
        arguments: [FormatCost.Kernel.dense, .convolution])
    func halfPrunedStaysDense(_ kernel: FormatCost.Kernel) {
        let bitmask = Self.chosen(0.5, .size, kernel)
        let dense = RowPacker.pack(Self.weights(sparsity: 0.5), rows: Self.rows, rowLength: Self.length, as: .dense)
        #expect(bitmask.format == .bitmask)
        #expect(Self.cost(bitmask, kernel) > Self.cost(dense, kernel))
        #expect(Self.chosen(0.5, .speed, kernel).format == .dense)
        #expect(Self.chosen(0.5, .balanced, kernel).format == .dense)
    }

    @Test("a 97%-pruned layer is CSR for every goal: smaller and faster than dense", arguments: [FormatCost.Kernel.dense, .convolution])
    func veryPrunedIsCSR(_ kernel: FormatCost.Kernel) {
        for goal in OptimizationGoal.allCases { #expect(Self.chosen(0.97, goal, kernel).format == .csr, "\(goal)") }
    }

    @Test("speed picks the fewest estimated instructions, size the fewest bytes", arguments: [0.0, 0.3, 0.6, 0.8, 0.9, 0.95])
    func speedAndSizeAreExtremes(_ sparsity: Double) {
        let weights = Self.weights(sparsity: sparsity)
        for kernel in [FormatCost.Kernel.dense, .convolution, .depthwise] {
            let speed = Self.chosen(sparsity, .speed, kernel), size = Self.chosen(sparsity, .size, kernel)
            for format in [SparseFormat.dense, .bitmask, .csr] {
                let packed = RowPacker.pack(weights, rows: Self.rows, rowLength: Self.length, as: format)
                #expect(Self.cost(speed, kernel) <= Self.cost(packed, kernel), "\(kernel) \(sparsity): \(format)")
                #expect(size.bytes <= packed.bytes, "\(kernel) \(sparsity): \(format)")
            }
        }
    }

    @Test(
        "balanced is never estimated slower than dense unless it stores at most a quarter of the dense bytes at most twice as slowly",
        arguments: [0.0, 0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95])
    func balancedRule(_ sparsity: Double) {
        let dense = RowPacker.pack(Self.weights(sparsity: sparsity), rows: Self.rows, rowLength: Self.length, as: .dense)
        for kernel in [FormatCost.Kernel.dense, .convolution, .depthwise] {
            let balanced = Self.chosen(sparsity, .balanced, kernel)
            let slower = Self.cost(balanced, kernel) > Self.cost(dense, kernel)
            if slower {
                #expect(Double(balanced.bytes) <= 0.25 * Double(dense.bytes), "\(kernel) \(sparsity)")
                #expect(Self.cost(balanced, kernel) <= 2 * Self.cost(dense, kernel), "\(kernel) \(sparsity)")
            }
            #expect(balanced.bytes <= dense.bytes)
        }
    }

    @Test("the estimate grows with the positions and with the stored entries")
    func estimateGrows() {
        let sparse = RowPacker.pack(Self.weights(sparsity: 0.9), rows: Self.rows, rowLength: Self.length, as: .csr)
        let denser = RowPacker.pack(Self.weights(sparsity: 0.6), rows: Self.rows, rowLength: Self.length, as: .csr)
        #expect(
            FormatCost.instructions(sparse, kernel: .convolution, positions: 10)
                < FormatCost.instructions(sparse, kernel: .convolution, positions: 20))
        #expect(Self.cost(sparse, .convolution) < Self.cost(denser, .convolution))
    }

    @Test("a forced format ignores the goal")
    func forcedFormat() {
        for goal in OptimizationGoal.allCases {
            let packed = RowPacker.choose(
                Self.weights(sparsity: 0.5), rows: Self.rows, rowLength: Self.length, choice: .csr, goal: goal, kernel: .convolution,
                positions: Self.positions)
            #expect(packed.format == .csr)
        }
    }
}
