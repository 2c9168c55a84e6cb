/// `SeparableConv1D` / `SeparableConv2D` as `tp_separable_conv2d_f32`, whose depthwise result
/// goes to planned scratch memory.
struct SeparableConvolutionF32Emitter: LayerKernel {
    let node: Node
    let convolution: SeparableConvolution
    let geometry: WindowGeometry

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_conv_f32.h"] }
    var scratchBytes: Int { geometry.outputPositions * geometry.channels * convolution.depthMultiplier * 4 }

    func weights() throws -> [WeightRequest] {
        let m = convolution.depthMultiplier
        let width = geometry.channels * m
        let depthwise = try node.weight(.depthwiseKernel, shape: convolution.kernelSize + [geometry.channels, m])
        let pointwise = try node.weight(
            .pointwiseKernel, shape: Array(repeating: 1, count: convolution.rank) + [width, convolution.filters])
        return try [
            WeightRequest(
                key: "depthwise_kernel", meaning: "depthwise kernel [k..., cin, multiplier]", shape: depthwise.shape,
                values: depthwise.values),
            WeightRequest(
                key: "pointwise_kernel", meaning: "pointwise kernel [1..., cin * multiplier, filters]", shape: pointwise.shape,
                values: pointwise.values),
        ] + node.biasRequest(count: convolution.filters, required: convolution.useBias)
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_separable_conv2d_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("window", geometry.literal), ("multiplier", "\(convolution.depthMultiplier)"),
                ("filters", "\(convolution.filters)"), ("activation", try node.activationLiteral(convolution.activation)),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "tp_separable_conv2d_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("depthwise_kernel")), \(site.weight("pointwise_kernel")),",
                "                        \(site.weight("bias")), \(site.output), \(site.scratch ?? "NULL"));",
            ])
    }
}
