/// An element-wise activation by its 256-entry table (`tp_lookup_s8`), in place.
struct LookupS8Emitter: LayerKernel {
    let table: [Int8]
    let count: Int
    let activation: String

    var storage: OutputStorage { .inPlace }
    var headers: [String] { ["tp_elementwise_s8.h"] }

    func arrays() throws -> [CIntegerArray] {
        [CIntegerArray(key: "table", meaning: "\(activation) by table: output for input q at [q + 128]", type: .int8, table)]
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        LayerCode(statements: ["tp_lookup_s8(\(count), \(site.inputs[0]), \(site.array("table")), \(site.output));"])
    }
}

/// Softmax along one axis by exponential table (`tp_softmax_s8`), in place.
struct SoftmaxS8Emitter: LayerKernel {
    let table: SoftmaxTable
    let layout: AxisLayout

    init(node: Node, inputShape: [Int], axis: Int, table: SoftmaxTable) throws {
        self.table = table
        layout = try AxisLayout(node: node, shape: inputShape, axis: axis)
    }

    var storage: OutputStorage { .inPlace }
    var headers: [String] { ["tp_softmax_s8.h"] }

    /// The exponentials stored: up to the last nonzero one, the kernel taking 0 past them.
    var entries: Int { table.storedExponentials.count }

    func arrays() throws -> [CIntegerArray] {
        [
            CIntegerArray(
                key: "exponentials", meaning: "round(2^15 exp(-s_in k)), k = max - q, up to the last nonzero", type: .uint16,
                Array(table.storedExponentials))
        ]
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        LayerCode.kernelCall(
            "tp_softmax_s8", site: site,
            fields: [
                ("outer", "\(layout.outer)"), ("length", "\(layout.length)"), ("inner", "\(layout.inner)"), ("entries", "\(entries)"),
            ],
            arguments: [site.inputs[0], site.array("exponentials"), site.output])
    }
}
