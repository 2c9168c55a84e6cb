import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// 1x1 convolutions of CSR rows with tabled row data (`tp_pointwise_conv2d_csr_s8`), four
/// positions per pass: rows of every length modulo four and empty ones, an odd number of
/// positions (the last pass ends on the last position), strides 2 and 3, a layer of two
/// positions (a pass per position), and each output stage: after a ReLU, for another zero
/// point, and the general stage (one shift at -1). Compiled for the Cortex-M4 (DSP bodies),
/// the Cortex-M3 (Thumb-2 without it) and the Cortex-M0+: each output must equal the Swift
/// integer reference bit for bit.
@Suite(.needsEmulator)
struct PointwiseCsrKernelTests {
    /// A 1x1 convolution of `entries.count` filters over `channels` inputs at `strides`, filter
    /// `f` keeping `entries[f]` weights (`WindowCsrKernelTests.convolution`).
    static func pointwise(
        _ g: inout GraphBuilder, channels: Int, entries: [Int], strides: [Int], activation: Activation, seed: UInt64, name: String
    ) throws {
        try WindowCsrKernelTests.convolution(
            &g, kernelSize: [1, 1], channels: channels, entries: entries, strides: strides, dilation: [1, 1], padding: .valid,
            activation: activation, seed: seed, name: name)
    }

    /// A 7x5x9 input (35 positions) into 13 ReLU filters of 0 to 9 entries, then 7 filters at
    /// stride 2 without activation (4x3, 12 positions), then 5 filters at stride 3 (2x1, two
    /// positions) whose one shift is set to -1 (`alter`).
    static func graph() throws -> Graph {
        var g = GraphBuilder()
        g.input([7, 5, 9], name: "image")
        try pointwise(
            &g, channels: 9, entries: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 0, 5], strides: [1, 1], activation: .plainRelu, seed: 71,
            name: "relu_rows")
        try pointwise(
            &g, channels: 13, entries: [1, 0, 3, 2, 6, 4, 5], strides: [2, 2], activation: .linear, seed: 73, name: "signed_rows")
        try pointwise(&g, channels: 7, entries: [2, 1, 3, 0, 4], strides: [3, 3], activation: .linear, seed: 75, name: "general_scale")
        return g.graph()
    }

    /// `graph`'s quantization with one row of each layer at a shift one lower, so that no layer
    /// shares one shift among its rows (which keeps `tp_conv2d_csr_s8`), and one row of
    /// `general_scale` at shift -1, after checking that the other two layers take the folded
    /// output stage.
    static func alter(_ quantized: Graph) throws -> Graph {
        var graph = quantized
        for name in ["relu_rows", "signed_rows"] {
            graph = try BlockedKernelTests.altering(graph, name) { layer in
                #expect(layer.outputMin == -128 && layer.outputMax == 127)
                layer.requantization[2].shift -= 1
                #expect(layer.requantization.allSatisfy { (-23 ... -2).contains($0.shift) })
            }
        }
        return try BlockedKernelTests.altering(graph, "general_scale") { layer in layer.requantization[1].shift = -1 }
    }

    @Test(
        "pointwise CSR rows over four positions per pass are bit-exact with the Swift reference, with and without the DSP extension",
        arguments: [CortexMTarget.cortexM4, .cortexM3, .cortexM0plus])
    func fourPositionRowsAreBitExact(on target: CortexMTarget) throws {
        let samples = randomSamples([6, 7, 5, 9], in: -2...2, seed: 77)
        try EmulatedInt8Case(
            "ReLU rows over 35 positions, signed rows at stride 2, general rows over two positions", graph: { try Self.graph() },
            inputs: { samples }, format: .csr, limit: 6, alter: Self.alter,
            expectSource: { source in
                try FoldedCsrTableTests.expectThreeTableLayers(source, calling: "tp_pointwise_conv2d_csr_s8")
                #expect(callCount(of: "tp_conv2d_csr_s8", in: source) == 0)
            }
        ).expectBitExact(on: target)
    }
}
