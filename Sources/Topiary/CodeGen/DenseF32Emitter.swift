/// `Dense` as `tp_dense_f32`: the kernel `[in, units]` and bias as Keras stores them.
struct DenseF32Emitter: LayerKernel {
    let node: Node
    let dense: Dense
    let inputShape: [Int]

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_dense_f32.h"] }

    private var inputWidth: Int { inputShape.last ?? 1 }
    private var rows: Int { inputShape.dropLast().reduce(1, *) }

    func weights() throws -> [WeightRequest] {
        let kernel = try node.weight(.kernel, shape: [inputWidth, dense.units])
        return try [WeightRequest(key: "kernel", meaning: "kernel [in, units]", shape: kernel.shape, values: kernel.values)]
            + node.biasRequest(count: dense.units, required: dense.useBias)
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_dense_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("rows", "\(rows)"), ("input_width", "\(inputWidth)"), ("units", "\(dense.units)"),
                ("activation", try node.activationLiteral(dense.activation)),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "tp_dense_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("kernel")), \(site.weight("bias")), \(site.output));"
            ])
    }
}
