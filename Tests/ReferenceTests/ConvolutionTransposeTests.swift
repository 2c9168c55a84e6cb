import Testing
import Topiary
import TopiaryTestSupport

@Suite("Transposed convolution")
struct ConvolutionTransposeTests {
    /// Kernel taps 1, 10, 100 make each input's contribution readable in the sums.
    static let kernel = Tensor(shape: [3, 1, 1], values: [1, 10, 100])

    static func op(_ padding: Padding, outputPadding: [Int]? = nil, bias: Bool = false) -> Op {
        .convTranspose(
            ConvolutionTranspose(
                filters: 1, kernelSize: [3], strides: [2], padding: padding, outputPadding: outputPadding, useBias: bias,
                activation: .linear))
    }

    @Test func validScattersEveryInputIntoItsStridedWindow() throws {
        // Input 0 adds [1, 10, 100] at 0…2, input 1 adds 2·[1, 10, 100] at 2…4.
        let y = try GraphBuilder.run(Self.op(.valid), input: [2, 1], [1, 2], weights: [.kernel: Self.kernel])
        #expect(y == Tensor(shape: [5, 1], values: [1, 10, 102, 20, 200]))
    }

    @Test func sameKeepsInputTimesStrideAndCropsTheEnd() throws {
        let y = try GraphBuilder.run(
            Self.op(.same, bias: true), input: [2, 1], [1, 2], weights: [.kernel: Self.kernel, .bias: Tensor(shape: [1], values: [0.5])])
        #expect(y == Tensor(shape: [4, 1], values: [1.5, 10.5, 102.5, 20.5]))
    }

    @Test func sameCropsHalfTheSurplusFromTheStart() throws {
        // Stride 1: the full scatter [1, 12, 120, 200] is 2 longer than the output.
        let op = Op.convTranspose(
            ConvolutionTranspose(
                filters: 1, kernelSize: [3], strides: [1], padding: .same, outputPadding: nil, useBias: false, activation: .linear))
        let y = try GraphBuilder.run(op, input: [2, 1], [1, 2], weights: [.kernel: Self.kernel])
        #expect(y == Tensor(shape: [2, 1], values: [12, 120]))
    }

    @Test func outputPaddingAddsPositionsAtTheEnd() throws {
        // Length (2 − 1)·2 + 3 + 1 = 6: the last position receives nothing.
        let y = try GraphBuilder.run(Self.op(.valid, outputPadding: [1]), input: [2, 1], [1, 2], weights: [.kernel: Self.kernel])
        #expect(y == Tensor(shape: [6, 1], values: [1, 10, 102, 20, 200, 0]))
    }

    @Test func twoDimensionsReadKerasKernelLayoutFiltersThenChannels() throws {
        // One input pixel, two channels, 1×1 kernel to two filters: kernel [1, 1, filters, cin].
        let kernel = Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4])
        let op = Op.convTranspose(
            ConvolutionTranspose(
                filters: 2, kernelSize: [1, 1], strides: [2, 2], padding: .valid, outputPadding: nil, useBias: false, activation: .linear))
        let y = try GraphBuilder.run(op, input: [1, 1, 2], [1, 10], weights: [.kernel: kernel])
        // Output 2×2 (1·2 + max(1 − 2, 0)); only the first pixel is written.
        #expect(y == Tensor(shape: [2, 2, 2], values: [21, 43, 0, 0, 0, 0, 0, 0]))
    }
}
