/// The geometry of a sliding window (convolution or pooling) over a 1D or 2D channels-last
/// tensor, resolved once from TensorFlow's padding rules (`Window`) and checked, for the
/// reference kernels and the C emitters alike (the C kernels read it as a `tp_window`).
///
/// A 1D layer is treated as a 2D one of height 1, so one set of kernels serves both. The
/// table of taps says where each tap reads: at run time a reference kernel only looks up
/// which input pixel a tap reads, or skips it when the tap falls in the padding. This is
/// im2col without materialising the patch matrix: each tap reads `channels` contiguous values.
struct WindowGeometry: Equatable, Sendable {
    let inputHeight: Int
    let inputWidth: Int
    let channels: Int
    let outputHeight: Int
    let outputWidth: Int
    let kernelHeight: Int
    let kernelWidth: Int
    let strideHeight: Int
    let strideWidth: Int
    let dilationHeight: Int
    let dilationWidth: Int
    /// Padding rows above the first input row, and columns left of the first column.
    let padTop: Int
    let padLeft: Int
    /// For output position `p` (row-major over output height and width) and tap `t` (row-major
    /// over kernel height and width): `taps[p * tapCount + t]` is the input pixel
    /// `y * inputWidth + x`, or -1 when the tap reads padding.
    let taps: [Int32]

    var outputPositions: Int { outputHeight * outputWidth }
    var tapCount: Int { kernelHeight * kernelWidth }
    var spatialOutputShape: [Int] { isOneDimensional ? [outputWidth] : [outputHeight, outputWidth] }
    let isOneDimensional: Bool

    init(node: Node, inputShape: [Int], kernel: [Int], strides: [Int], dilation: [Int], padding: Padding) throws {
        let rank = kernel.count
        guard rank == 1 || rank == 2 else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(node.kerasClass) with \(rank) spatial axes is not supported; only 1D and 2D windows are")
        }
        guard inputShape.count == rank + 1 else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(node.kerasClass) expects a \(rank)D channels-last input of rank \(rank + 1) (batch excluded), got shape \(inputShape)")
        }
        guard strides.count == rank, dilation.count == rank else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(node.kerasClass) has \(strides.count) strides and \(dilation.count) dilation rates for \(rank) spatial axes")
        }
        guard strides.allSatisfy({ $0 > 0 }), dilation.allSatisfy({ $0 > 0 }), kernel.allSatisfy({ $0 > 0 }) else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(node.kerasClass) has a non-positive window \(kernel), stride \(strides) or dilation \(dilation)")
        }
        if padding == .causal && rank != 1 {
            throw InferenceError(.invalidGraph, layer: node.name, "'causal' padding is only defined for 1D layers")
        }
        // Lift 1D to 2D with a height-1 axis whose window is a single row.
        let lift: ([Int], Int) -> [Int] = { values, one in rank == 1 ? [one] + values : values }
        let kernel2 = lift(kernel, 1), strides2 = lift(strides, 1), dilation2 = lift(dilation, 1)
        let spatial = lift(Array(inputShape.dropLast()), 1)
        let rows = Window(
            inputLength: spatial[0], kernel: kernel2[0], stride: strides2[0], dilation: dilation2[0],
            padding: rank == 1 ? .valid : padding)
        let columns = Window(
            inputLength: spatial[1], kernel: kernel2[1], stride: strides2[1], dilation: dilation2[1],
            padding: padding)
        guard rows.outputLength > 0, columns.outputLength > 0 else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(node.kerasClass) window \(kernel) (dilation \(dilation)) does not fit input \(inputShape) with '\(padding.rawValue)' padding"
            )
        }
        isOneDimensional = rank == 1
        inputHeight = spatial[0]
        inputWidth = spatial[1]
        channels = inputShape.last!
        outputHeight = rows.outputLength
        outputWidth = columns.outputLength
        kernelHeight = kernel2[0]
        kernelWidth = kernel2[1]
        strideHeight = rows.stride
        strideWidth = columns.stride
        dilationHeight = rows.dilation
        dilationWidth = columns.dilation
        padTop = rows.padBefore
        padLeft = columns.padBefore

        // Taps index input pixels as Int32, and the table holds one per output position and tap.
        guard let pixels = CheckedArithmetic.product(spatial[0], spatial[1]), pixels <= Int(Int32.max),
            let tableCount = CheckedArithmetic.product([rows.outputLength, columns.outputLength, kernel2[0], kernel2[1]]),
            tableCount <= Int(Int32.max)
        else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(node.kerasClass) window \(kernel) on input \(inputShape) needs more than 2^31 taps; the input is too large")
        }
        var table = [Int32](repeating: -1, count: tableCount)
        var index = 0
        for oy in 0..<rows.outputLength {
            for ox in 0..<columns.outputLength {
                for ky in 0..<kernel2[0] {
                    let y = oy * rows.stride - rows.padBefore + ky * rows.dilation
                    for kx in 0..<kernel2[1] {
                        let x = ox * columns.stride - columns.padBefore + kx * columns.dilation
                        if y >= 0, y < spatial[0], x >= 0, x < spatial[1] {
                            table[index] = Int32(y * spatial[1] + x)
                        }
                        index += 1
                    }
                }
            }
        }
        taps = table
    }

    /// The window `convolution` slides over `inputShape`.
    init(node: Node, inputShape: [Int], window: SlidingWindow) throws {
        try self.init(
            node: node, inputShape: inputShape, kernel: window.kernelSize, strides: window.strides, dilation: window.dilation,
            padding: window.padding)
    }

    /// Output shape for `outputChannels` channels, with the input's spatial rank.
    func outputShape(channels outputChannels: Int) -> [Int] {
        spatialOutputShape + [outputChannels]
    }

    /// Calls `body(position, tap, pixel)` for every tap that reads the input, skipping those in
    /// the padding, output positions in order and each position's taps in order: the walk the
    /// convolution kernels and their gradients share, so their sums keep one order.
    @inline(__always)
    func forEachInputTap(_ body: (_ position: Int, _ tap: Int, _ pixel: Int) -> Void) {
        let tapCount = self.tapCount
        taps.withUnsafeBufferPointer { taps in
            for p in 0..<outputPositions {
                for t in 0..<tapCount {
                    let pixel = Int(taps[p * tapCount + t])
                    if pixel >= 0 { body(p, t, pixel) }
                }
            }
        }
    }
}
