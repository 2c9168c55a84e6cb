/// `Embedding` as `tp_embedding_f32`, the one kernel that can fail on its data: an id outside
/// the vocabulary makes the inference function return `TP_ERROR_BAD_INPUT`.
struct EmbeddingF32Emitter: LayerKernel {
    let node: Node
    let inputShape: [Int]
    let inputDim: Int
    let outputDim: Int

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_embedding_f32.h"] }
    var canFail: Bool { true }

    func weights() throws -> [WeightRequest] {
        let table = try node.weight(.embeddings, shape: [inputDim, outputDim])
        return [WeightRequest(key: "embeddings", meaning: "embeddings [input dim, output dim]", shape: table.shape, values: table.values)]
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_embedding_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("count", "\(inputShape.elementCount)"), ("input_dim", "\(inputDim)"), ("output_dim", "\(outputDim)"),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "status = tp_embedding_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.weight("embeddings")), \(site.output));",
                "if (status != TP_OK) {",
                "    return (int)status;",
                "}",
            ])
    }
}
