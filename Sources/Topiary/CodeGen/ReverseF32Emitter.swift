/// The reversal of one axis (the backward half of a `Bidirectional` sequence put back in time
/// order) as `tp_reverse_f32`.
struct ReverseF32Emitter: LayerKernel {
    let outer: Int
    let length: Int
    let inner: Int

    init(node: Node, inputShape: [Int], axis: Int) throws {
        guard axis >= 0, axis < inputShape.count else {
            throw CodeGenError.unsupported(layer: node.name, reason: "reversed axis \(axis + 1) does not fit input \(inputShape)")
        }
        outer = Array(inputShape[..<axis]).elementCount
        length = inputShape[axis]
        inner = Array(inputShape[(axis + 1)...]).elementCount
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_layout_f32.h"] }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_reverse_f32_params", symbol: site.paramsSymbol,
            fields: [("outer", "\(outer)"), ("length", "\(length)"), ("inner", "\(inner)")])
        return LayerCode(
            declarations: [params],
            statements: ["tp_reverse_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.output));"])
    }
}
