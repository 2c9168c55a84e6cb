import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// CSR Dense rows of more than 255 inputs with their row data tabled (`tp_dense_csr_table_s8`
/// over several segments per row): 256 inputs (a second segment of one input), 300 and 640
/// (three segments, the last of 130), rows of no entries, rows whose entries all sit in the
/// last segment, entries on both sides of each segment boundary (inputs 254 and 255, 509 and
/// 510), rows of every length modulo eight across the segments, through the folded output
/// stage after a ReLU (zero point -128) and for another zero point, and through the general
/// stage. A layer whose rows share one shift keeps `tp_dense_csr_s8`. Compiled for the
/// Cortex-M4 (DSP bodies), the Cortex-M3 (Thumb-2 without it) and the Cortex-M0+ (portable
/// bodies): each output must equal the Swift integer reference bit for bit.
@Suite(.needsEmulator)
struct WideCsrTableTests {
    /// The inputs each of 15 units reads from `inputs`, in order: none; up to five in the last
    /// segment only; both sides of every segment boundary; the first input of the second
    /// segment alone; the first and last of the first segment; then 1 to 9 inputs and 40,
    /// spread over every segment; and three.
    static func rows(inputs: Int) -> [[Int]] {
        let segment = 255, last = (inputs - 1) / segment * segment
        let boundaries = stride(from: segment, to: inputs, by: segment).flatMap { [$0 - 1, $0] }
        func spread(_ unit: Int, _ count: Int) -> [Int] { (0..<count).map { (7 * unit + 37 * $0) % inputs }.sorted() }
        let lastOnly = Set((0..<5).map { last + ($0 * 29) % (inputs - last) }).sorted()
        return [[], lastOnly, boundaries, [segment], [0, segment - 1]] + (1...9).map { spread($0 + 4, $0) }
            + [spread(14, 40), spread(15, 3)]
    }

    /// A kernel `[inputs, units]` whose unit `u` keeps the weights of the inputs `rows[u]`,
    /// seeded values of 0.2 to 1 in magnitude (none rounds to zero), every third negative.
    static func kernel(inputs: Int, rows: [[Int]], seed: UInt64) -> Tensor {
        let units = rows.count
        var kernel = randomTensor([inputs, units], in: 0.2...1, seed: seed)
        let kept = Set(rows.enumerated().flatMap { unit, inputs in inputs.map { $0 * units + unit } })
        for i in kernel.values.indices where !kept.contains(i) { kernel.values[i] = 0 }
        for i in kernel.values.indices where i % 3 == 1 { kernel.values[i] = -kernel.values[i] }
        return kernel
    }

    /// `inputs` inputs into the 15 rows of `rows(inputs:)` with `activation`, then 15 → 4.
    static func graph(inputs: Int, activation: Activation) throws -> Graph {
        let wide = rows(inputs: inputs)
        var g = GraphBuilder()
        g.input([inputs], name: "features")
        try g.dense(
            kernel(inputs: inputs, rows: wide, seed: 71), bias: randomTensor([wide.count], seed: 72), activation: activation,
            name: "wide")
        try g.dense(
            CsrTableDenseKernelTests.kernel(inputs: wide.count, entries: [3, 5, 2, 4], seed: 73), bias: randomTensor([4], seed: 74),
            name: "narrow")
        return g.graph()
    }

    /// The output stage the wide layer takes.
    enum Stage: String, Sendable {
        /// Folded, after a ReLU.
        case positive = "the folded output stage after a ReLU"
        /// Folded, for a zero point other than -128.
        case signed = "the folded output stage of a signed zero point"
        /// One row's shift at -1: the general stage.
        case general = "the general output stage"
        /// One shift for every row: `tp_dense_csr_s8`'s segmented rows.
        case sharedShift = "one shift for every row"
    }

    /// The quantized graph with the wide layer's stage made `stage`, after checking that its
    /// rows are within the folded stage's reach.
    static func alter(_ quantized: Graph, to stage: Stage) throws -> Graph {
        let checked = try BlockedKernelTests.altering(quantized, "wide") { layer in
            #expect(layer.requantization.allSatisfy { (-23 ... -2).contains($0.shift) })
            #expect(layer.outputMin == -128 && layer.outputMax == 127)
            #expect((layer.outputZeroPoint == -128) == (stage == .positive))
        }
        switch stage {
        case .positive, .signed: return checked
        case .general: return try BlockedKernelTests.altering(checked, "wide") { layer in layer.requantization[6].shift = -1 }
        case .sharedShift:
            return try BlockedKernelTests.altering(checked, "wide") { layer in
                let shift = layer.requantization[0].shift
                for row in layer.requantization.indices { layer.requantization[row].shift = shift }
            }
        }
    }

    static func network(inputs: Int, stage: Stage) -> EmulatedInt8Case {
        EmulatedInt8Case(
            "\(inputs) inputs through \(stage.rawValue)",
            graph: { try graph(inputs: inputs, activation: stage == .positive ? .plainRelu : .linear) },
            inputs: { randomSamples([8, inputs], in: -2...2, seed: 75) }, format: .csr, limit: 4,
            alter: { try alter($0, to: stage) },
            expectSource: { source in
                // The narrow layer's rows may share a shift, which keeps `tp_dense_csr_s8`: only
                // the wide layer's call is checked.
                func calls(_ kernel: String) -> Int { source.components(separatedBy: kernel + "(&wide_params").count - 1 }
                let table = calls("tp_dense_csr_table_s8"), segmented = calls("tp_dense_csr_s8")
                #expect((table, segmented) == (stage == .sharedShift ? (0, 1) : (1, 0)))
                #expect(source.contains(".input_width = \(inputs),"))
                if stage != .sharedShift {
                    let folded = try Regex(#"wide_params = \{[^}]*\.folded = (\d)"#, as: (Substring, Substring).self)
                    let match = try #require(source.firstMatch(of: folded), "no tabled parameters of the wide layer")
                    #expect(match.1 == (stage == .general ? "0" : "1"))
                }
            })
    }

    static let networks =
        [256, 300, 640].flatMap { inputs in [Stage.positive, .signed, .general].map { network(inputs: inputs, stage: $0) } }
        + [network(inputs: 300, stage: .sharedShift)]

    @Test(
        "CSR table rows of several segments are bit-exact with the Swift reference, with and without the DSP extension",
        arguments: networks, [CortexMTarget.cortexM4, .cortexM3, .cortexM0plus])
    func isBitExact(_ network: EmulatedInt8Case, on target: CortexMTarget) throws {
        try network.expectBitExact(on: target)
    }

    @Test("the heads of a row of several segments hold each segment's entry count, then -shift-2")
    func headsHoldEachSegmentsCount() throws {
        let samples = randomSamples([8, 640], in: -2...2, seed: 75)
        let quantized = try quantizedInt8(try Self.graph(inputs: 640, activation: .plainRelu), calibratedOn: samples)
        let model = try CodeGenerator(options: ConversionOptions(format: .csr)).generate(quantized)
        let index = try #require(quantized.index(named: "wide"))
        guard case let .weighted(layer) = quantized.nodes[index].quantization?.arithmetic else {
            Issue.record("wide is not a weighted int8 layer")
            return
        }
        let pattern = try Regex(#"wide_heads\[\d+\][^=]*= \{([^}]*)\}"#, as: (Substring, Substring).self)
        let match = try #require(model.source.firstMatch(of: pattern), "no wide_heads in the generated C")
        let heads = match.1.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let rows = Self.rows(inputs: 640)
        let counts = rows.map { inputs in (0..<3).map { segment in inputs.filter { $0 / 255 == segment }.count } }
        #expect(heads.count == 4 * rows.count)
        #expect(stride(from: 0, to: heads.count, by: 4).map { Array(heads[$0..<$0 + 3]) } == counts)
        #expect(
            stride(from: 3, to: heads.count, by: 4).map { -Int32(Int8(truncatingIfNeeded: heads[$0])) - 2 }
                == layer.requantization.map(\.shift))
    }
}
