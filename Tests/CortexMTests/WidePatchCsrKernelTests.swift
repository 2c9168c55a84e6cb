import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// One-group convolutions whose CSR filters span more than 255 patch values, run four positions
/// per pass with each row summed segment by segment (`tp_pointwise_conv2d_csr_s8`): a 3x3
/// 'same' window over 29 channels (patches of 261, a second segment of six, the patches at the
/// border staged with the padding), a 3x3 'valid' one at stride 2 over 64 channels (576, three
/// segments, nine positions), a 1D window of five taps over 60 channels (300), and a 3x3
/// window over 40 channels of one position (a pass per position). Their rows are those of
/// `WideCsrTableTests.rows`: none, entries only in the last segment, both sides of each
/// segment boundary, one to nine and forty spread over every segment; through the folded
/// output stage after a ReLU and for another zero point, and the general stage. Compiled for
/// the Cortex-M4 (DSP bodies), the Cortex-M3 (Thumb-2 without it) and the Cortex-M0+ (portable
/// bodies): each output must equal the Swift integer reference bit for bit.
@Suite(.needsEmulator)
struct WidePatchCsrKernelTests {
    /// A window of `kernelSize` over `channels` inputs named `wide`, whose filters keep the
    /// patch values of `WideCsrTableTests.rows` (a CSR row is the patch in filter order).
    static func graph(input: [Int], kernelSize: [Int], strides: [Int], padding: Padding, activation: Activation) throws -> Graph {
        let channels = input.last ?? 0, patch = kernelSize.reduce(channels, *)
        let rows = WideCsrTableTests.rows(inputs: patch)
        let kernel = WideCsrTableTests.kernel(inputs: patch, rows: rows, seed: 111)
        var g = GraphBuilder()
        g.input(input, name: "image")
        let convolution = Convolution(
            filters: rows.count, kernelSize: kernelSize, strides: strides, dilation: kernelSize.map { _ in 1 }, padding: padding,
            useBias: true, activation: activation)
        try g.add(
            .conv(convolution),
            weights: [
                .kernel: Tensor(shape: kernelSize + [channels, rows.count], values: kernel.values),
                .bias: randomTensor([rows.count], seed: 112),
            ], name: "wide")
        return g.graph()
    }

    /// A layout of the wide layer: its input, window and the segments of its patch.
    struct Window: Sendable {
        let name: String
        let input: [Int]
        let kernelSize: [Int]
        let strides: [Int]
        let padding: Padding
        var patch: Int { kernelSize.reduce(input.last ?? 0, *) }
    }

    static let windows = [
        Window(name: "3x3 'same' over 29 channels", input: [5, 6, 29], kernelSize: [3, 3], strides: [1, 1], padding: .same),
        Window(
            name: "3x3 'valid' at stride 2 over 64 channels", input: [7, 7, 64], kernelSize: [3, 3], strides: [2, 2], padding: .valid),
        Window(name: "five taps 'same' over 60 channels", input: [9, 60], kernelSize: [5], strides: [1], padding: .same),
        Window(
            name: "3x3 'valid' over 40 channels, one position", input: [3, 3, 40], kernelSize: [3, 3], strides: [1, 1], padding: .valid),
    ]

    static func network(_ window: Window, stage: WideCsrTableTests.Stage) -> EmulatedInt8Case {
        EmulatedInt8Case(
            "\(window.name) (patches of \(window.patch)) through \(stage.rawValue)",
            graph: {
                try graph(
                    input: window.input, kernelSize: window.kernelSize, strides: window.strides, padding: window.padding,
                    activation: stage == .positive ? .plainRelu : .linear)
            },
            inputs: { randomSamples([4] + window.input, in: -2...2, seed: 113) }, format: .csr, limit: 4,
            alter: { try WideCsrTableTests.alter($0, to: stage) },
            expectSource: { source in
                #expect(callCount(of: "tp_pointwise_conv2d_csr_s8", in: source) == 1)
                #expect(callCount(of: "tp_conv2d_csr_s8", in: source) == 0)
                #expect(source.contains(".input_width = \(window.patch),"))
            })
    }

    static let networks =
        windows.prefix(2).flatMap { window in [WideCsrTableTests.Stage.positive, .signed, .general].map { network(window, stage: $0) } }
        + [network(windows[2], stage: .signed), network(windows[3], stage: .positive)]

    @Test(
        "CSR rows of several segments over four positions' patches are bit-exact with the Swift reference, with and without the DSP extension",
        arguments: networks, [CortexMTarget.cortexM4, .cortexM3, .cortexM0plus])
    func isBitExact(_ network: EmulatedInt8Case, on target: CortexMTarget) throws {
        try network.expectBitExact(on: target)
    }
}
