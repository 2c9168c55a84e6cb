/// The order in which a kernel reads its input and writes its output, as far as it decides
/// whether the output may be written over the input it consumes: how far before the input the
/// output may start so that no input byte is overwritten before its last read
/// (`overlapOffset`).
///
/// The model: output positions are computed in raster order, in blocks of consecutive
/// positions; the blocks run one after another, and within a block the reads either all come
/// before its writes or may come between them. A window names, for every output position, the
/// input positions it reads; an input position is free to overwrite once the block of its last
/// reader is done (or, when the block reads before it writes, once that block has read). A
/// kernel built two ways (the DSP extension's body and the portable one) declares the blocks
/// of each, and the overlap must be safe for both, since the arena plan is the same for either
/// build. A channel-separable kernel (output channel `c` reads only input channel `c`, each
/// channel's outputs in that order on their own, whatever the order across channels: groups of
/// four one after another over a run of windows, passes over disjoint channels) is safe as long
/// as each output byte lands on the same channel of an input position, so its offset moves by
/// whole positions.
///
/// A kernel's order is declared only where the C was checked on every path
/// (`depthwise3x3S8`, `pointwiseS8`, `pointwiseCsrS8`); every other kernel writes a fresh
/// buffer.
public struct KernelAccessOrder: Equatable, Sendable {
    /// How one build of the kernel groups its output positions.
    public struct Blocking: Equatable, Sendable {
        /// Consecutive output positions computed together: the first block starts at position
        /// 0, each next one `positions` further. A short last block that repeats its last
        /// position (as `tp_pointwise_conv2d_s8` does) still covers only positions of its own.
        public var positions: Int
        /// True when a block reads all its inputs before it writes any of its outputs; false when
        /// its writes may come between its reads, so that none may land on its inputs.
        public var readsFirst: Bool
        /// True when a short last block is run as the last `positions` positions instead: it
        /// reads again, after the previous block wrote them, the inputs of the positions it
        /// shares with that block (`tp_pointwise_conv2d_csr_s8`).
        public var lastBlockEndsAtEnd: Bool

        public init(positions: Int, readsFirst: Bool, lastBlockEndsAtEnd: Bool = false) {
            precondition(positions > 0, "a block holds at least one position")
            self.positions = positions
            self.readsFirst = readsFirst
            self.lastBlockEndsAtEnd = lastBlockEndsAtEnd
        }

        /// The block, counted from the first, whose reads of output position `position`'s
        /// window come last, of `outputs` positions: the last block for a position it reads
        /// again.
        func readBlock(_ position: Int, outputs: Int) -> Int {
            let last = (outputs - 1) / positions
            if lastBlockEndsAtEnd && outputs % positions != 0 && position >= outputs - positions { return last }
            return position / positions
        }
    }

    /// For each input position in raster order, the last output position whose window reads
    /// it, or -1 when none does (a column a stride skips, or one a 'valid' window never
    /// reaches).
    public var lastReaders: [Int]
    /// Output positions of the layer.
    public var outputPositions: Int
    /// True when output channel `c` reads only input channel `c` (input and output of the same
    /// channels) and each channel follows the order on its own.
    public var channelSeparable: Bool
    /// The blocks of each build of the kernel.
    public var builds: [Blocking]

    public init(lastReaders: [Int], outputPositions: Int, channelSeparable: Bool, builds: [Blocking]) {
        precondition(!builds.isEmpty, "a kernel has at least one build")
        self.lastReaders = lastReaders
        self.outputPositions = outputPositions
        self.channelSeparable = channelSeparable
        self.builds = builds
    }

    /// The order over `window`'s taps: each input position's last reader is the last output
    /// position with a tap on it (padding taps read no input).
    init(window: WindowGeometry, channelSeparable: Bool, builds: [Blocking]) {
        var lastReaders = [Int](repeating: -1, count: window.inputHeight * window.inputWidth)
        let taps = window.tapCount
        for position in 0..<window.outputPositions {
            for tap in window.taps[(position * taps)..<((position + 1) * taps)] where tap >= 0 {
                lastReaders[Int(tap)] = position
            }
        }
        self.init(lastReaders: lastReaders, outputPositions: window.outputPositions, channelSeparable: channelSeparable, builds: builds)
    }

    /// `tp_depthwise_conv2d_3x3_s8` (include/topiary/tp_depthwise_s8.h) with depth multiplier
    /// 1: channel-separable, a window at a time, each window reading its nine taps of a group of
    /// four channels (or of one channel after the last group) before it writes their outputs.
    /// On the DSP extension a group goes over a run of windows before the next group, and on
    /// the portable body every group of a window before the next window: for one channel the
    /// windows are in raster order on both, and so in each pass, the passes covering disjoint
    /// channels. The taps in the padding read a row of zero points in the scratch, not the
    /// input.
    static func depthwise3x3S8(window: WindowGeometry) -> KernelAccessOrder {
        KernelAccessOrder(window: window, channelSeparable: true, builds: [Blocking(positions: 1, readsFirst: true)])
    }

    /// `tp_pointwise_conv2d_s8` (include/topiary/tp_pointwise_s8.h): on the DSP extension, four
    /// positions' inputs widened into the scratch (a short last block repeating the last
    /// position) before any of their outputs is written; on the portable body, two positions
    /// (an odd last one alone) whose inputs are read again for every block of 16 output
    /// channels after the previous block's outputs were written.
    static func pointwiseS8(window: WindowGeometry) -> KernelAccessOrder {
        KernelAccessOrder(
            window: window, channelSeparable: false,
            builds: [Blocking(positions: 4, readsFirst: true), Blocking(positions: 2, readsFirst: false)])
    }

    /// `tp_pointwise_conv2d_csr_s8` (include/topiary/tp_pointwise_csr_s8.h), one body for both
    /// builds: four positions' inputs gathered into the scratch before the rows write their
    /// outputs, the last pass over the last four positions (computing again up to three that
    /// the pass before wrote); with fewer than four positions, one position a pass.
    static func pointwiseCsrS8(window: WindowGeometry) -> KernelAccessOrder {
        let lanes = window.outputPositions < 4 ? 1 : 4
        return KernelAccessOrder(
            window: window, channelSeparable: false, builds: [Blocking(positions: lanes, readsFirst: true, lastBlockEndsAtEnd: true)])
    }

    /// The byte offset from the input's first byte to where the output may start, at most 0 and
    /// a multiple of `alignment` (and of a position's bytes when channel-separable), as large
    /// as every build allows: the output overlapping as much of the input as it may, never past
    /// the input's end (where it would save nothing more). `inputBytes` and `outputBytes` are
    /// the whole tensors'. Nil when no offset makes the two share a byte.
    public func overlapOffset(inputBytes: Int, outputBytes: Int, alignment: Int) -> Int? {
        let inputPositions = lastReaders.count
        guard inputPositions > 0, outputPositions > 0, inputBytes % inputPositions == 0, outputBytes % outputPositions == 0
        else { return nil }
        let inputStep = inputBytes / inputPositions, outputStep = outputBytes / outputPositions
        if channelSeparable && inputStep != outputStep { return nil }
        let unit = channelSeparable ? Self.leastCommonMultiple(alignment, inputStep) : alignment
        // Safe offsets form a range that ends at the largest, since moving the output further
        // before the input only lands each output byte on an input byte an earlier output byte
        // landed on: search it by bisection, in units, above the offsets that share no byte.
        let highest = Self.floor(min(0, inputBytes - outputBytes), unit)
        var safe = Self.floor(-outputBytes, unit) / unit
        var above = highest / unit + 1
        while above - safe > 1 {
            let middle = safe + (above - safe) / 2
            if isSafe(offset: middle * unit, inputStep: inputStep, outputStep: outputStep) { safe = middle } else { above = middle }
        }
        return safe * unit > -outputBytes ? safe * unit : nil
    }

    /// True when the output starting `offset` bytes from the input (at most 0) overwrites no
    /// input byte before every build's last read of it.
    func isSafe(offset: Int, inputStep: Int, outputStep: Int) -> Bool {
        let inputBytes = lastReaders.count * inputStep
        for position in 0..<outputPositions {
            let start = position * outputStep + offset, end = start + outputStep
            if end <= 0 { continue }
            if start >= inputBytes { break }
            let first = max(0, start) / inputStep, last = (min(end, inputBytes) - 1) / inputStep
            for input in first...last where !isOverwritable(input, by: position) { return false }
        }
        return true
    }

    /// True when output position `position` comes, in every build, after the last read of input
    /// position `input`.
    func isOverwritable(_ input: Int, by position: Int) -> Bool {
        let reader = lastReaders[input]
        guard reader >= 0 else { return true }
        return builds.allSatisfy { build in
            // A position written twice is first written in its own block.
            let readBlock = build.readBlock(reader, outputs: outputPositions), writeBlock = position / build.positions
            return readBlock < writeBlock || (readBlock == writeBlock && build.readsFirst)
        }
    }

    /// The largest multiple of `unit` at most `value`.
    private static func floor(_ value: Int, _ unit: Int) -> Int {
        value >= 0 ? value / unit * unit : -((-value + unit - 1) / unit * unit)
    }

    private static func leastCommonMultiple(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return a / x * b
    }
}
