/// `Permute` as `tp_permute_f32`: for each output axis, the stride of the input axis it comes
/// from, so the kernel walks the output in order and gathers.
struct PermuteF32Emitter: LayerKernel {
    let node: Node
    let inputShape: [Int]
    let dims: [Int]

    init(node: Node, inputShape: [Int], dims: [Int]) throws {
        try ShapeArrays.check(rank: inputShape.count, node: node)
        self.node = node
        self.inputShape = inputShape
        self.dims = dims
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_layout_f32.h"] }

    func emit(_ site: CallSite) throws -> LayerCode {
        let inputStrides = ShapeArrays.strides(inputShape)
        let params = CInitializer.declaration(
            type: "tp_permute_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("rank", "\(dims.count)"),
                ("output_shape", CInitializer.list(dims.map { inputShape[$0] })),
                ("input_stride", CInitializer.list(dims.map { inputStrides[$0] })),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "tp_permute_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.output));"
            ])
    }
}
