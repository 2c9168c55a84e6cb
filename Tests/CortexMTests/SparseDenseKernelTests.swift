import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// CSR Dense rows whose inputs span several segments of 255, some segments of some rows
/// empty, then a softmax, compiled for the Cortex-M4 (DSP bodies) and the Cortex-M0+
/// (portable bodies) and called through the float entry point: each output must equal the
/// Swift integer reference bit for bit.
@Suite(.enabled(if: emulatorAvailable, "needs arm-none-eabi-gcc and qemu-system-arm"))
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

    @Test(
        "CSR Dense rows over several segments, empty segments included, and the int8 softmax are bit-exact with and without the DSP extension",
        arguments: [CortexMTarget.cortexM4, .cortexM0plus])
    func multiSegmentRowsAreBitExact(_ target: CortexMTarget) throws {
        let graph = Self.graph()
        let inputs = randomSamples([8, 600], in: -3...3, seed: 25)
        let quantized = try quantizedInt8(graph, calibratedOn: inputs)
        let model = try CodeGenerator(options: ConversionOptions(format: .csr)).generate(quantized)
        #expect(model.source.contains("tp_dense_csr_s8") && model.source.contains("tp_softmax_s8"))
        try expectBitExactOnEmulator(model, quantized, inputs, on: target, limit: 6)
    }
}
