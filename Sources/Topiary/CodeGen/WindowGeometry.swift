/// The `tp_window` of a convolution or pooling layer: TensorFlow's padding geometry
/// (`Window`) resolved offline into sizes and the padding before the first row and column, so
/// the C kernel only compares indices.
///
/// A 1D layer becomes a 2D one of height 1, as in the reference engine.
struct WindowGeometry: Equatable {
    var inputHeight: Int
    var inputWidth: Int
    var channels: Int
    var outputHeight: Int
    var outputWidth: Int
    var kernelHeight: Int
    var kernelWidth: Int
    var strideHeight: Int
    var strideWidth: Int
    var dilationHeight: Int
    var dilationWidth: Int
    var padTop: Int
    var padLeft: Int

    init(node: Node, inputShape: [Int], kernel: [Int], strides: [Int], dilation: [Int], padding: Padding) throws {
        let rank = kernel.count
        guard rank == 1 || rank == 2, inputShape.count == rank + 1, strides.count == rank, dilation.count == rank else {
            throw CodeGenError.unsupported(layer: node.name,
                                           reason: "\(node.kerasClass) with window \(kernel) over input \(inputShape) is not supported; only 1D and 2D windows are")
        }
        let lift: ([Int]) -> [Int] = { rank == 1 ? [1] + $0 : $0 }
        let k = lift(kernel), s = lift(strides), d = lift(dilation), spatial = lift(Array(inputShape.dropLast()))
        let rows = Window(inputLength: spatial[0], kernel: k[0], stride: s[0], dilation: d[0], padding: rank == 1 ? .valid : padding)
        let columns = Window(inputLength: spatial[1], kernel: k[1], stride: s[1], dilation: d[1], padding: padding)
        guard rows.outputLength > 0, columns.outputLength > 0 else {
            throw CodeGenError.unsupported(layer: node.name, reason: "window \(kernel) does not fit input \(inputShape)")
        }
        inputHeight = spatial[0]
        inputWidth = spatial[1]
        channels = inputShape.last!
        outputHeight = rows.outputLength
        outputWidth = columns.outputLength
        kernelHeight = k[0]
        kernelWidth = k[1]
        strideHeight = s[0]
        strideWidth = s[1]
        dilationHeight = d[0]
        dilationWidth = d[1]
        padTop = rows.padBefore
        padLeft = columns.padBefore
    }

    /// The window `convolution` slides over `inputShape`.
    init(node: Node, inputShape: [Int], convolution: some ConvolutionWindow) throws {
        try self.init(node: node, inputShape: inputShape, kernel: convolution.kernelSize, strides: convolution.strides,
                      dilation: convolution.dilation, padding: convolution.padding)
    }

    var outputPositions: Int { outputHeight * outputWidth }

    /// The nested `tp_window` initializer.
    var literal: String {
        CInitializer.nested([
            ("input_h", "\(inputHeight)"), ("input_w", "\(inputWidth)"), ("channels", "\(channels)"),
            ("output_h", "\(outputHeight)"), ("output_w", "\(outputWidth)"),
            ("kernel_h", "\(kernelHeight)"), ("kernel_w", "\(kernelWidth)"),
            ("stride_h", "\(strideHeight)"), ("stride_w", "\(strideWidth)"),
            ("dilation_h", "\(dilationHeight)"), ("dilation_w", "\(dilationWidth)"),
            ("pad_top", "\(padTop)"), ("pad_left", "\(padLeft)"),
        ])
    }
}
