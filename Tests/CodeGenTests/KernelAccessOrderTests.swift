import Testing
@testable import Topiary
import TopiaryTestSupport

/// The offsets `KernelAccessOrder.overlapOffset` allows, each checked by hand from the kernel's
/// order of reads and writes: the output's start relative to the input's, in bytes.
@Suite("Kernel access order: how far an output may overlap its input")
struct KernelAccessOrderTests {
    /// The window of a square `kernel` over a `height` x `width` image of `channels`.
    static func window(
        height: Int, width: Int, channels: Int, kernel: Int = 3, stride: Int = 1, padding: Padding = .same
    ) throws -> WindowGeometry {
        let node = Node(name: "layer", kerasClass: "DepthwiseConv2D", op: .input, inputs: [], outputShape: [])
        return try WindowGeometry(
            node: node, inputShape: [height, width, channels], kernel: [kernel, kernel], strides: [stride, stride], dilation: [1, 1],
            padding: padding)
    }

    /// The 3x3 depthwise kernel's offset over `window`, one byte per element.
    static func depthwiseOffset(_ window: WindowGeometry) -> Int? {
        let order = KernelAccessOrder.depthwise3x3S8(window: window)
        return order.overlapOffset(
            inputBytes: window.inputHeight * window.inputWidth * window.channels,
            outputBytes: window.outputPositions * window.channels, alignment: 8)
    }

    /// The pointwise kernel's offset over a row of `positions`, `inputs` to `outputs` channels.
    static func pointwiseOffset(positions: Int, inputs: Int, outputs: Int) throws -> Int? {
        let order = KernelAccessOrder.pointwiseS8(window: try window(height: 1, width: positions, channels: inputs, kernel: 1))
        return order.overlapOffset(inputBytes: positions * inputs, outputBytes: positions * outputs, alignment: 8)
    }

    @Test("a 3x3 'same' depthwise layer at stride 1 starts one input row and one pixel before its input")
    func depthwiseSameStartsARowAndAPixelBefore() throws {
        // Input (y, x) is read last by output (y + 1, x + 1), width + 1 positions further on.
        #expect(Self.depthwiseOffset(try Self.window(height: 25, width: 5, channels: 64)) == -(5 + 1) * 64)
        #expect(Self.depthwiseOffset(try Self.window(height: 5, width: 6, channels: 8)) == -(6 + 1) * 8)
    }

    @Test("a depthwise layer moves by whole positions that are whole alignment units: 3 channels step 24 bytes")
    func depthwiseOffsetIsWholePositionsAndAligned() throws {
        // Seven positions of 3 bytes (21) round down to eight (24), the first multiple of 8.
        #expect(Self.depthwiseOffset(try Self.window(height: 5, width: 6, channels: 3)) == -24)
    }

    @Test("a strided or 'valid' depthwise layer writes no position before its last read: it starts with its input")
    func depthwiseStridedAndValidStartWithTheInput() throws {
        // Output (oy, ox) at stride 2 lands on input position 3 * oy + ox of a 6-wide image, read
        // last by output 3 * min(y / 2, 2) + min(x / 2, 2), never later than it.
        #expect(Self.depthwiseOffset(try Self.window(height: 6, width: 6, channels: 8, stride: 2)) == 0)
        // 'valid': input (y, x) is read last by output 4 * min(y, 2) + min(x, 3) of a 3x4 output.
        #expect(Self.depthwiseOffset(try Self.window(height: 5, width: 6, channels: 8, padding: .valid)) == 0)
    }

    @Test("a pointwise layer of as many or fewer outputs starts two output positions before its input (the portable body's pairs)")
    func pointwiseStartsAPairBefore() throws {
        // The portable body writes a pair's first 16 channels while it still reads the pair's
        // inputs, so the first pair's outputs may not touch the input; the DSP body's blocks of
        // four read first and would allow 0.
        #expect(try Self.pointwiseOffset(positions: 10, inputs: 8, outputs: 8) == -16)
        #expect(try Self.pointwiseOffset(positions: 10, inputs: 16, outputs: 8) == -16)
    }

    @Test("a pointwise layer of more outputs ends two input positions before its input ends")
    func pointwiseWideningEndsBeforeTheInput() throws {
        // Pair b's 32 output bytes at 32b + d may not reach input pair b at 16b: d <= -16b - 32
        // for the last pair (b = 4), -96; the DSP blocks allow -64. The output then ends at
        // byte 64 of the input's 80.
        #expect(try Self.pointwiseOffset(positions: 10, inputs: 8, outputs: 16) == -96)
    }

    @Test("every build must allow the offset: the blocks that read first alone allow more")
    func everyBuildMustAllowTheOffset() {
        let readers = Array(0..<10)
        let readsFirst = KernelAccessOrder(
            lastReaders: readers, outputPositions: 10, channelSeparable: false, builds: [.init(positions: 4, readsFirst: true)])
        #expect(readsFirst.overlapOffset(inputBytes: 80, outputBytes: 80, alignment: 8) == 0)
        let both = KernelAccessOrder(
            lastReaders: readers, outputPositions: 10, channelSeparable: false,
            builds: [.init(positions: 4, readsFirst: true), .init(positions: 2, readsFirst: false)])
        #expect(both.overlapOffset(inputBytes: 80, outputBytes: 80, alignment: 8) == -16)
    }

    @Test("overlap is refused when no offset shares a byte safely")
    func refusals() throws {
        // One position: the portable body writes it while reading it.
        #expect(try Self.pointwiseOffset(positions: 1, inputs: 8, outputs: 8) == nil)
        // One block that writes between its reads, over the whole layer.
        let oneBlock = KernelAccessOrder(
            lastReaders: [0, 1, 2, 3], outputPositions: 4, channelSeparable: false, builds: [.init(positions: 4, readsFirst: false)])
        #expect(oneBlock.overlapOffset(inputBytes: 32, outputBytes: 32, alignment: 8) == nil)
        // A channel-separable kernel whose output positions differ in size from its input's.
        let separable = KernelAccessOrder(
            lastReaders: [0, 1], outputPositions: 2, channelSeparable: true, builds: [.init(positions: 1, readsFirst: true)])
        #expect(separable.overlapOffset(inputBytes: 16, outputBytes: 32, alignment: 8) == nil)
        // Every window reads the last position: the output's first byte may land only where no
        // output byte is left to save.
        let global = KernelAccessOrder(
            lastReaders: [2, 2, 2], outputPositions: 3, channelSeparable: false, builds: [.init(positions: 1, readsFirst: false)])
        #expect(global.overlapOffset(inputBytes: 24, outputBytes: 24, alignment: 8) == nil)
    }

    @Test(
        "the CSR pointwise kernel's last pass reads again the inputs of positions the pass before wrote: 63 positions keep one position apart, 64 none"
    )
    func csrPointwiseLastPassReadsAgain() throws {
        func offset(_ positions: Int) throws -> Int? {
            let order = KernelAccessOrder.pointwiseCsrS8(window: try Self.window(height: 1, width: positions, channels: 16, kernel: 1))
            return order.overlapOffset(inputBytes: positions * 16, outputBytes: positions * 16, alignment: 8)
        }
        // Passes 0..3, ..., 56..59, then 59..62: output 59, written in the pass before, may
        // not land on input 59, which the last pass reads.
        #expect(try offset(63) == -16)
        #expect(try offset(64) == 0)
    }
}
