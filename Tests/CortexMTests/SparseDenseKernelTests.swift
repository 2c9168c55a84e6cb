import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// CSR Dense rows whose inputs span several segments of 255, some segments of some rows
/// empty, sharing one shift (which keeps `tp_dense_csr_s8`), then a softmax, compiled for the
/// Cortex-M4 (DSP bodies) and the Cortex-M0+ (portable bodies) and called through the float
/// entry point: each output must equal the Swift integer reference bit for bit.
@Suite(.needsEmulator)
struct SparseDenseKernelTests {
    /// 600 inputs (segments of 255, 255 and 90) into 9 units keeping one weight in 7; units
    /// 0 and 4 keep nothing in the second segment, unit 8 nothing in the first. Then 9 → 6
    /// with softmax.
    static func graph() -> Graph {
        var kernel = randomTensor([600, 9], in: -1...1, seed: 21)
        for input in 0..<600 {
            for unit in 0..<9 {
                let emptySegment = ((unit == 0 || unit == 4) && (255..<510).contains(input)) || (unit == 8 && input < 255)
                if emptySegment || (input * 9 + unit) % 7 != 0 { kernel.values[input * 9 + unit] = 0 }
            }
        }
        var g = GraphBuilder()
        g.input([600], name: "features")
        try! g.dense(kernel, bias: randomTensor([9], seed: 22), activation: .plainRelu, name: "wide")
        try! g.dense(randomTensor([9, 6], seed: 23), bias: randomTensor([6], seed: 24), activation: .softmax(axis: -1), name: "classes")
        return g.graph()
    }

    /// 12 inputs in pairs nearly equal on the data (input `2k + 1` is input `2k` plus noise of
    /// a thousandth) into 6 units, each the difference of one pair: the outputs span a range
    /// so small against the inputs and weights that every channel's scale ratio is above a
    /// quarter, its shift above -2, which the short output stage cannot take. A second layer
    /// of ordinary scale follows.
    static func cancellingGraph() -> Graph {
        var kernel = Tensor(shape: [12, 6], values: [Float](repeating: 0, count: 72))
        for unit in 0..<6 {
            kernel.values[(2 * unit) * 6 + unit] = 0.5 + 0.1 * Float(unit)
            kernel.values[(2 * unit + 1) * 6 + unit] = -(0.5 + 0.1 * Float(unit))
        }
        var g = GraphBuilder()
        g.input([12], name: "pairs")
        try! g.dense(kernel, bias: Tensor(shape: [6], values: [Float](repeating: 0, count: 6)), activation: .linear, name: "differences")
        try! g.dense(randomTensor([6, 5], seed: 27), bias: randomTensor([5], seed: 28), activation: .plainRelu, name: "mixed")
        return g.graph()
    }

    /// The pairs of `cancellingGraph`: 8 samples of 6 values in -2...2, each followed by itself
    /// plus noise of a thousandth.
    static func nearlyEqualPairs() -> NDArray {
        let base = randomTensor([8, 6], in: -2...2, seed: 29), noise = randomTensor([8, 6], in: -0.001...0.001, seed: 30)
        var values: [Float] = []
        for sample in 0..<8 {
            for pair in 0..<6 {
                let x = base.values[sample * 6 + pair]
                values += [x, x + noise.values[sample * 6 + pair]]
            }
        }
        return NDArray(shape: [8, 12], values: values)
    }

    static let networks = [
        EmulatedInt8Case(
            "CSR Dense rows over several segments, empty segments included, and the int8 softmax",
            graph: { graph() }, inputs: { randomSamples([8, 600], in: -3...3, seed: 25) }, format: .csr, limit: 6,
            expectSource: { #expect($0.contains("tp_dense_csr_s8") && $0.contains("tp_softmax_s8")) }),
        EmulatedInt8Case(
            "CSR Dense rows whose shift is above -2 keep tp_requantize: their layer is not folded",
            graph: { cancellingGraph() }, inputs: { nearlyEqualPairs() }, format: .csr, limit: 8,
            expectSource: { source in
                // Each row's entry count, then -shift-2 as a byte (tp_dense_csr_table_s8).
                let heads = try Regex(#"differences_heads\[\d+\][^=]*= \{([^}]*)\}"#, as: (Substring, Substring).self)
                let declared = try #require(source.firstMatch(of: heads), "no row heads of the first layer in the generated C")
                let bytes = declared.1.split(separator: ",").compactMap { UInt8($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                let shiftValues = stride(from: 1, to: bytes.count, by: 2).map { -Int(Int8(bitPattern: bytes[$0])) - 2 }
                #expect(!shiftValues.isEmpty && shiftValues.allSatisfy { $0 > -2 }, "shifts \(shiftValues)")
                #expect(source.contains(".folded = 0"))
            }),
    ]

    @Test(
        "each network is bit-exact with and without the DSP extension",
        arguments: networks, CortexMTarget.withAndWithoutDSP)
    func isBitExact(_ network: EmulatedInt8Case, on target: CortexMTarget) throws {
        try network.expectBitExact(on: target)
    }
}
