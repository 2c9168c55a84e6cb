/// `Concatenate` as `tp_concatenate_f32`: per outer index, each input's contiguous block in
/// input order. The block sizes are a small `static const` table; the input pointers a local
/// array.
struct ConcatenateF32Emitter: LayerKernel {
    let node: Node
    let inputShapes: [[Int]]
    let axis: Int

    init(node: Node, inputShapes: [[Int]], axis: Int) throws {
        guard let first = inputShapes.first, axis >= 0, axis < first.count else {
            throw CodeGenError.unsupported(layer: node.name, reason: "concatenation axis \(axis) does not fit inputs \(inputShapes)")
        }
        self.node = node
        self.inputShapes = inputShapes
        self.axis = axis
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_layout_f32.h"] }

    func emit(_ site: CallSite) throws -> LayerCode {
        let first = inputShapes[0]
        let inner = first[(axis + 1)...].reduce(1, *)
        let blocks = inputShapes.map { $0[axis] * inner }
        let blocksSymbol = site.claim("blocks")
        let inputsSymbol = site.claim("inputs")
        let table = "static const int32_t \(blocksSymbol)[\(blocks.count)] = \(CInitializer.list(blocks));"
        let params = CInitializer.declaration(
            type: "tp_concatenate_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("count", "\(blocks.count)"), ("outer", "\(first[..<axis].reduce(1, *))"), ("blocks", blocksSymbol),
            ])
        return LayerCode(
            declarations: [table, params],
            statements: [
                "{",
                "    const float *const \(inputsSymbol)[\(site.inputs.count)] = { \(site.inputs.joined(separator: ", ")) };",
                "    tp_concatenate_f32(&\(site.paramsSymbol), \(inputsSymbol), \(site.output));",
                "}",
            ])
    }
}
