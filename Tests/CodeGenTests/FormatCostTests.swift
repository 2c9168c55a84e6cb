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
        arguments: [FormatCost.Kernel.dense, .convolution(taps: 9)])
    func halfPrunedStaysDense(_ kernel: FormatCost.Kernel) {
        let bitmask = Self.chosen(0.5, .size, kernel)
        let dense = RowPacker.pack(Self.weights(sparsity: 0.5), rows: Self.rows, rowLength: Self.length, as: .dense)
        #expect(bitmask.format == .bitmask)
        #expect(Self.cost(bitmask, kernel) > Self.cost(dense, kernel))
        #expect(Self.chosen(0.5, .speed, kernel).format == .dense)
        #expect(Self.chosen(0.5, .balanced, kernel).format == .dense)
    }

    @Test(
        "a 97%-pruned layer is CSR for every goal: smaller and faster than dense",
        arguments: [FormatCost.Kernel.dense, .convolution(taps: 9)])
    func veryPrunedIsCSR(_ kernel: FormatCost.Kernel) {
        for goal in OptimizationGoal.allCases { #expect(Self.chosen(0.97, goal, kernel).format == .csr, "\(goal)") }
    }

    @Test(
        "an 85%-pruned layer is CSR for speed and balanced (fewer instructions and bytes than dense), bitmask for size",
        arguments: [FormatCost.Kernel.dense, .convolution(taps: 9)])
    func mostlyPrunedIsCSR(_ kernel: FormatCost.Kernel) {
        let dense = RowPacker.pack(Self.weights(sparsity: 0.85), rows: Self.rows, rowLength: Self.length, as: .dense)
        let balanced = Self.chosen(0.85, .balanced, kernel)
        #expect(balanced.format == .csr)
        #expect(Self.cost(balanced, kernel) < Self.cost(dense, kernel) && balanced.bytes < dense.bytes)
        #expect(Self.chosen(0.85, .speed, kernel).format == .csr)
        #expect(Self.chosen(0.85, .size, kernel).format == .bitmask)
    }

    @Test("a 1x1 convolution's CSR rows read each position's input in place; a 3x3 one pays for gathering its window")
    func pointwiseReadsInPlace() {
        let weights = PackerTests.random(rows: 64, length: 64, sparsity: 0.9, seed: 13)
        let csr = RowPacker.pack(weights, rows: 64, rowLength: 64, as: .csr)
        let k = FormatCost.constants(.convolution(taps: 1))
        #expect(
            FormatCost.instructions(csr, kernel: .convolution(taps: 1), positions: 1)
                == Double(csr.values.count) * k.csrEntry + 64 * k.csrChannel)
        #expect(
            FormatCost.instructions(csr, kernel: .convolution(taps: 9), positions: 1)
                == Double(csr.values.count) * k.csrEntry + 64 * k.csrWindow + 9 * k.csrTap + 64 * k.csrChannel)
    }

    @Test(
        "a pointwise convolution's CSR rows cost per computed position: four per pass, the last pass ending on the last position, a pass per position below four"
    )
    func pointwiseRowsRunFourPositionsPerPass() {
        // Dense rows cost what they cost in any one-group convolution.
        #expect(
            FormatCost.instructions(Self.pointwiseRows(.dense), kernel: Self.pointwise, positions: 125)
                == FormatCost.instructions(Self.pointwiseRows(.dense), kernel: .convolution(taps: 1), positions: 125))
        let csr = Self.pointwiseRows(.csr), k = FormatCost.constants(Self.pointwise)
        for (positions, computed) in [(125, 128), (124, 124), (2, 8)] {
            #expect(
                FormatCost.instructions(csr, kernel: Self.pointwise, positions: positions)
                    == Double(computed) * (Double(csr.values.count) * k.csrEntry + 64 * k.csrWindow + 64 * k.csrChannel))
        }
    }

    /// A 1x1 convolution's cost kernel: one run of input bytes per patch, none staged.
    static let pointwise = FormatCost.Kernel.pointwise(kernelRows: 1, stagedRows: 0)

    /// 64 rows of 64 weights at 90% sparsity, packed as `format`.
    static func pointwiseRows(_ format: SparseFormat) -> PackedRows {
        RowPacker.pack(PackerTests.random(rows: 64, length: 64, sparsity: 0.9, seed: 13), rows: 64, rowLength: 64, as: format)
    }

    @Test(
        "the keyword-spotting network's 1x1 layers (64 filters of 64 inputs over 125 positions) take CSR rows at 80% for speed and balanced: four positions per pass run them faster than dense"
    )
    func pointwiseTakesCsrAtEightyPercent() {
        let weights = PackerTests.random(rows: 64, length: 64, sparsity: 0.8, seed: 17)
        let dense = RowPacker.pack(weights, rows: 64, rowLength: 64, as: .dense)
        for goal in [OptimizationGoal.speed, .balanced] {
            let chosen = RowPacker.choose(
                weights, rows: 64, rowLength: 64, choice: .auto, goal: goal, kernel: Self.pointwise, positions: 125)
            #expect(chosen.format == .csr, "\(goal)")
            #expect(
                FormatCost.instructions(chosen, kernel: Self.pointwise, positions: 125)
                    < FormatCost.instructions(dense, kernel: Self.pointwise, positions: 125))
        }
    }

    @Test(
        "the visual wake words model's first convolution (8 filters of 3x3x3 over 2,304 positions, 191 of whose patch rows cross the padding) takes CSR rows over patches at 95% for speed and balanced, and stays dense at 50%"
    )
    func narrowWindowTakesPatchRowsWhenSparse() {
        let kernel = FormatCost.Kernel.pointwise(kernelRows: 3, stagedRows: 191.0 / 2304)
        for (sparsity, format) in [(0.95, SparseFormat.csr), (0.5, .dense)] {
            let weights = PackerTests.random(rows: 8, length: 27, sparsity: sparsity, seed: 15)
            for goal in [OptimizationGoal.speed, .balanced] {
                let chosen = RowPacker.choose(weights, rows: 8, rowLength: 27, choice: .auto, goal: goal, kernel: kernel, positions: 2304)
                #expect(chosen.format == format, "\(sparsity), \(goal)")
            }
        }
    }

    @Test(
        "the keyword-spotting network's first convolution (64 filters of 10x4 over one channel, 125 positions) takes CSR rows over patches at 90% and 80% for speed and balanced; each kernel row and staged row adds its cost"
    )
    func wideWindowTakesPatchRows() {
        let kernel = FormatCost.Kernel.pointwise(kernelRows: 10, stagedRows: 542.0 / 125)
        for sparsity in [0.9, 0.8] {
            let weights = PackerTests.random(rows: 64, length: 40, sparsity: sparsity, seed: 19)
            for goal in [OptimizationGoal.speed, .balanced] {
                let chosen = RowPacker.choose(weights, rows: 64, rowLength: 40, choice: .auto, goal: goal, kernel: kernel, positions: 125)
                #expect(chosen.format == .csr, "\(sparsity), \(goal)")
            }
        }
        let csr = RowPacker.pack(PackerTests.random(rows: 64, length: 40, sparsity: 0.9, seed: 19), rows: 64, rowLength: 40, as: .csr)
        let k = FormatCost.constants(kernel)
        #expect(
            FormatCost.instructions(csr, kernel: kernel, positions: 125)
                == 128
                * (Double(csr.values.count) * k.csrEntry + 40 * k.csrWindow + 64 * k.csrChannel + 9 * k.csrKernelRow + 542.0 / 125
                    * k.csrStagedRow))
    }

    @Test("balanced takes the faster of two packings whose bytes differ by less than a sixteenth of the dense bytes")
    func balancedPrefersTheFasterOfNearlyEqualSizes() {
        // The digits MLP's last layer at 90%: a bitmask and CSR of about the same bytes.
        let weights = PackerTests.random(rows: 10, length: 128, sparsity: 0.9, seed: 3)
        let dense = RowPacker.pack(weights, rows: 10, rowLength: 128, as: .dense)
        let csr = RowPacker.pack(weights, rows: 10, rowLength: 128, as: .csr)
        let bitmask = RowPacker.pack(weights, rows: 10, rowLength: 128, as: .bitmask)
        #expect(abs(csr.bytes - bitmask.bytes) * 16 < dense.bytes)
        #expect(FormatCost.instructions(csr, kernel: .dense, positions: 1) < FormatCost.instructions(bitmask, kernel: .dense, positions: 1))
        let chosen = RowPacker.choose(weights, rows: 10, rowLength: 128, choice: .auto, goal: .balanced, kernel: .dense, positions: 1)
        #expect(chosen.format == .csr)
    }

    @Test(
        "a 3x3 depthwise layer of 64 channels is CSR at 90% for every goal, its nonzero taps run channel by channel, and dense at 0%",
        arguments: [OptimizationGoal.speed, .balanced, .size])
    func depthwiseIsCsrWhenPruned(_ goal: OptimizationGoal) {
        func chosen(_ sparsity: Double) -> SparseFormat {
            let weights = PackerTests.random(rows: 64, length: 9, sparsity: sparsity, seed: 5)
            return RowPacker.choose(weights, rows: 64, rowLength: 9, choice: .auto, goal: goal, kernel: .depthwise, positions: 125).format
        }
        #expect(chosen(0.9) == .csr)
        #expect(chosen(0) == .dense)
    }

    @Test("speed picks the fewest estimated instructions, size the fewest bytes", arguments: [0.0, 0.3, 0.6, 0.8, 0.9, 0.95])
    func speedAndSizeAreExtremes(_ sparsity: Double) {
        let weights = Self.weights(sparsity: sparsity)
        for kernel in [FormatCost.Kernel.dense, .convolution(taps: 9), .depthwise] {
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
        for kernel in [FormatCost.Kernel.dense, .convolution(taps: 9), .depthwise] {
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
            FormatCost.instructions(sparse, kernel: .convolution(taps: 9), positions: 10)
                < FormatCost.instructions(sparse, kernel: .convolution(taps: 9), positions: 20))
        #expect(Self.cost(sparse, .convolution(taps: 9)) < Self.cost(denser, .convolution(taps: 9)))
    }

    @Test(
        "CSR Dense rows of several segments cost their entries as rows of one segment do, and each segment after the first on top of the row, and a 90%-pruned wide layer is still CSR for speed and balanced"
    )
    func segmentedRowsCostMoreAndStayCSR() {
        // The MLPerf Tiny autoencoder's first layer: 640 inputs (three segments) into 128 units.
        let weights = PackerTests.random(rows: 128, length: 640, sparsity: 0.9, seed: 9)
        let csr = RowPacker.pack(weights, rows: 128, rowLength: 640, as: .csr)
        let k = FormatCost.constants(.dense)
        let rows = 128 * (k.csrChannel + 2 * k.csrSegment)
        #expect(FormatCost.instructions(csr, kernel: .dense, positions: 1) == Double(csr.values.count) * k.csrEntry + rows)
        // Each segment after the first enters the entry loop on its own.
        #expect(k.csrSegment > 0)
        for goal in [OptimizationGoal.speed, .balanced] {
            let chosen = RowPacker.choose(weights, rows: 128, rowLength: 640, choice: .auto, goal: goal, kernel: .dense, positions: 1)
            #expect(chosen.format == .csr, "\(goal)")
        }
        // Convolution rows gather their window instead: no per-segment term.
        #expect(FormatCost.constants(.convolution(taps: 9)).csrSegment == 0)
    }

    @Test(
        "the digits MLP's 64x64 layer is CSR for every goal at 90% (under half of dense's estimated instructions) and dense for speed at 50%"
    )
    func digitsLayerChoice() {
        let pruned = PackerTests.random(rows: 64, length: 64, sparsity: 0.9, seed: 11)
        let dense = RowPacker.pack(pruned, rows: 64, rowLength: 64, as: .dense)
        for goal in OptimizationGoal.allCases {
            let chosen = RowPacker.choose(pruned, rows: 64, rowLength: 64, choice: .auto, goal: goal, kernel: .dense, positions: 1)
            #expect(chosen.format == .csr, "\(goal)")
            #expect(
                2 * FormatCost.instructions(chosen, kernel: .dense, positions: 1)
                    < FormatCost.instructions(dense, kernel: .dense, positions: 1))
        }
        // Half the weights: CSR's entries and rows cost more than the dense product.
        let half = PackerTests.random(rows: 64, length: 64, sparsity: 0.5, seed: 11)
        let speed = RowPacker.choose(half, rows: 64, rowLength: 64, choice: .auto, goal: .speed, kernel: .dense, positions: 1)
        #expect(speed.format == .dense)
    }

    @Test("a forced format ignores the goal")
    func forcedFormat() {
        for goal in OptimizationGoal.allCases {
            let packed = RowPacker.choose(
                Self.weights(sparsity: 0.5), rows: Self.rows, rowLength: Self.length, choice: .csr, goal: goal,
                kernel: .convolution(taps: 9),
                positions: Self.positions)
            #expect(packed.format == .csr)
        }
    }
}
