/// `ZeroPadding1D/2D/3D` and `Cropping1D/2D/3D` as `tp_border_f32`: output position `o` of a
/// spatial axis reads input position `o + offset`, zero outside the input.
struct BorderF32Emitter: LayerKernel {
    let node: Node
    let inputShape: [Int]
    let offsets: [Int]

    /// `padding` pads (`sign` +1) or crops (`sign` −1) each spatial axis by `(before, after)`.
    init(node: Node, inputShape: [Int], amounts: [Pair], padding: Bool) throws {
        try ShapeArrays.check(rank: amounts.count, node: node)
        guard inputShape.count == amounts.count + 1 else {
            throw CodeGenError.unsupported(
                layer: node.name, reason: "\(node.kerasClass) of \(amounts.count) axes does not fit input \(inputShape)")
        }
        self.node = node
        self.inputShape = inputShape
        offsets = amounts.map { padding ? -$0.before : $0.before }
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_layout_f32.h"] }

    func emit(_ site: CallSite) throws -> LayerCode {
        let params = CInitializer.declaration(
            type: "tp_border_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("rank", "\(offsets.count)"), ("channels", "\(inputShape.last ?? 1)"),
                ("input_shape", CInitializer.list(Array(inputShape.dropLast()))),
                ("output_shape", CInitializer.list(Array(node.outputShape.dropLast()))),
                ("offset", CInitializer.list(offsets)),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "tp_border_f32(&\(site.paramsSymbol), \(site.inputs[0]), \(site.output));"
            ])
    }
}
