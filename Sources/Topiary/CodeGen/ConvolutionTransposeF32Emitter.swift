/// `Conv1DTranspose` / `Conv2DTranspose` as `tp_conv_transpose2d_f32` over the lowered
/// `TransposedWindow`; the Keras kernel `[k…, filters, cin]` is used as stored.
struct ConvolutionTransposeF32Emitter: LayerKernel {
    let node: Node
    let convolution: ConvolutionTranspose
    let window: TransposedWindow

    init(node: Node, inputShape: [Int], convolution: ConvolutionTranspose) throws {
        self.node = node
        self.convolution = convolution
        window = try TransposedWindow(node: node, inputShape: inputShape, convolution: convolution)
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_conv_transpose_f32.h"] }

    func weights() throws -> [WeightRequest] {
        let kernel = try node.weight(.kernel, shape: convolution.kernelSize + [convolution.filters, window.channels])
        return [WeightRequest(key: "kernel", meaning: "kernel [k..., filters, cin]", shape: kernel.shape, values: kernel.values)]
            + (try node.biasRequest(count: convolution.filters, required: convolution.useBias))
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let w = window
        let params = CInitializer.declaration(
            type: "tp_conv_transpose2d_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("input_height", "\(w.inputHeight)"), ("input_width", "\(w.inputWidth)"), ("channels", "\(w.channels)"),
                ("output_height", "\(w.outputHeight)"), ("output_width", "\(w.outputWidth)"), ("filters", "\(w.filters)"),
                ("kernel_height", "\(w.kernelHeight)"), ("kernel_width", "\(w.kernelWidth)"),
                ("stride_height", "\(w.strideHeight)"), ("stride_width", "\(w.strideWidth)"),
                ("crop_height", "\(w.cropHeight)"), ("crop_width", "\(w.cropWidth)"),
                ("activation", try node.activationLiteral(convolution.activation)),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "tp_conv_transpose2d_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("kernel")), \(site.weight("bias")), \(site.output));"
            ])
    }
}
