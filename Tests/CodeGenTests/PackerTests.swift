import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("Sparse packers")
struct PackerTests {
    static func random(rows: Int, length: Int, sparsity: Double, seed: UInt64) -> [Int8] {
        var generator = SeededGenerator(seed: seed)
        return (0..<(rows * length)).map { _ in
            Double.random(in: 0..<1, using: &generator) < sparsity ? 0 : Int8.random(in: -127...127, using: &generator) | 1
        }
    }

    @Test("every format round-trips", arguments: [0.0, 0.5, 0.9, 0.99])
    func roundTrip(_ sparsity: Double) {
        let weights = Self.random(rows: 7, length: 600, sparsity: sparsity, seed: 3)
        for format in [SparseFormat.dense, .bitmask, .csr] {
            let packed = RowPacker.pack(weights, rows: 7, rowLength: 600, as: format)
            #expect(packed.unpacked() == weights, "\(format)")
            #expect(packed.nonzeros == weights.filter { $0 != 0 }.count)
        }
    }

    @Test("bitmask: bit j % 8 of byte j / 8, least significant first; rows start on a byte")
    func bitmaskOrder() {
        // Row 0: inputs 0, 3 and 9 of 10; row 1: input 8.
        var weights = [Int8](repeating: 0, count: 20)
        weights[0] = 5; weights[3] = -2; weights[9] = 7; weights[10 + 8] = 1
        let packed = RowPacker.pack(weights, rows: 2, rowLength: 10, as: .bitmask)
        #expect(packed.mask == [0b0000_1001, 0b0000_0010, 0, 0b0000_0001])
        #expect(packed.values == [5, -2, 7, 1])
        #expect(packed.bytes == 4 + 4)
    }

    @Test("CSR: per segment of 255 inputs an entry count, then each entry's index in its segment and its value")
    func csrSegments() {
        // One row of 700 (segments 0..<255, 255..<510, 510..<700): nonzeros at 2, 3 and 600.
        var weights = [Int8](repeating: 0, count: 700)
        weights[2] = 9; weights[3] = -9; weights[600] = 4
        let packed = RowPacker.pack(weights, rows: 1, rowLength: 700, as: .csr)
        #expect(packed.counts == [2, 0, 1])
        #expect(packed.indices == [2, 3, 90])
        #expect(packed.values == [9, -9, 4])
        #expect(packed.bytes == 3 + 3 * 2)
        #expect(packed.unpacked() == weights)
        // A segment without a zero still counts its entries in one byte.
        let full = RowPacker.pack([Int8](repeating: 1, count: 300), rows: 1, rowLength: 300, as: .csr)
        #expect(full.counts == [255, 45])
        #expect(full.indices.last == 44)
        // Empty rows have no entries.
        #expect(RowPacker.pack([Int8](repeating: 0, count: 8), rows: 2, rowLength: 4, as: .csr).counts == [0, 0])
    }

    @Test("N:M: n entries per group, 2-bit positions least significant first, zero padding in short groups")
    func nmLayout() {
        // One row of 10 in groups of 4 (4, 4, 2): 2:4.
        let weights: [Int8] = [0, 3, 0, -4, 5, 0, 0, 0, 0, 6]
        #expect(RowPacker.fits(weights, rows: 1, rowLength: 10, .nm(n: 2, m: 4)))
        #expect(!RowPacker.fits(weights, rows: 1, rowLength: 10, .nm(n: 1, m: 4)))
        let packed = RowPacker.pack(weights, rows: 1, rowLength: 10, as: .nm(n: 2, m: 4))
        // Group 0: positions 1, 3; group 1: padding at 0 then 0 (value 5); group 2: padding 0, then 1.
        #expect(packed.values == [3, -4, 0, 5, 0, 6])
        #expect(packed.positions == [0b00_00_11_01, 0b00_00_01_00])
        #expect(packed.unpacked() == weights)
        #expect(packed.bytes == 6 + 2)
    }

    @Test("N:M patterns are detected from the weights")
    func nmDetection() {
        let weights: [Int8] = [1, 0, 2, 0, 0, 3, 0, 4]
        #expect(RowPacker.patterns(weights, rows: 1, rowLength: 8) == [.nm(n: 2, m: 4), .nm(n: 4, m: 8)])
        let fourOfEight: [Int8] = [1, 2, 3, 4, 0, 0, 0, 0]
        #expect(RowPacker.patterns(fourOfEight, rows: 1, rowLength: 8) == [.nm(n: 4, m: 8)])
    }

    @Test("auto for size picks dense when dense, bitmask around half, CSR when very sparse")
    func autoChoice() {
        func chosen(_ sparsity: Double) -> SparseFormat {
            RowPacker.choose(
                Self.random(rows: 32, length: 256, sparsity: sparsity, seed: 11), rows: 32, rowLength: 256, choice: .auto, goal: .size,
                kernel: .dense, positions: 1
            )
            .format
        }
        #expect(chosen(0) == .dense)
        #expect(chosen(0.5) == .bitmask)
        #expect(chosen(0.8) == .bitmask)
        #expect(chosen(0.95) == .csr)
    }

    @Test("auto for size chooses the smallest candidate")
    func smallest() {
        for sparsity in stride(from: 0.0, through: 0.98, by: 0.07) {
            let weights = Self.random(rows: 16, length: 100, sparsity: sparsity, seed: 5)
            let best = RowPacker.choose(weights, rows: 16, rowLength: 100, choice: .auto, goal: .size, kernel: .dense, positions: 1)
            for format in [SparseFormat.dense, .bitmask, .csr] {
                #expect(best.bytes <= RowPacker.pack(weights, rows: 16, rowLength: 100, as: format).bytes)
            }
        }
    }

    @Test("shared multipliers and shifts are stored once")
    func metadataSharing() {
        let layer = QuantizedLayer(
            outputChannels: 3, rowLength: 1, weights: [1, 2, 3], weightScales: [1, 1, 1], bias: [1, 2, 3],
            requantization: Array(repeating: Requantization(multiplier: 1 << 30, shift: -3), count: 3),
            inputZeroPoint: 0, outputZeroPoint: 0, outputMin: -128, outputMax: 127)
        let metadata = ChannelMetadata(layer)
        #expect(metadata.multipliers == [1 << 30])
        #expect(metadata.shifts == [-3])
        #expect(metadata.multiplierStep == 0 && metadata.shiftStep == 0)
        #expect(metadata.bytes == 12 + 4 + 1)
    }
}
