import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// The blocked convolutions' output stage with the output zero point folded into the rounding
/// word, which takes channels of exponent (`-shift - 1`) up to 22: channels past it, beside
/// folded ones in the same layer, take the general stage. Each layer must equal the Swift
/// integer reference bit for bit on the Cortex-M4 (DSP bodies) and the Cortex-M0+ (portable).
@Suite(.needsEmulator)
struct FoldedOutputStageTests {
    /// A 5x3x8 input (15 positions: three blocks of four and a short last one) through a 1x1
    /// convolution of 12 filters over 8 channels (two groups of four, the pairs loop only), a
    /// 3x3 convolution of 6 filters over 12 channels (27 groups, an odd last one) and a 1x1
    /// convolution of 5 filters over 6 channels (one group and a remainder of two).
    static func graph() throws -> Graph {
        var g = GraphBuilder()
        g.input([5, 3, 8], name: "image")
        try g.seededConvolution(12, kernel: 1, seed: 51, name: "pointwise")
        try g.seededConvolution(6, kernel: 3, seed: 53, name: "window")
        try g.seededConvolution(5, kernel: 1, seed: 55, name: "remainder")
        return g.graph()
    }

    @Test(
        "channels at the folded stage's last exponent (22) and past it (23), beside folded ones, are bit-exact with and without the DSP extension",
        arguments: CortexMTarget.withAndWithoutDSP)
    func exponentsAroundTheFoldedLimitAreBitExact(_ target: CortexMTarget) throws {
        let inputs = randomSamples([12, 5, 3, 8], in: -2...2, seed: 57)
        var quantized = try quantizedInt8(try Self.graph(), calibratedOn: inputs)
        for name in ["pointwise", "window", "remainder"] {
            _ = try BlockedKernelTests.altering(quantized, name) { layer in
                #expect(
                    layer.requantization.allSatisfy { $0.shift <= -2 && $0.shift >= -23 } && layer.outputMin == -128
                        && layer.outputMax == 127, "\(name) folds every channel before the change")
            }
        }
        quantized = try BlockedKernelTests.altering(quantized, "pointwise") { layer in
            layer.requantization[3].shift = -24
            layer.requantization[4].shift = -23
        }
        quantized = try BlockedKernelTests.altering(quantized, "window") { layer in layer.requantization[0].shift = -24 }
        quantized = try BlockedKernelTests.altering(quantized, "remainder") { layer in layer.requantization[4].shift = -23 }
        let model = try CodeGenerator(options: ConversionOptions(format: .dense)).generate(quantized)
        #expect(callCount(of: "tp_pointwise_conv2d_s8", in: model.source) == 2)
        #expect(model.source.contains("tp_conv2d_s8("), "the 3x3 convolution takes the blocked product")
        try expectBitExactOnEmulator(model, quantized, inputs, on: target, limit: 4)
    }
}
