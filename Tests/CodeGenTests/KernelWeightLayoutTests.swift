import Testing

@testable import Topiary

/// The orders in which `tp_dense_s8` and `tp_depthwise_conv2d_s8` read dense weights: each
/// is a reordering of the rows (no weight lost or repeated, flash unchanged) with the bytes
/// where the C reads them. Weight `(row, column)` is numbered `100 * row + column`.
@Suite("Kernel weight layouts")
struct KernelWeightLayoutTests {
    static func rows(_ count: Int, _ length: Int) -> [Int] {
        (0..<count).flatMap { r in (0..<length).map { 100 * r + $0 } }
    }

    @Test("Dense: per group of four inputs the words of four units, then their last inputs, then the units after the blocks")
    func denseBlocksOfFourUnits() {
        let layout = KernelWeightLayout.dense(Self.rows(5, 6), units: 5, inputs: 6)
        #expect(layout.sorted() == Self.rows(5, 6).sorted())
        #expect(Array(layout[0..<16]) == [0, 1, 2, 3, 100, 101, 102, 103, 200, 201, 202, 203, 300, 301, 302, 303])
        #expect(Array(layout[16..<24]) == [4, 5, 104, 105, 204, 205, 304, 305])
        #expect(Array(layout[24...]) == [400, 401, 402, 403, 404, 405])
    }

    @Test("depthwise: per pair of taps the words of channel pairs, an odd last tap across four channels, then the remainder rows")
    func depthwiseTapPairs() {
        let layout = KernelWeightLayout.depthwise(Self.rows(5, 3), channels: 5, taps: 3)
        #expect(layout.sorted() == Self.rows(5, 3).sorted())
        #expect(Array(layout[0..<8]) == [0, 100, 1, 101, 200, 300, 201, 301])
        #expect(Array(layout[8..<12]) == [2, 102, 202, 302])
        #expect(Array(layout[12...]) == [400, 401, 402])
    }
}
