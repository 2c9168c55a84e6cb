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

    /// The element-wise merges read element `e` of every input before writing it, so they may
    /// write over their first input (a residual Add then needs no third activation buffer beside
    /// its tables); a concatenation moves blocks and needs a buffer of its own.
    var storage: OutputStorage {
        if case .concatenate = kind { return .fresh }
        return .inPlace
    }
    var headers: [String] { ["tp_elementwise_s8.h"] }

    /// Values per input from which a sum of two inputs is tabulated (`TP_SUM_TABLE_COUNT`).
    static let tabulatedSumCount = 256

    /// `tp_sum_s8_get_buffer_size`: both inputs' tables of rescaled terms (2 KB) for a large sum
    /// of two inputs whose output rescaling the short form can do; nothing for any other kernel.
    var scratchBytes: Int {
        guard case let .sum(s) = kind, s.inputs.count == 2, count >= Self.tabulatedSumCount, s.output.multiplier >= 0,
            (-31...0).contains(s.output.shift)
        else { return 0 }
        return 2 * 256 * 4
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let p = site.paramsSymbol
        // The params struct points at the tables, declared first.
        func rescaleTable(_ rescales: [Requantization]) -> (symbol: String, declaration: String) {
            let symbol = site.claim("rescales")
            let rows = zip(inputZeroPoints, rescales).map { zp, r in
                "    " + CInitializer.nested([("zero_point", "\(zp)"), ("multiplier", "\(r.multiplier)"), ("shift", "\(r.shift)")])
            }
            return (symbol, "static const tp_rescale_s8 \(symbol)[\(rescales.count)] = {\n" + rows.joined(separator: ",\n") + "\n};")
        }
        func outputStage(_ r: Requantization) -> String {
            CInitializer.nested([("zero_point", "\(outputZeroPoint)"), ("multiplier", "\(r.multiplier)"), ("shift", "\(r.shift)")])
        }
        /// A kernel over any number of inputs: its tables, its `kernel_params` struct (which
        /// points at them), and the call `kernel(&params, inputs, output[, scratch])` with the
        /// inputs gathered into a local array.
        func callOverInputs(_ kernel: String, tables: [String], fields: [(String, String)], scratch: String? = nil) -> LayerCode {
            let local = "xs"
            let arguments = ["&\(p)", local, site.output] + (scratch.map { [$0] } ?? [])
            return LayerCode(
                declarations: tables + [CInitializer.declaration(type: kernel + "_params", symbol: p, fields: fields)],
                statements: ["{", "    const int8_t *\(local)[\(site.inputs.count)];"]
                    + site.inputs.enumerated().map { "    \(local)[\($0)] = \($1);" }
                    + ["    \(kernel)(\(arguments.joined(separator: ", ")));", "}"])
        }
        switch kind {
        case let .sum(s):
            let rescales = rescaleTable(s.inputs)
            let signs = site.claim("signs")
            return callOverInputs(
                "tp_sum_s8",
                tables: [
                    rescales.declaration,
                    "static const int32_t \(signs)[\(s.signs.count)] = \(CInitializer.list(s.signs.map(Int.init)));",
                ],
                fields: [
                    ("count", "\(count)"), ("input_count", "\(site.inputs.count)"), ("rescales", rescales.symbol),
                    ("signs", signs), ("left_shift", "\(s.leftShift)"), ("output", outputStage(s.output)),
                ],
                scratch: scratchBytes > 0 ? site.scratchInt32() : "NULL")
        case let .product(m):
            return LayerCode.kernelCall(
                "tp_product_s8", site: site,
                fields: [
                    ("count", "\(count)"), ("zero_point_a", "\(inputZeroPoints[0])"), ("zero_point_b", "\(inputZeroPoints[1])"),
                    ("output", outputStage(m)),
                ],
                arguments: [site.inputs[0], site.inputs[1], site.output])
        case let .extremum(largest, rescales):
            let table = rescaleTable(rescales)
            return callOverInputs(
                "tp_extremum_s8", tables: [table.declaration],
                fields: [
                    ("count", "\(count)"), ("input_count", "\(site.inputs.count)"), ("rescales", table.symbol),
                    ("largest", largest ? "1" : "0"), ("zero_point", "\(outputZeroPoint)"),
                ])
        case let .concatenate(outer, blocks, rescales):
            let table = rescaleTable(rescales)
            let blocksSymbol = site.claim("blocks")
            return callOverInputs(
                "tp_concatenate_s8",
                tables: [table.declaration, "static const int32_t \(blocksSymbol)[\(blocks.count)] = \(CInitializer.list(blocks));"],
                fields: [
                    ("outer", "\(outer)"), ("input_count", "\(site.inputs.count)"), ("blocks", blocksSymbol),
                    ("rescales", table.symbol), ("zero_point", "\(outputZeroPoint)"),
                ])
        }
    }
}
