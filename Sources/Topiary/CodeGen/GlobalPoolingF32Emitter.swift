/// `GlobalMaxPooling1D/2D` and `GlobalAveragePooling1D/2D` (with or without `keepdims`, which
/// only changes the recorded shape) as `tp_global_max_pool_f32` / `tp_global_avg_pool_f32`.
struct GlobalPoolingF32Emitter: LayerKernel {
    let node: Node
    let pooling: GlobalPooling
    let inputShape: [Int]

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_pool_f32.h"] }

    func emit(_ site: CallSite) throws -> LayerCode {
        let channels = inputShape.last ?? 1
        let params = CInitializer.declaration(
            type: "tp_global_pool_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("positions", "\(inputShape.dropLast().reduce(1, *))"), ("channels", "\(channels)"),
            ])
        let function = pooling.kind == .max ? "tp_global_max_pool_f32" : "tp_global_avg_pool_f32"
        return LayerCode(
            declarations: [params],
            statements: [
                "\(function)(&\(site.paramsSymbol), \(site.inputs[0]), \(site.output));"
            ])
    }
}
