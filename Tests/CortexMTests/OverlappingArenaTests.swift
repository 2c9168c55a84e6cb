import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Depthwise-separable networks whose arena plan writes each 3x3 depthwise and pointwise
/// layer's output over the input it consumes are bit-exact with the Swift integer reference on
/// the emulated Cortex-M4 (the kernels' DSP bodies) and Cortex-M0+ (their portable bodies):
/// no input byte is overwritten before its last read on either.
@Suite(.needsEmulator)
struct OverlappingArenaTests {
    /// A 3x3 depthwise convolution of depth multiplier 1 with bias and ReLU, seeded from `seed`.
    static func depthwise(_ g: inout GraphBuilder, stride: Int, padding: Padding, seed: UInt64, name: String) throws {
        let channels = g.nodes[g.nodes.count - 1].outputShape.last ?? 0
        let convolution = DepthwiseConvolution(
            depthMultiplier: 1, kernelSize: [3, 3], strides: [stride, stride], dilation: [1, 1], padding: padding, useBias: true,
            activation: .plainRelu)
        try g.add(
            .depthwiseConv(convolution),
            weights: [.depthwiseKernel: randomTensor([3, 3, channels, 1], seed: seed), .bias: randomTensor([channels], seed: seed + 1)],
            name: name)
    }

    /// A 9x7 image of 3 channels, a pointwise convolution to 4 channels, then depthwise and
    /// pointwise layers: a pointwise to 10 channels (more), a depthwise 'same' at stride 1 (its
    /// output one row and one pixel, 80 bytes, before its input: the tightest offset), a
    /// pointwise to 6 (fewer), a depthwise at stride 2, a 'valid' depthwise and a pointwise to 3.
    static func separableGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([9, 7, 3], name: "image")
        try g.seededConvolution(4, kernel: 1, seed: 81, name: "stem")
        try g.seededConvolution(10, kernel: 1, seed: 83, name: "pw_wide")
        try depthwise(&g, stride: 1, padding: .same, seed: 85, name: "dw_same")
        try g.seededConvolution(6, kernel: 1, seed: 87, name: "pw_narrow")
        try depthwise(&g, stride: 2, padding: .same, seed: 89, name: "dw_strided")
        try depthwise(&g, stride: 1, padding: .valid, seed: 91, name: "dw_valid")
        try g.seededConvolution(3, kernel: 1, seed: 93, name: "pw_head")
        return g.graph()
    }

    /// The comment over `layer`'s call in `source`.
    static func comment(of layer: String, in source: String) -> Substring? {
        source.split(separator: "\n").first { $0.contains("/* \(layer) (") }
    }

    @Test(
        "depthwise and pointwise layers written over their inputs (the tightest offset, stride 2, 'valid', channels not a multiple of four, fewer and more outputs) are bit-exact, with and without the DSP extension",
        arguments: CortexMTarget.withAndWithoutDSP)
    func overlappingLayersAreBitExact(target: CortexMTarget) throws {
        let inputs = randomSamples([4, 9, 7, 3], in: -2...2, seed: 95)
        let quantized = try quantizedInt8(Self.separableGraph(), calibratedOn: inputs)
        let model = try CodeGenerator(options: ConversionOptions(format: .dense)).generate(quantized)
        let source = model.source
        #expect(Self.comment(of: "dw_same", in: source)?.contains("over its input, starting 80 bytes before it") == true)
        for layer in ["pw_wide", "pw_narrow", "dw_strided", "dw_valid"] {
            #expect(Self.comment(of: layer, in: source)?.contains("over its input") == true, "\(layer) overlaps its input")
        }
        #expect(source.contains("tp_depthwise_conv2d_3x3_s8(") && source.contains("tp_pointwise_conv2d_s8("))
        try expectBitExactOnEmulator(model, quantized, inputs, on: target, limit: 4)
    }
}
