/// Add, Subtract, Average, Multiply, Maximum, Minimum and Concatenate on int8, each input
/// rescaled with its fixed-point multiplier (`tp_sum_s8`, `tp_product_s8`, `tp_extremum_s8`,
/// `tp_concatenate_s8`).
struct MergeS8Emitter: LayerKernel {
    enum Kind {
        case sum(SumRescale)
        case product(Requantization)
        case extremum(largest: Bool, rescales: [Requantization])
        case concatenate(outer: Int, blocks: [Int], rescales: [Requantization])
    }

    let kind: Kind
    let count: Int
    let inputZeroPoints: [Int32]
    let outputZeroPoint: Int32

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_elementwise_s8.h"] }

    func emit(_ site: CallSite) throws -> LayerCode {
        let p = site.paramsSymbol
        func rescaleTable(_ rescales: [Requantization]) -> String {
            let rows = zip(inputZeroPoints, rescales).map { zp, r in
                "    " + CInitializer.nested([("zero_point", "\(zp)"), ("multiplier", "\(r.multiplier)"), ("shift", "\(r.shift)")])
            }
            return "static const tp_rescale_s8 \(p)[\(rescales.count)] = {\n" + rows.joined(separator: ",\n") + "\n};"
        }
        func inputsDeclaration(_ symbol: String) -> [String] {
            ["{", "    const int8_t *\(symbol)[\(site.inputs.count)];"]
                + site.inputs.enumerated().map { "    \(symbol)[\($0)] = \($1);" }
        }
        switch kind {
        case let .sum(s):
            let signs = site.claim("signs")
            let local = "xs"
            return LayerCode(
                declarations: [
                    rescaleTable(s.inputs),
                    "static const int32_t \(signs)[\(s.signs.count)] = \(CInitializer.list(s.signs.map(Int.init)));",
                ],
                statements: inputsDeclaration(local) + [
                    "    tp_sum_s8(\(count), \(site.inputs.count), \(local), \(p), \(signs), \(s.leftShift), \(s.output.multiplier), \(s.output.shift), \(outputZeroPoint), \(site.output));",
                    "}",
                ])
        case let .product(m):
            return LayerCode(statements: [
                "tp_product_s8(\(count), \(site.inputs[0]), \(site.inputs[1]), \(inputZeroPoints[0]), \(inputZeroPoints[1]), \(m.multiplier), \(m.shift), \(outputZeroPoint), \(site.output));"
            ])
        case let .extremum(largest, rescales):
            let local = "xs"
            return LayerCode(
                declarations: [rescaleTable(rescales)],
                statements: inputsDeclaration(local) + [
                    "    tp_extremum_s8(\(count), \(site.inputs.count), \(local), \(p), \(largest ? 1 : 0), \(outputZeroPoint), \(site.output));",
                    "}",
                ])
        case let .concatenate(outer, blocks, rescales):
            let blocksSymbol = site.claim("blocks")
            let local = "xs"
            return LayerCode(
                declarations: [
                    rescaleTable(rescales),
                    "static const int32_t \(blocksSymbol)[\(blocks.count)] = \(CInitializer.list(blocks));",
                ],
                statements: inputsDeclaration(local) + [
                    "    tp_concatenate_s8(\(outer), \(site.inputs.count), \(local), \(blocksSymbol), \(p), \(outputZeroPoint), \(site.output));",
                    "}",
                ])
        }
    }
}
