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
        LayerCode(statements: ["tp_lookup_s8(\(count), \(site.array("table")), \(site.inputs[0]), \(site.output));"])
    }
}

/// Softmax along one axis by exponential table (`tp_softmax_s8`), in place.
struct SoftmaxS8Emitter: LayerKernel {
    let table: SoftmaxTable
    let outer: Int
    let length: Int
    let inner: Int

    init(node: Node, inputShape: [Int], axis: Int, table: SoftmaxTable) throws {
        let resolved = axis < 0 ? axis + inputShape.count : axis
        guard resolved >= 0, resolved < inputShape.count else {
            throw CodeGenError.unsupported(layer: node.name, reason: "softmax axis \(axis) is out of range for \(inputShape)")
        }
        self.table = table
        outer = inputShape[..<resolved].reduce(1, *)
        length = inputShape[resolved]
        inner = inputShape[(resolved + 1)...].reduce(1, *)
    }

    var storage: OutputStorage { .inPlace }
    var headers: [String] { ["tp_softmax_s8.h"] }

    func arrays() throws -> [CIntegerArray] {
        [CIntegerArray(key: "exponentials", meaning: "round(2^15 exp(-s_in k)), k = max - q", type: .uint16, table.exponentials)]
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        LayerCode(statements: [
            "tp_softmax_s8(\(outer), \(length), \(inner), \(site.array("exponentials")), \(site.inputs[0]), \(site.output));"
        ])
    }
}
