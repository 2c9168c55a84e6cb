/// `UpSampling1D/2D/3D` (nearest neighbour) as `tp_upsample_f32`.
struct UpSamplingF32Emitter: LayerKernel {
    let node: Node
    let inputShape: [Int]
    let size: [Int]

    init(node: Node, inputShape: [Int], size: [Int]) throws {
        try ShapeArrays.check(rank: size.count, node: node)
        guard inputShape.count == size.count + 1, size.allSatisfy({ $0 > 0 }) else {
            throw CodeGenError.unsupported(layer: node.name, reason: "up-sampling by \(size) does not fit input \(inputShape)")
        }
        self.node = node
        self.inputShape = inputShape
        self.size = size
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_layout_f32.h"] }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_upsample_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("rank", "\(size.count)"), ("channels", "\(inputShape.last ?? 1)"),
                ("input_shape", CInitializer.list(Array(inputShape.dropLast()))),
                ("output_shape", CInitializer.list(Array(node.outputShape.dropLast()))),
                ("size", CInitializer.list(size)),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "tp_upsample_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.output));"
            ])
    }
}
