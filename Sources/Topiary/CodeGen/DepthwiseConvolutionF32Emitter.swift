/// `DepthwiseConv1D` / `DepthwiseConv2D` as `tp_depthwise_conv2d_f32`.
struct DepthwiseConvolutionF32Emitter: LayerKernel {
    let node: Node
    let convolution: DepthwiseConvolution
    let geometry: WindowGeometry

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_conv_f32.h"] }

    func weights() throws -> [WeightRequest] {
        let m = convolution.depthMultiplier
        let kernel = try node.weight(.depthwiseKernel, shape: convolution.kernelSize + [geometry.channels, m])
        return try [
            WeightRequest(
                key: "depthwise_kernel", meaning: "depthwise kernel [k..., cin, multiplier]",
                shape: kernel.shape, values: kernel.values)
        ]
            + node.biasRequest(count: geometry.channels * m, required: convolution.useBias)
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_depthwise_conv2d_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("window", geometry.literal), ("multiplier", "\(convolution.depthMultiplier)"),
                ("activation", try node.activationLiteral(convolution.activation)),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "tp_depthwise_conv2d_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("depthwise_kernel")), \(site.weight("bias")), \(site.output));"
            ])
    }
}
