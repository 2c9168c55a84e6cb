import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// The folded output stage of `tp_dense_csr_table_s8` (`folded` set at conversion when every
/// row's shift lies in -2 down to -23 and the clamp is the whole int8 range): a ReLU layer
/// (zero point -128, where the stage leaves out the sign terms, so sums of 0 and below must
/// still give -128), a layer of another zero point (negative sums through the sign terms), and
/// a layer with one shift at -24, which keeps the general stage. Odd row counts, empty rows and rows of one entry, on the
/// Cortex-M4 (DSP extension), the Cortex-M3 (Thumb-2 without it) and the Cortex-M0+: each output
/// must equal the Swift integer reference bit for bit.
@Suite(.needsEmulator)
struct FoldedCsrTableTests {
    /// 24 inputs into 7 ReLU rows (`relu_rows`), 7 into 5 rows without activation
    /// (`signed_rows`), 5 into 3 (`deep_scale`), each row keeping the given number of weights.
    static func graph() throws -> Graph {
        var g = GraphBuilder()
        g.input([24], name: "features")
        try g.dense(
            CsrTableDenseKernelTests.kernel(inputs: 24, entries: [0, 1, 5, 2, 3, 1, 4], seed: 61), bias: randomTensor([7], seed: 62),
            activation: .plainRelu, name: "relu_rows")
        try g.dense(
            CsrTableDenseKernelTests.kernel(inputs: 7, entries: [1, 0, 3, 2, 6], seed: 63), bias: randomTensor([5], seed: 64),
            name: "signed_rows")
        try g.dense(
            CsrTableDenseKernelTests.kernel(inputs: 5, entries: [2, 1, 3], seed: 65), bias: randomTensor([3], seed: 66), name: "deep_scale")
        return g.graph()
    }

    /// `graph`'s quantization with one row of `signed_rows` at a shift one lower and one row of
    /// `deep_scale` at shift -24 (past the folded stage's reach), after checking that the other
    /// two layers are within it.
    static func alter(_ quantized: Graph) throws -> Graph {
        for name in ["relu_rows", "signed_rows"] {
            _ = try BlockedKernelTests.altering(quantized, name) { layer in
                #expect(layer.requantization.allSatisfy { (-23 ... -2).contains($0.shift) })
                #expect(layer.outputMin == -128 && layer.outputMax == 127)
            }
        }
        // Its rows share one shift, which would keep `tp_dense_csr_s8`: one row's shift one lower
        // gives it a shift per row.
        let signed = try BlockedKernelTests.altering(quantized, "signed_rows") { layer in
            #expect(layer.outputZeroPoint != -128)
            layer.requantization[2].shift -= 1
        }
        return try BlockedKernelTests.altering(signed, "deep_scale") { layer in layer.requantization[1].shift = -24 }
    }

    static let network = EmulatedInt8Case(
        "a ReLU layer, a layer of another zero point and one with a shift of -24",
        graph: { try graph() }, inputs: { randomSamples([10, 24], in: -2...2, seed: 67) }, format: .csr, limit: 10, alter: alter,
        expectSource: { try expectThreeTableLayers($0, calling: "tp_dense_csr_table_s8") })

    /// Expects `source` to call `kernel` for three layers of CSR table rows, two of which take
    /// the folded output stage and one the general stage.
    static func expectThreeTableLayers(_ source: String, calling kernel: String) throws {
        #expect(callCount(of: kernel, in: source) == 3)
        #expect(source.components(separatedBy: ".folded = 1").count - 1 == 2)
        #expect(source.components(separatedBy: ".folded = 0").count - 1 == 1)
    }

    @Test(
        "CSR table rows through the folded output stage are bit-exact with the Swift reference, with and without the DSP extension",
        arguments: [CortexMTarget.cortexM4, .cortexM3, .cortexM0plus])
    func foldedRowsAreBitExact(on target: CortexMTarget) throws {
        try Self.network.expectBitExact(on: target)
    }
}
