/// An int8 Dense, convolution, depthwise convolution or per-channel affine: the packed
/// weights in the format chosen for the layer, its channel metadata, and the call of the
/// matching kernel (`tp_dense_<format>_s8`, `tp_conv2d_<format>_s8`, `tp_channel_affine_s8`).
struct WeightedS8Emitter: LayerKernel {
    enum Kind {
        case dense(rows: Int)
        case convolution(WindowGeometry, groupWidth: Int, groupOutputs: Int)
        case affine(positions: Int)
    }

    let node: Node
    let layer: QuantizedLayer
    let kind: Kind
    let packed: PackedRows
    let metadata: ChannelMetadata

    init(node: Node, inputShape: [Int], layer: QuantizedLayer, choice: FormatChoice, goal: OptimizationGoal) throws {
        self.node = node
        self.layer = layer
        switch node.op {
        case .dense:
            kind = .dense(rows: inputShape.dropLast().reduce(1, *))
        case let .conv(c):
            let g = try WindowGeometry(node: node, inputShape: inputShape, convolution: c)
            kind = .convolution(g, groupWidth: g.channels, groupOutputs: c.filters)
        case let .depthwiseConv(c):
            let g = try WindowGeometry(node: node, inputShape: inputShape, convolution: c)
            kind = .convolution(g, groupWidth: 1, groupOutputs: c.depthMultiplier)
        case .batchNorm, .rescaling, .normalization:
            kind = .affine(positions: inputShape.dropLast().reduce(1, *))
        default:
            throw CodeGenError.unsupported(layer: node.name, reason: "\(node.kerasClass) has int8 weights but no int8 kernel")
        }
        if case .affine = kind {
            packed = RowPacker.pack(layer.weights, rows: layer.outputChannels, rowLength: 1, as: .dense)
        } else {
            let cost: (kernel: FormatCost.Kernel, positions: Int)
            switch kind {
            case let .dense(rows): cost = (.dense, rows)
            case let .convolution(g, groupWidth, groupOutputs):
                cost = (groupWidth == 1 && groupOutputs == 1 ? .depthwise : .convolution, g.outputPositions)
            case let .affine(positions): cost = (.dense, positions)
            }
            packed = RowPacker.choose(
                layer.weights, rows: layer.outputChannels, rowLength: layer.rowLength, choice: choice, goal: goal,
                kernel: cost.kernel, positions: cost.positions)
        }
        metadata = ChannelMetadata(layer)
    }

    /// A depthwise convolution of depth multiplier 1 with dense weights: the kernel of its own,
    /// `tp_depthwise_conv2d_s8`, with the weights in `KernelWeightLayout.depthwise` order.
    private var isDenseDepthwise: Bool {
        guard case let .convolution(_, groupWidth, groupOutputs) = kind else { return false }
        return groupWidth == 1 && groupOutputs == 1 && packed.format == .dense
    }

    /// A one-group 1x1 convolution at stride 1 with dense weights: the blocked matrix product
    /// of its own, `tp_pointwise_conv2d_s8`, which reads each position's inputs as one row.
    private var isDensePointwise: Bool {
        guard case let .convolution(g, _, groupOutputs) = kind else { return false }
        return g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideHeight == 1 && g.strideWidth == 1
            && groupOutputs == layer.outputChannels && packed.format == .dense
    }

    var storage: OutputStorage {
        if case .affine = kind { return .inPlace }
        return .fresh
    }

    /// The tap offsets of one output position (int32 each), for a dense depthwise convolution
    /// those of a window inside the input as well and a 12-byte output scale per channel
    /// (`tp_depthwise_conv2d_s8_get_buffer_size`), for a dense pointwise one two positions' widened inputs
    /// (`tp_pointwise_conv2d_s8_get_buffer_size`), and for a one-group convolution
    /// the widened windows of two positions that the DSP body of `tp_conv2d_s8` multiplies as
    /// a block (two int16 per value, four values to two words of each position, an int32 per
    /// value of the remainder), with room to gather one window's bytes when a tap's channels
    /// are not a multiple of four; for CSR filters the tap offsets of one position and two
    /// positions' windows gathered as pairs, a word per input (`tp_conv2d_csr_s8_get_buffer_size`).
    var scratchBytes: Int {
        guard case let .convolution(g, groupWidth, groupOutputs) = kind else { return 0 }
        let taps = g.kernelHeight * g.kernelWidth
        if isDenseDepthwise { return 2 * 4 * taps + 12 * layer.outputChannels }
        if isDensePointwise { return 4 * (4 * (g.channels / 4) + 2 * (g.channels % 4)) }
        if packed.format == .csr { return 4 * (taps + taps * g.channels) }
        guard groupOutputs == layer.outputChannels, packed.format == .dense else { return 4 * taps }
        let length = taps * groupWidth
        let columnWords = 4 * (length / 4) + 2 * (length % 4)
        let gatheredBytes = groupWidth % 4 == 0 ? 0 : (length + 3) / 4 * 4
        return 4 * taps + 4 * columnWords + gatheredBytes
    }

    var headers: [String] {
        switch kind {
        case .dense: return [packed.header(dense: "tp_dense_s8.h")]
        case .convolution:
            return [packed.header(dense: isDenseDepthwise ? "tp_depthwise_s8.h" : isDensePointwise ? "tp_pointwise_s8.h" : "tp_conv_s8.h")]
        case .affine: return ["tp_elementwise_s8.h"]
        }
    }

    private var shapeMeaning: String {
        switch kind {
        case .dense: return "[units, inputs]"
        case .convolution: return "[channels, taps x group inputs]"
        case .affine: return "[channels]"
        }
    }

    func arrays() throws -> [CIntegerArray] {
        let rowsText = "\(layer.outputChannels) x \(layer.rowLength)"
        let sparsity =
            (packed.rows * packed.rowLength) == 0 ? 0 : 100 * (1 - Double(packed.nonzeros) / Double(packed.rows * packed.rowLength))
        let about =
            "int8 weights \(shapeMeaning) = \(rowsText), format \(packed.format), sparsity \(Int(sparsity.rounded()))%, scales per channel \(scaleRange)"
        var result =
            packed.format == .dense
            ? [CIntegerArray(key: "values", meaning: about + denseOrder.meaning, type: .int8, denseOrder.values)]
            : packed.weightArrays(about: about)
        result.append(CIntegerArray(key: "bias", meaning: "int32 bias (input zero point folded in)", type: .int32, metadata.bias))
        result.append(
            CIntegerArray(
                key: "multiplier", meaning: metadata.multiplierStep == 0 ? "Q31 multiplier (shared)" : "Q31 multipliers",
                type: .int32, metadata.multipliers))
        result.append(
            CIntegerArray(key: "shift", meaning: metadata.shiftStep == 0 ? "shift (shared)" : "shifts", type: .int8, metadata.shifts))
        return result
    }

    /// The dense weights in the order the layer's kernel reads them (`KernelWeightLayout`).
    private var denseOrder: (values: [Int8], meaning: String) {
        switch kind {
        case .dense:
            return (
                KernelWeightLayout.dense(packed.values, units: layer.outputChannels, inputs: layer.rowLength),
                ", in blocks of four units for tp_dense_s8"
            )
        case let .convolution(g, _, _) where isDenseDepthwise:
            return (
                KernelWeightLayout.depthwise(packed.values, channels: layer.outputChannels, taps: g.kernelHeight * g.kernelWidth),
                ", interleaved for tp_depthwise_conv2d_s8"
            )
        default:
            return (packed.values, "")
        }
    }

    private var scaleRange: String {
        let low = layer.weightScales.min() ?? 0, high = layer.weightScales.max() ?? 0
        return low == high ? "\(low)" : "\(low)...\(high)"
    }

    var footprint: LayerFootprint? {
        let positions: Int
        switch kind {
        case let .dense(rows): positions = rows
        case let .convolution(g, _, _): positions = g.outputPositions
        case let .affine(p): positions = p
        }
        let weights = layer.outputChannels * layer.rowLength
        return LayerFootprint(
            layer: node.name, format: packed.format, channels: layer.outputChannels, weights: weights, nonzeros: packed.nonzeros,
            valueBytes: packed.valueBytes, indexBytes: packed.indexBytes, metadataBytes: metadata.bytes,
            nonzeroMACs: packed.nonzeros * positions, denseMACs: weights * positions,
            float32Bytes: 4 * (weights + layer.outputChannels))
    }

    private func outputStage(_ site: CallSite) -> String {
        CInitializer.nested([
            ("bias", site.array("bias")), ("multiplier", site.array("multiplier")), ("shift", site.array("shift")),
            ("multiplier_step", "\(metadata.multiplierStep)"), ("shift_step", "\(metadata.shiftStep)"),
            ("output_zero_point", "\(layer.outputZeroPoint)"), ("output_min", "\(layer.outputMin)"), ("output_max", "\(layer.outputMax)"),
        ])
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        let input = site.inputs[0], output = site.output, p = site.paramsSymbol
        let nm = packed.patternArgument(site)
        var declarations = nm.declarations
        let pattern = nm.argument, suffix = packed.kernelSuffix
        func weightArguments() -> String { packed.weightArguments(site) }
        switch kind {
        case let .dense(rows):
            declarations.append(
                CInitializer.declaration(
                    type: "tp_dense_s8_params", symbol: p,
                    fields: [
                        ("rows", "\(rows)"), ("input_width", "\(layer.rowLength)"), ("units", "\(layer.outputChannels)"),
                        ("output", outputStage(site)),
                    ]))
            return LayerCode(
                declarations: declarations,
                statements: ["tp_dense\(suffix)_s8(&\(p), \(pattern)\(input), \(weightArguments()), \(output));"])
        case let .convolution(g, groupWidth, groupOutputs):
            declarations.append(
                CInitializer.declaration(
                    type: "tp_conv2d_s8_params", symbol: p,
                    fields: [
                        ("window", g.literal), ("out_channels", "\(layer.outputChannels)"), ("group_width", "\(groupWidth)"),
                        ("group_outputs", "\(groupOutputs)"), ("input_zero_point", "\(layer.inputZeroPoint)"),
                        ("output", outputStage(site)),
                    ]))
            if isDenseDepthwise {
                return LayerCode(
                    declarations: declarations,
                    statements: ["tp_depthwise_conv2d_s8(&\(p), \(input), \(site.array("values")), \(output), \(site.scratchInt32()));"])
            }
            if isDensePointwise {
                return LayerCode(
                    declarations: declarations,
                    statements: ["tp_pointwise_conv2d_s8(&\(p), \(input), \(site.array("values")), \(site.scratchInt32()), \(output));"])
            }
            return LayerCode(
                declarations: declarations,
                statements: ["tp_conv2d\(suffix)_s8(&\(p), \(pattern)\(input), \(weightArguments()), \(site.scratchInt32()), \(output));"])
        case let .affine(positions):
            declarations.append(
                CInitializer.declaration(
                    type: "tp_channel_output_s8", symbol: p,
                    fields: [
                        ("bias", site.array("bias")), ("multiplier", site.array("multiplier")), ("shift", site.array("shift")),
                        ("multiplier_step", "\(metadata.multiplierStep)"), ("shift_step", "\(metadata.shiftStep)"),
                        ("output_zero_point", "\(layer.outputZeroPoint)"), ("output_min", "\(layer.outputMin)"),
                        ("output_max", "\(layer.outputMax)"),
                    ]))
            return LayerCode(
                declarations: declarations,
                statements: [
                    "tp_channel_affine_s8(\(positions), \(layer.outputChannels), \(site.array("values")), &\(p), \(input), \(output));"
                ])
        }
    }
}
