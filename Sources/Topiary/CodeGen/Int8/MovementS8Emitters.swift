/// Identity, Flatten, Reshape on int8: the output is the input's memory; no code runs.
struct AliasS8Emitter: LayerKernel {
    var storage: OutputStorage { .alias }
    var headers: [String] { [] }
    func emit(_ site: CallSite) throws -> LayerCode { LayerCode() }
}

/// The ops that only move values (`Movement`) on int8 (`tp_gather_s8`): the
/// `GatherTable` the reference engine uses, emitted as data; padding rows read the zero point.
struct GatherS8Emitter: LayerKernel {
    let gather: GatherTable
    let zeroPoint: Int32

    init(node: Node, inputShape: [Int], zeroPoint: Int32) throws {
        self.zeroPoint = zeroPoint
        gather = try GatherTable(node: node, inputShape: inputShape)
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_elementwise_s8.h"] }

    func arrays() throws -> [CIntegerArray] {
        [CIntegerArray(key: "sources", meaning: "source row of each output row (-1: zero point)", type: .int32, gather.sources)]
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        LayerCode.kernelCall(
            "tp_gather_s8", site: site,
            fields: [("rows", "\(gather.sources.count)"), ("row_length", "\(gather.rowLength)"), ("fill", "\(zeroPoint)")],
            arguments: [site.inputs[0], site.array("sources"), site.output])
    }
}

/// Max and average pooling, windowed (`tp_pool2d_s8`) or global (`tp_global_pool_s8`).
struct PoolS8Emitter: LayerKernel {
    let node: Node
    let window: WindowGeometry?
    let average: Bool
    let positions: Int
    let channels: Int

    init(node: Node, inputShape: [Int]) throws {
        self.node = node
        switch node.op {
        case let .pool(p):
            let g = try WindowGeometry(
                node: node, inputShape: inputShape, kernel: p.poolSize, strides: p.strides,
                dilation: Array(repeating: 1, count: p.rank), padding: p.padding)
            window = g
            average = p.kind == .average
            positions = g.outputPositions
            channels = g.channels
        case let .globalPool(g):
            window = nil
            average = g.kind == .average
            positions = inputShape.dropLast().reduce(1, *)
            channels = inputShape.last ?? 1
        default:
            throw CodeGenError.unsupported(layer: node.name, reason: "\(node.kerasClass) is not a pooling")
        }
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_pool_s8.h"] }

    func emit(_ site: CallSite) throws -> LayerCode {
        guard let window else {
            return LayerCode(statements: [
                "tp_global_pool_s8(\(positions), \(channels), \(average ? 1 : 0), \(site.inputs[0]), \(site.output));"
            ])
        }
        return LayerCode(
            declarations: [CInitializer.declarationWindow(symbol: site.paramsSymbol, window)],
            statements: [
                "tp_pool2d_s8(&\(site.paramsSymbol), \(average ? 1 : 0), \(site.inputs[0]), \(site.output));"
            ])
    }
}

extension CInitializer {
    /// `static const tp_window SYMBOL = { … };`
    static func declarationWindow(symbol: String, _ window: WindowGeometry) -> String {
        "static const tp_window \(symbol) = \(window.literal);"
    }
}
