/// The reversal of one axis (the backward half of a `Bidirectional` sequence put back in time
/// order) as `tp_reverse_f32`, over the tensor's `AxisLayout` around that axis.
struct ReverseF32Emitter: LayerKernel {
    let layout: AxisLayout

    init(node: Node, inputShape: [Int], axis: Int) throws {
        layout = try AxisLayout(node: node, shape: inputShape, axis: axis)
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_layout_f32.h"] }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_reverse_f32_params", symbol: site.paramsSymbol,
            fields: [("outer", "\(layout.outer)"), ("length", "\(layout.length)"), ("inner", "\(layout.inner)")])
        return LayerCode(
            declarations: [params],
            statements: ["tp_reverse_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.output));"])
    }
}
