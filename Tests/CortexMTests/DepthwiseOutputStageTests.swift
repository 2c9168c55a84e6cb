import Testing
import Topiary
import TopiaryTestSupport

/// The short output stage of `tp_depthwise_conv2d_3x3_s8` at the edges of its range: it doubles
/// a window's sum, so it serves biases within -2^29..2^29 (a sum within +-2^30) and shifts down
/// to -23, and a layer with a bias beyond keeps the general output stage. Each must equal the
/// Swift integer reference bit for bit, on the Cortex-M4 (`SMMLAR`) and the Cortex-M0+
/// (portable body).
@Suite(.needsEmulator)
struct DepthwiseOutputStageTests {
    /// The ways a layer's biases, shifts and output zero point meet the short stage's range.
    enum Edge: String, CaseIterable, CustomTestStringConvertible {
        /// Biases just under 2^29 and the output zero point -128: the largest positive sums.
        case upper
        /// Biases from -2^29 up and the output zero point 127: the largest negative sums.
        case lower
        /// One bias at 2^29, beyond the short stage: the layer keeps the general one.
        case beyond

        var testDescription: String { rawValue }
    }

    /// A 3x3 'same' depthwise convolution of 9 channels (two groups of four and one more) over
    /// a 6x7 image: windows over each side of the padding and runs between them.
    static func depthwiseGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([6, 7, 9], name: "image")
        try g.seededDepthwise3x3(seed: 61, name: "depthwise")
        return g.graph()
    }

    /// `layer` moved to `edge`: every shift -23 (the largest exponent the short stage takes), so
    /// that sums near 2^29 land inside the int8 range, about 48 steps from the zero point.
    static func move(_ layer: inout QuantizedLayer, to edge: Edge) {
        let top: Int32 = 1 << 29
        for c in layer.requantization.indices { layer.requantization[c].shift = -23 }
        switch edge {
        case .upper:
            layer.outputZeroPoint = -128
            for c in layer.bias.indices { layer.bias[c] = top - 1 - Int32(c) * 4099 }
        case .lower:
            layer.outputZeroPoint = 127
            for c in layer.bias.indices { layer.bias[c] = -top + Int32(c) * 4099 }
        case .beyond:
            layer.outputZeroPoint = -128
            for c in layer.bias.indices { layer.bias[c] = top - Int32(c) * 4099 }
        }
    }

    @Test(
        "3x3 depthwise sums at the edges of the short output stage (biases near +-2^29, shift -23, zero points -128 and 127) and beyond it are bit-exact with and without the DSP extension",
        arguments: Edge.allCases, CortexMTarget.withAndWithoutDSP)
    func edgesOfTheShortStageAreBitExact(edge: Edge, target: CortexMTarget) throws {
        let inputs = randomSamples([8, 6, 7, 9], in: -2...2, seed: 63)
        let quantized = try BlockedKernelTests.altering(quantizedInt8(Self.depthwiseGraph(), calibratedOn: inputs), "depthwise") {
            Self.move(&$0, to: edge)
        }
        let model = try CodeGenerator(options: ConversionOptions(format: .dense)).generate(quantized)
        #expect(model.source.contains("tp_depthwise_conv2d_3x3_s8("), "the 3x3 depthwise kernel")
        try expectBitExactOnEmulator(model, quantized, inputs, on: target, limit: 4)
    }
}
