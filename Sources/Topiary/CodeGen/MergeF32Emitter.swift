/// `Add`, `Subtract`, `Multiply`, `Average`, `Maximum` and `Minimum` as `tp_merge_f32`, in
/// place over the first input when the planner allows.
struct MergeF32Emitter: ElementwiseF32Emitter {
    let node: Node
    let kind: MergeKind

    func emit(_ site: CallSite) throws -> LayerCode {
        let cKind: String
        switch kind {
        case .add: cKind = "TP_MERGE_ADD"
        case .subtract: cKind = "TP_MERGE_SUBTRACT"
        case .multiply: cKind = "TP_MERGE_MULTIPLY"
        case .average: cKind = "TP_MERGE_AVERAGE"
        case .maximum: cKind = "TP_MERGE_MAXIMUM"
        case .minimum: cKind = "TP_MERGE_MINIMUM"
        }
        let inputsSymbol = site.claim("inputs")
        let params = CInitializer.declaration(
            type: "tp_merge_f32_params", symbol: site.paramsSymbol,
            fields: [
                ("kind", cKind), ("count", "\(site.inputs.count)"), ("size", "\(node.outputShape.elementCount)"),
            ])
        return LayerCode(
            declarations: [params],
            statements: [
                "{",
                "    const float *const \(inputsSymbol)[\(site.inputs.count)] = { \(site.inputs.joined(separator: ", ")) };",
                "    tp_merge_f32(&\(site.paramsSymbol), \(inputsSymbol), \(site.output));",
                "}",
            ])
    }
}
