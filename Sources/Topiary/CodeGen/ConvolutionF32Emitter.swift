/// `Conv1D` / `Conv2D` as `tp_conv2d_f32`; the Keras kernel `[k…, cin, filters]` is used as
/// stored (flattened, it is the `[taps · cin, filters]` matrix the kernel reads).
struct ConvolutionF32Emitter: LayerKernel {
    let node: Node
    let convolution: Convolution
    let geometry: WindowGeometry

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_conv_f32.h"] }

    func weights() throws -> [WeightRequest] {
        let kernel = try node.weight(.kernel, shape: convolution.kernelSize + [geometry.channels, convolution.filters])
        return try [WeightRequest(key: "kernel", meaning: "kernel [k..., cin, filters]", shape: kernel.shape, values: kernel.values)]
            + node.biasRequest(count: convolution.filters, required: convolution.useBias)
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_conv2d_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("window", geometry.literal), ("filters", "\(convolution.filters)"),
                ("activation", try node.activationLiteral(convolution.activation)),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "tp_conv2d_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("kernel")), \(site.weight("bias")), \(site.output));"
            ])
    }
}
