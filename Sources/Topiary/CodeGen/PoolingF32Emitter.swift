/// `MaxPooling1D/2D` and `AveragePooling1D/2D` as `tp_max_pool2d_f32` / `tp_avg_pool2d_f32`.
struct PoolingF32Emitter: LayerKernel {
    let node: Node
    let pooling: Pooling
    let geometry: WindowGeometry

    init(node: Node, inputShape: [Int], pooling: Pooling) throws {
        guard pooling.padding != .causal else {
            throw CodeGenError.unsupported(layer: node.name, reason: "pooling with 'causal' padding is not supported")
        }
        self.node = node
        self.pooling = pooling
        geometry = try WindowGeometry(
            node: node, inputShape: inputShape, kernel: pooling.poolSize, strides: pooling.strides,
            dilation: Array(repeating: 1, count: pooling.rank), padding: pooling.padding)
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_pool_f32.h"] }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_pool2d_f32_params", symbol: site.paramsSymbol,
            fields: [("window", geometry.literal)])
        let function = pooling.kind == .max ? "tp_max_pool2d_f32" : "tp_avg_pool2d_f32"
        return LayerCode(
            declarations: [params],
            statements: [
                "\(function)(&\(site.paramsSymbol), \(site.inputs[0]), \(site.output));"
            ])
    }
}
