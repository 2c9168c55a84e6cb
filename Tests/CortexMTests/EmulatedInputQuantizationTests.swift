import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// The float entry point's quantization on the emulated Cortex-M4 with its FPU, where
/// `tp_quantize_one_f32` rounds with a `VCVT` to fixed point instead of the portable body's
/// steps (InputQuantizationTests checks those on the host): a model that only flattens its
/// input returns each quantized value, which must equal the Swift rule's.
@Suite(.needsEmulator)
struct EmulatedInputQuantizationTests {
    /// Values around the quantization steps of scale 2^-7 (exact ties): each tie `(k + 0.5) /
    /// 128` for k in -140...140 (both clamps crossed) and the four floats either side of it, then
    /// zeros, infinities, NaN and the largest finite floats; padded with zeros to `samples`
    /// samples of `width` values.
    static func edgeValues(width: Int, samples: Int) -> [Float] {
        var values: [Float] = [0, -0.0, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        for k in -140...140 {
            let tie = (Float(k) + 0.5) / 128
            var above = tie, below = tie
            values.append(tie)
            for _ in 0..<4 {
                above = above.nextUp
                below = below.nextDown
                values += [above, below]
            }
        }
        precondition(values.count <= width * samples)
        return values + Array(repeating: 0, count: width * samples - values.count)
    }

    @Test("the float entry point on the Cortex-M4 FPU quantizes ties, their neighbours, clamps, infinities and NaN as the Swift rule does")
    func hardFloatQuantizationMatchesTheSwiftRule() throws {
        let width = 256, samples = 11
        var g = GraphBuilder()
        g.input([width, 1], name: "x")
        try g.add(.flatten, name: "flat")
        let graph = g.graph()
        // Calibrated on -1 and 255/128 - 1: scale (255/128) / 255 = 2^-7, zero point 0.
        let calibration = NDArray(
            shape: [2, width, 1], values: [Float](repeating: -1, count: width) + [Float](repeating: 0.992_187_5, count: width))
        let quantized = try Quantizer.quantize(graph, samples: try Calibration.samples(from: [calibration], for: graph))
        let input = try #require(quantized.nodes[quantized.inputs[0]].quantization?.output)
        #expect(input.scale == 1.0 / 128 && input.zeroPoint == 0, "\(input)")
        let inputs = NDArray(shape: [samples, width, 1], values: Self.edgeValues(width: width, samples: samples))
        let model = try CodeGenerator(options: ConversionOptions(format: .dense)).generate(quantized)
        let report = try EmulatedProfiler(target: .cortexM4F).profile(model, graph: quantized, inputs: [inputs], limit: samples)
        #expect(report.passed, "\(report)")
        #expect(report.comparison == "bit-exact")
    }
}
