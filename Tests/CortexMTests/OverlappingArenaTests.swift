import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Networks whose arena plan writes 3x3 depthwise and pointwise layers' outputs over the
/// inputs they consume are bit-exact with the Swift integer reference on the emulated
/// Cortex-M4 (the kernels' DSP bodies) and Cortex-M0+ (their portable bodies): no input byte
/// is overwritten before its last read on either.
@Suite(.needsEmulator)
struct OverlappingArenaTests {
    /// A layer of the chain after the 9x7 image of 3 channels, each with bias and ReLU, seeded
    /// from its place in the chain.
    enum Layer: Sendable {
        /// A 1x1 convolution to this many channels.
        case pointwise(Int)
        /// A 3x3 depthwise convolution of depth multiplier 1.
        case depthwise(stride: Int, padding: Padding)
    }

    /// One network: its layers (named), the format of its weights, and what its plan must show:
    /// the comment over a layer's call must contain the text beside it.
    struct Case: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let layers: [(name: String, layer: Layer)]
        let format: FormatChoice
        let kernel: String
        let overlaps: [(layer: String, text: String)]
    }

    /// Each network puts the overlaps it tests at the arena's peak, where the plan keeps them.
    static let cases = [
        // A pointwise to 10 channels (more), a depthwise 'same' at stride 1 (its output one row
        // and one pixel, 80 bytes, before its input: the tightest offset), a pointwise to 6
        // (fewer), channels not a multiple of four.
        Case(
            testDescription: "dense 3x3 depthwise and pointwise layers",
            layers: [
                ("stem", .pointwise(4)), ("pw_wide", .pointwise(10)), ("dw_same", .depthwise(stride: 1, padding: .same)),
                ("pw_narrow", .pointwise(6)), ("pw_head", .pointwise(3)),
            ],
            format: .dense, kernel: "tp_depthwise_conv2d_3x3_s8(",
            overlaps: [
                ("pw_wide", "over its input"), ("dw_same", "over its input, starting 80 bytes before it"), ("pw_narrow", "over its input"),
            ]),
        Case(
            testDescription: "a dense 3x3 depthwise layer at stride 2",
            layers: [("stem", .pointwise(18)), ("dw_strided", .depthwise(stride: 2, padding: .same)), ("pw_head", .pointwise(2))],
            format: .dense, kernel: "tp_depthwise_conv2d_3x3_s8(", overlaps: [("dw_strided", "over its input")]),
        Case(
            testDescription: "a dense 3x3 'valid' depthwise layer",
            layers: [("stem", .pointwise(18)), ("dw_valid", .depthwise(stride: 1, padding: .valid)), ("pw_head", .pointwise(2))],
            format: .dense, kernel: "tp_depthwise_conv2d_3x3_s8(", overlaps: [("dw_valid", "over its input")]),
        // 63 positions, so that the CSR kernel's last pass computes three positions again; a
        // small output, whose copy is not the arena's peak.
        Case(
            testDescription: "CSR pointwise layers of more and fewer outputs",
            layers: [("stem", .pointwise(8)), ("pw_narrow", .pointwise(4)), ("pw_wide", .pointwise(24)), ("pw_head", .pointwise(2))],
            format: .csr, kernel: "tp_pointwise_conv2d_csr_s8(",
            overlaps: [("pw_wide", "over its input"), ("pw_head", "over its input")]),
        Case(
            testDescription: "a CSR pointwise layer whose last pass reads positions the pass before wrote",
            layers: [("stem", .pointwise(8)), ("pw_same", .pointwise(8)), ("pw_head", .pointwise(2))],
            format: .csr, kernel: "tp_pointwise_conv2d_csr_s8(", overlaps: [("pw_same", "over its input, starting 8 bytes before it")]),
    ]

    static func graph(_ layers: [(name: String, layer: Layer)]) throws -> Graph {
        var g = GraphBuilder()
        g.input([9, 7, 3], name: "image")
        for (index, (name, layer)) in layers.enumerated() {
            let seed = UInt64(81 + 2 * index)
            switch layer {
            case let .pointwise(filters):
                try g.seededConvolution(filters, kernel: 1, seed: seed, name: name)
            case let .depthwise(stride, padding):
                let channels = g.nodes[g.nodes.count - 1].outputShape.last ?? 0
                let convolution = DepthwiseConvolution(
                    depthMultiplier: 1, kernelSize: [3, 3], strides: [stride, stride], dilation: [1, 1], padding: padding,
                    useBias: true, activation: .plainRelu)
                try g.add(
                    .depthwiseConv(convolution),
                    weights: [
                        .depthwiseKernel: randomTensor([3, 3, channels, 1], seed: seed), .bias: randomTensor([channels], seed: seed + 1),
                    ], name: name)
            }
        }
        return g.graph()
    }

    @Test(
        "layers written over their inputs (the tightest offset, stride 2, 'valid', channels not a multiple of four, fewer and more outputs) are bit-exact, with and without the DSP extension",
        arguments: cases, CortexMTarget.withAndWithoutDSP)
    func overlappingLayersAreBitExact(_ network: Case, target: CortexMTarget) throws {
        let inputs = randomSamples([4, 9, 7, 3], in: -2...2, seed: 95)
        let quantized = try quantizedInt8(Self.graph(network.layers), calibratedOn: inputs)
        let model = try CodeGenerator(options: ConversionOptions(format: network.format)).generate(quantized)
        let lines = model.source.split(separator: "\n")
        for (layer, text) in network.overlaps {
            let comment = lines.first { $0.contains("/* \(layer) (") }
            #expect(comment?.contains(text) == true, "\(layer): \(comment ?? "no comment")")
        }
        #expect(model.source.contains(network.kernel))
        try expectBitExactOnEmulator(model, quantized, inputs, on: target, limit: 4)
    }
}
