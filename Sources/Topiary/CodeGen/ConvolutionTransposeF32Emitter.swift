/// `Conv1DTranspose` / `Conv2DTranspose` as `tp_conv_transpose2d_f32`, a 1D layer as a 2D one
/// of height 1; the Keras kernel `[k…, filters, cin]` is used as stored.
struct ConvolutionTransposeF32Emitter: LayerKernel {
    let node: Node
    let convolution: ConvolutionTranspose
    let inputShape: [Int]

    init(node: Node, inputShape: [Int], convolution: ConvolutionTranspose) throws {
        guard convolution.rank == 1 || convolution.rank == 2, inputShape.count == convolution.rank + 1,
            node.outputShape.count == convolution.rank + 1
        else {
            throw CodeGenError.unsupported(
                layer: node.name, reason: "a \(convolution.rank)D transposed convolution does not fit input \(inputShape)")
        }
        self.node = node
        self.convolution = convolution
        self.inputShape = inputShape
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_conv_transpose_f32.h"] }

    func weights() throws -> [WeightRequest] {
        let kernel = try node.weightForC(.kernel, shape: convolution.kernelSize + [convolution.filters, inputShape.last!])
        return [WeightRequest(key: "kernel", meaning: "kernel [k..., filters, cin]", shape: kernel.shape, values: kernel.values)]
            + (try node.biasRequest(count: convolution.filters, required: convolution.useBias))
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let c = convolution
        let oneD = c.rank == 1
        func pair(_ values: [Int], _ height: Int) -> (String, String) {
            oneD ? ("\(height)", "\(values[0])") : ("\(values[0])", "\(values[1])")
        }
        let input = pair(Array(inputShape.dropLast()), 1)
        let output = pair(Array(node.outputShape.dropLast()), 1)
        let kernel = pair(c.kernelSize, 1)
        let strides = pair(c.strides, 1)
        let crop = pair((0..<c.rank).map { c.leadingCrop(inputShape[$0], axis: $0) }, 0)
        let params = CInitializer.declaration(
            type: "tp_conv_transpose2d_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("input_height", input.0), ("input_width", input.1), ("channels", "\(inputShape.last!)"),
                ("output_height", output.0), ("output_width", output.1), ("filters", "\(c.filters)"),
                ("kernel_height", kernel.0), ("kernel_width", kernel.1),
                ("stride_height", strides.0), ("stride_width", strides.1),
                ("crop_height", crop.0), ("crop_width", crop.1),
                ("activation", try node.activationLiteral(c.activation)),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "tp_conv_transpose2d_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("kernel")), \(site.weight("bias")), \(site.output));"
            ])
    }
}
