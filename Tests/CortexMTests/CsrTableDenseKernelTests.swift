import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// CSR Dense rows of one segment with their row data tabled (`tp_dense_csr_table_s8`): rows of
/// every length modulo four (the unrolled entry loop is entered at each of its four places),
/// empty rows, rows of one entry, an odd number of units, several input vectors, a narrowed
/// clamp and a shift above -2 (the general output stage), and rows longer than 255 inputs
/// sharing one shift beside them, which keep `tp_dense_csr_s8` (`WideCsrTableTests` runs wide
/// rows of a shift each through the table). Compiled for the Cortex-M4 (DSP bodies) and the
/// Cortex-M0+ (portable bodies) and called through the float entry point: each output must
/// equal the Swift integer reference bit for bit.
@Suite(.needsEmulator)
struct CsrTableDenseKernelTests {
    /// Entries kept by each of the 13 units of `unevenGraph`'s first layer: 0 to 9, then one,
    /// none and 13.
    static let entriesPerUnit = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 0, 13]

    /// A kernel `[inputs, units]` of seeded values in which unit `u` keeps `entries[u]` weights,
    /// at inputs `(7u + 3k) % inputs`.
    static func kernel(inputs: Int, entries: [Int], seed: UInt64) -> Tensor {
        let units = entries.count
        var kernel = randomTensor([inputs, units], in: 0.2...1, seed: seed)
        var kept = Set<Int>()
        for unit in 0..<units {
            for k in 0..<entries[unit] { kept.insert(((7 * unit + 3 * k) % inputs) * units + unit) }
        }
        for i in kernel.values.indices where !kept.contains(i) { kernel.values[i] = 0 }
        // Alternate signs, so that sums cancel as well as add.
        for i in kernel.values.indices where i % 3 == 1 { kernel.values[i] = -kernel.values[i] }
        return kernel
    }

    /// 40 inputs into 13 uneven rows with ReLU (`entriesPerUnit`), then 13 → 7 ("clamped",
    /// its clamp narrowed after quantization) and 7 → 5 ("general_scale", one shift set to
    /// -1), each unit of those keeping three to six weights. `vectors` input vectors of 40
    /// make each layer run its rows that many times.
    static func unevenGraph(vectors: Int) throws -> Graph {
        var g = GraphBuilder()
        g.input(vectors == 1 ? [40] : [vectors, 40], name: "features")
        try g.dense(
            kernel(inputs: 40, entries: entriesPerUnit, seed: 41), bias: randomTensor([13], seed: 42), activation: .plainRelu,
            name: "uneven")
        try g.dense(
            kernel(inputs: 13, entries: [3, 4, 5, 6, 3, 4, 5], seed: 43), bias: randomTensor([7], seed: 44), activation: .plainRelu,
            name: "clamped")
        try g.dense(kernel(inputs: 7, entries: [3, 4, 5, 6, 3], seed: 45), bias: randomTensor([5], seed: 46), name: "general_scale")
        return g.graph()
    }

    /// `unevenGraph`'s quantization with "clamped" clamped inside the int8 range and one
    /// channel of "general_scale" at shift -1, after checking that "uneven" takes the short
    /// output stage.
    static func alterStages(_ quantized: Graph) throws -> Graph {
        try BlockedKernelTests.keepingGeneralStages(quantized, besideShortStages: ["uneven"], shiftedChannel: 1)
    }

    /// 300 inputs (two segments) into 6 units keeping one weight in 5, then 6 → 4: the first
    /// layer, whose rows quantize to one shift (-8), keeps `tp_dense_csr_s8`, the second takes
    /// the table.
    static func longRowsGraph() throws -> Graph {
        var wide = randomTensor([300, 6], seed: 47)
        for i in wide.values.indices where i % 5 != 0 { wide.values[i] = 0 }
        var g = GraphBuilder()
        g.input([300], name: "long")
        try g.dense(wide, bias: randomTensor([6], seed: 48), activation: .plainRelu, name: "wide")
        try g.dense(kernel(inputs: 6, entries: [2, 3, 1, 4], seed: 49), bias: randomTensor([4], seed: 50), name: "narrow")
        return g.graph()
    }

    /// The number of calls of `kernel` in `source`.
    static func calls(of kernel: String, in source: String) -> Int {
        source.components(separatedBy: kernel + "(&").count - 1
    }

    static let networks = [
        EmulatedInt8Case(
            "rows of 0 to 13 entries, 13 units, a narrowed clamp and a shift above -2",
            graph: { try unevenGraph(vectors: 1) }, inputs: { randomSamples([8, 40], in: -2...2, seed: 51) }, format: .csr, limit: 8,
            alter: alterStages,
            expectSource: { source in
                #expect(calls(of: "tp_dense_csr_table_s8", in: source) == 3 && calls(of: "tp_dense_csr_s8", in: source) == 0)
            }),
        EmulatedInt8Case(
            "the same rows over three input vectors at once",
            graph: { try unevenGraph(vectors: 3) }, inputs: { randomSamples([6, 3, 40], in: -2...2, seed: 52) }, format: .csr,
            limit: 4, alter: alterStages,
            expectSource: { source in #expect(source.contains(".rows = 3") && calls(of: "tp_dense_csr_table_s8", in: source) == 3) }),
        EmulatedInt8Case(
            "rows longer than 255 inputs keep the segmented kernel beside the table",
            graph: { try longRowsGraph() }, inputs: { randomSamples([6, 300], in: -2...2, seed: 53) }, format: .csr, limit: 6,
            expectSource: { source in
                #expect(calls(of: "tp_dense_csr_s8", in: source) == 1 && calls(of: "tp_dense_csr_table_s8", in: source) == 1)
            }),
    ]

    @Test(
        "CSR rows with tabled row data are bit-exact with and without the DSP extension",
        arguments: networks, CortexMTarget.withAndWithoutDSP)
    func isBitExact(_ network: EmulatedInt8Case, on target: CortexMTarget) throws {
        try network.expectBitExact(on: target)
    }

    @Test(
        "the row table holds each row's bias and multiplier, then its entry count and -shift-2, in the bytes of the arrays it replaces"
    )
    func tableHoldsTheRowData() throws {
        let samples = randomSamples([8, 40], in: -2...2, seed: 51)
        let quantized = try quantizedInt8(try Self.unevenGraph(vectors: 1), calibratedOn: samples)
        let model = try CodeGenerator(options: ConversionOptions(format: .csr)).generate(quantized)
        let index = try #require(quantized.index(named: "uneven"))
        guard case let .weighted(layer) = quantized.nodes[index].quantization?.arithmetic else {
            Issue.record("uneven is not a weighted int8 layer")
            return
        }
        func declared(_ array: String) throws -> [Int64] {
            let pattern = try Regex(array + #"\[\d+\][^=]*= \{([^}]*)\}"#, as: (Substring, Substring).self)
            let match = try #require(model.source.firstMatch(of: pattern), "no \(array) in the generated C")
            return match.1.split(separator: ",").compactMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let heads = try declared("uneven_heads"), constants = try declared("uneven_row_constants")
        #expect(stride(from: 0, to: heads.count, by: 2).map { Int(heads[$0]) } == Self.entriesPerUnit)
        #expect(
            stride(from: 1, to: heads.count, by: 2).map { -Int32(Int8(truncatingIfNeeded: heads[$0])) - 2 }
                == layer.requantization.map(\.shift))
        #expect(stride(from: 0, to: constants.count, by: 2).map { Int32(constants[$0]) } == layer.bias)
        #expect(stride(from: 1, to: constants.count, by: 2).map { Int32(constants[$0]) } == layer.requantization.map(\.multiplier))
        #expect(!model.source.contains("uneven_multiplier") && !model.source.contains("uneven_shift["))
    }
}
