extension WindowGeometry {
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
