/// An int8 Dense, convolution, depthwise convolution or per-channel affine: the packed
/// weights in the format chosen for the layer, its channel metadata, and the call of the
/// matching kernel (`tp_dense_<format>_s8`, `tp_conv2d_<format>_s8`, `tp_grouped_conv2d_s8`,
/// `tp_channel_affine_s8`).
struct WeightedS8Emitter: LayerKernel {
    typealias Kind = WeightedLayerLoop.Kind

    let node: Node
    /// The layer the kernel runs: only its channels with weights when the storage keeps only
    /// theirs (`WeightedLayerStorage.live`), whose outputs are then spread to every channel.
    let layer: QuantizedLayer
    /// The layer's loop, packed rows and channel metadata, as the storage model counts them:
    /// the emitter writes what compression measured, never a second derivation of it.
    let layerStorage: WeightedLayerStorage

    var kind: Kind { layerStorage.loop.kind }
    var packed: PackedRows { layerStorage.packed }
    var metadata: ChannelMetadata { layerStorage.metadata }

    /// The groups of four channels a pass of `tp_depthwise_conv2d_3x3_s8` holds the records of:
    /// all the layer's unless the arena plan gives it less room (`withScratch`).
    private(set) var depthwiseRecords: Int

    init(node: Node, inputShape: [Int], layer: QuantizedLayer, choice: FormatChoice, goal: OptimizationGoal) throws {
        self.node = node
        layerStorage = try WeightedLayerStorage(node: node, inputShape: inputShape, layer: layer, choice: choice, goal: goal)
        self.layer = layerStorage.stored
        depthwiseRecords = self.layer.outputChannels / 4
    }

    /// A depthwise convolution of depth multiplier 1 with dense weights: the kernel of its own,
    /// `tp_depthwise_conv2d_s8`, with the weights in `KernelWeightLayout.depthwise` order.
    private var isDenseDepthwise: Bool {
        guard case let .convolution(_, groupWidth, groupOutputs) = kind else { return false }
        return groupWidth == 1 && groupOutputs == 1 && packed.format == .dense
    }

    /// A dense depthwise convolution with a 3x3 window at dilation 1: `tp_depthwise_conv2d_3x3_s8`,
    /// which reads no tap offsets and tests no tap for padding.
    private var isDenseDepthwise3x3: Bool {
        guard isDenseDepthwise, case let .convolution(g, _, _) = kind else { return false }
        return g.kernelHeight == 3 && g.kernelWidth == 3 && g.dilationHeight == 1 && g.dilationWidth == 1
    }

    /// A depthwise convolution of depth multiplier 1 whose CSR filters are one segment each (at
    /// most `SparseFormat.csrSegment` taps): `tp_depthwise_conv2d_csr_s8`, channel by channel
    /// over the nonzero taps. A layer of one channel is also one group, whose CSR table rows
    /// (`isCsrTable`) take the pointwise kernel first.
    private var isCsrDepthwise: Bool {
        guard case let .convolution(_, groupWidth, groupOutputs) = kind else { return false }
        return groupWidth == 1 && groupOutputs == 1 && packed.format == .csr
            && SparseFormat.csrSegments(rowLength: packed.rowLength) == 1 && !isCsrTable
    }

    /// A one-group 1x1 convolution at stride 1 with dense weights: the blocked matrix product
    /// of its own, `tp_pointwise_conv2d_s8`, which reads each position's inputs as one row.
    private var isDensePointwise: Bool {
        guard case let .convolution(g, _, groupOutputs) = kind else { return false }
        return g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideHeight == 1 && g.strideWidth == 1
            && groupOutputs == layer.outputChannels && packed.format == .dense
    }

    /// CSR rows with a multiplier and a shift per channel, in a Dense layer of any width
    /// (`tp_dense_csr_table_s8`) or a one-group convolution of any patch
    /// (`WeightedLayerLoop.isPointwise`, `tp_pointwise_conv2d_csr_s8`): their kernels read each
    /// row's bias and multiplier as one word pair and its segments' entry counts and its shift
    /// as bytes side by side (the same bytes as the four arrays).
    private var isCsrTable: Bool {
        guard packed.format == .csr, metadata.multiplierStep == 1, metadata.shiftStep == 1 else { return false }
        switch kind {
        case .dense: return true
        case .convolution: return layerStorage.loop.isPointwise
        case .affine: return false
        }
    }

    /// The shifts the folded output stage takes: -2 down to `-1 -
    /// TP_CHANNEL_SCALE_S8_FOLDED_EXPONENT`.
    static let foldedShifts = -23 ... -2

    /// A CSR table layer whose every row takes the folded output stage on the DSP extension
    /// (`folded` in `tp_dense_csr_table_s8_params`): every shift in `foldedShifts` and the
    /// whole int8 range as its clamp.
    private var isFoldedCsrTable: Bool {
        layer.outputMin == -128 && layer.outputMax == 127 && metadata.shifts.allSatisfy { Self.foldedShifts.contains(Int($0)) }
    }

    /// Every channel takes the short output stage of `tp_channel_scale_s8.h`: its shift -2 or
    /// below and the whole int8 range as the clamp (`tp_channel_scale_s8_applies`).
    private var takesShortOutputStage: Bool {
        layer.outputMin == -128 && layer.outputMax == 127 && metadata.shifts.allSatisfy { $0 <= -2 }
    }

    /// In place for an affine layer; over its input, as far as the kernel's order allows, for
    /// the dense 3x3 depthwise, dense pointwise and CSR pointwise kernels whose order was
    /// checked (`KernelAccessOrder`) when the output is written whole (no live channels spread
    /// after); otherwise a fresh buffer.
    var storage: OutputStorage {
        if case .affine = kind { return .inPlace }
        guard layerStorage.live == nil, case let .convolution(g, _, _) = kind else { return .fresh }
        if isDenseDepthwise3x3 { return .overlapping(.depthwise3x3S8(window: g)) }
        if isDensePointwise { return .overlapping(.pointwiseS8(window: g)) }
        if isCsrTable { return .overlapping(.pointwiseCsrS8(window: g)) }
        return .fresh
    }

    /// The passes of `tp_depthwise_conv2d_3x3_s8` (`TP_DEPTHWISE_3X3_PASSES`) when the arena plan
    /// gives a dense 3x3 depthwise convolution the records of fewer groups than it has. The
    /// window gatherer a dense one-group convolution (`tp_conv2d_s8`) needs on the DSP
    /// extension: when a tap's channels are not a multiple of four and the rows of a window lie
    /// one after another (dilation 1 along them), `TP_CONV_S8_ROWS_3X9` for three rows of nine
    /// bytes (a 3x3 filter over three channels), `TP_CONV_S8_ROWS` for any other. The output
    /// stage a dense Dense layer takes in `tp_dense_s8`: `TP_DENSE_S8_SHORT_STAGE` when
    /// `takesShortOutputStage`, else `TP_DENSE_S8_GENERAL_STAGE`.
    var definitions: [String] {
        if case .dense = kind, packed.format == .dense {
            return [takesShortOutputStage ? "TP_DENSE_S8_SHORT_STAGE" : "TP_DENSE_S8_GENERAL_STAGE"]
        }
        if isDenseDepthwise3x3 { return depthwiseRecords < layer.outputChannels / 4 ? ["TP_DEPTHWISE_3X3_PASSES"] : [] }
        guard case let .convolution(g, groupWidth, groupOutputs) = kind, packed.format == .dense, !isDenseDepthwise,
            !isDensePointwise, groupOutputs == layer.outputChannels, groupWidth % 4 != 0, g.dilationWidth == 1
        else { return [] }
        return g.kernelHeight == 3 && g.kernelWidth * groupWidth == 9 ? ["TP_CONV_S8_ROWS_3X9"] : ["TP_CONV_S8_ROWS"]
    }

    /// The scratch of the layer's kernel, each the value of the kernel's `_get_buffer_size`
    /// function: a dense depthwise convolution's two lists of tap offsets and a 12-byte output
    /// scale per channel (`tp_depthwise_conv2d_s8_get_buffer_size`), for a 3x3 window a record of
    /// 136 bytes per group of four channels of a pass (biases, widened weights, output scales)
    /// and a row of input zero points for the taps in the padding, a byte per channel of a pass
    /// rounded up to words (`tp_depthwise_conv2d_3x3_s8_get_buffer_size`); a CSR depthwise
    /// convolution's tap table and one channel's taps, 20 bytes per tap of its window
    /// (`tp_depthwise_conv2d_csr_s8_get_buffer_size`); a dense pointwise convolution's four
    /// positions' widened inputs (`tp_pointwise_conv2d_s8_get_buffer_size`); CSR table rows of a
    /// one-group convolution four positions' patches as pairs, two words per patch value, and
    /// two staging rows of a kernel row's bytes (rounded up to words) where a patch row is not a
    /// run of input bytes (`tp_pointwise_conv2d_csr_s8_get_buffer_size`);
    /// a dense one-group convolution's tap offsets of one position (the portable body) or the
    /// widened windows of four positions that the DSP body multiplies as a block, whichever is
    /// larger (`tp_conv2d_s8_get_buffer_size`); CSR filters' tap offsets of one position and two
    /// positions' windows gathered as pairs, a word per input (`tp_conv2d_csr_s8_get_buffer_size`);
    /// otherwise the tap offsets of one position.
    var scratchBytes: Int {
        guard case let .convolution(g, groupWidth, groupOutputs) = kind else { return 0 }
        let taps = g.kernelHeight * g.kernelWidth
        if isDenseDepthwise3x3 { return Self.depthwise3x3Scratch(records: depthwiseRecords) }
        if isDenseDepthwise { return 2 * 4 * taps + 12 * layer.outputChannels }
        if isCsrDepthwise { return 20 * taps }
        if isDensePointwise { return 32 * ((g.channels + 3) / 4) }
        if isCsrTable {
            let run = g.kernelWidth * g.channels
            return 8 * g.kernelHeight * run + (layerStorage.loop.stagesPatchRows ? (2 * run + 3) / 4 * 4 : 0)
        }
        if packed.format == .csr { return 4 * (taps + taps * g.channels) }
        guard groupOutputs == layer.outputChannels, packed.format == .dense else { return 4 * taps }
        return Self.blockedConvolutionScratch(taps: taps, groupWidth: groupWidth)
    }

    /// A dense 3x3 depthwise convolution runs in one pass over its windows with the records of
    /// all its groups of four channels in its scratch, or in up to four passes with fewer: each
    /// pass finds every window's taps again (about 7,000 instructions a pass on a 25x5 map of 64
    /// channels, under 3% of the layer), which more passes would make a cost out of proportion to the
    /// scratch they save. Any other kernel runs in `scratchBytes`.
    var scratchChoices: [Int] {
        guard isDenseDepthwise3x3 else { return [scratchBytes] }
        let groups = layer.outputChannels / 4
        return ((groups + 3) / 4...groups).map { Self.depthwise3x3Scratch(records: $0) }
    }

    func withScratch(_ bytes: Int) -> any LayerKernel {
        guard isDenseDepthwise3x3 else { return self }
        var kernel = self
        kernel.depthwiseRecords = (bytes - Self.depthwise3x3Scratch(records: 0)) / 140
        return kernel
    }

    /// `tp_depthwise_conv2d_3x3_s8_get_buffer_size`: a pass's `records` records of 136 bytes and
    /// its row of input zero points, a byte for each of its up to `4 * records + 3` channels
    /// rounded up to words.
    static func depthwise3x3Scratch(records: Int) -> Int {
        140 * records + 4
    }

    /// `tp_conv2d_s8_get_buffer_size` of a one-group convolution: the larger of the portable
    /// body's tap offsets (an int32 per tap) and the DSP body's four widened windows (two int32
    /// per position for every four of the `taps * groupWidth` filter values, the last group
    /// zero-filled), with the bytes of one window, zero-filled to a multiple of four, and a word
    /// more (rows are copied by whole words), gathered before widening when a tap's channels are
    /// not a multiple of four.
    static func blockedConvolutionScratch(taps: Int, groupWidth: Int) -> Int {
        let groups = (taps * groupWidth + 3) / 4
        let blocked = 32 * groups + (groupWidth % 4 == 0 ? 0 : 4 * groups + 4)
        return max(4 * taps, blocked)
    }

    var headers: [String] {
        let kernel: String
        switch kind {
        case .dense: kernel = isCsrTable ? "tp_dense_csr_table_s8.h" : packed.header(dense: "tp_dense_s8.h")
        case .convolution where isCsrTable: kernel = "tp_pointwise_csr_s8.h"
        case .convolution where isCsrDepthwise: kernel = "tp_depthwise_sparse_s8.h"
        case .convolution:
            kernel = packed.header(dense: isDenseDepthwise ? "tp_depthwise_s8.h" : isDensePointwise ? "tp_pointwise_s8.h" : "tp_conv_s8.h")
        case .affine: kernel = "tp_elementwise_s8.h"
        }
        // `tp_spread_channels_s8` is declared with the sparse kernels.
        return layerStorage.live == nil || kernel == "tp_sparse_s8.h" ? [kernel] : [kernel, "tp_sparse_s8.h"]
    }

    private var shapeMeaning: String {
        switch kind {
        case .dense: return "[units, inputs]"
        case .convolution: return "[channels, taps x group inputs]"
        case .affine: return "[channels]"
        }
    }

    func arrays() throws -> [CIntegerArray] {
        let rowsText =
            "\(layer.outputChannels) x \(layer.rowLength)"
            + (layerStorage.live == nil ? "" : " (the \(layer.outputChannels) of \(layerStorage.channels) channels with weights)")
        let sparsity =
            (packed.rows * packed.rowLength) == 0 ? 0 : 100 * (1 - Double(packed.nonzeros) / Double(packed.rows * packed.rowLength))
        let about =
            "int8 weights \(shapeMeaning) = \(rowsText), format \(packed.format), sparsity \(Int(sparsity.rounded()))%, scales per channel \(scaleRange)"
        var result: [CIntegerArray]
        if isCsrTable {
            result = csrTableArrays(about: about)
        } else {
            result =
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
        }
        if let live = layerStorage.live {
            result.append(
                CIntegerArray(
                    key: "live", meaning: "channels with weights, a bit each, of the \(layerStorage.channels) output channels",
                    type: .uint8, live.mask))
            result.append(
                CIntegerArray(key: "constants", meaning: "output of each channel without weights", type: .int8, live.constants))
        }
        return result
    }

    /// The arrays of `tp_dense_csr_table_s8`: each row's bias and multiplier side by side, the
    /// entry counts of its segments and `-shift - 2` (the folded output stage's shift of its
    /// high word) side by side, then the entries' indices and values.
    private func csrTableArrays(about: String) -> [CIntegerArray] {
        let rows = packed.rows, segments = SparseFormat.csrSegments(rowLength: packed.rowLength)
        let constants = (0..<rows).flatMap { [metadata.bias[$0], metadata.multipliers[$0]] }
        let heads: [UInt8] = (0..<rows).flatMap { row -> [UInt8] in
            let shiftByte = UInt8(truncatingIfNeeded: -Int(metadata.shifts[row]) - 2)
            return Array(packed.counts[row * segments..<(row + 1) * segments]) + [shiftByte]
        }
        let counts = segments == 1 ? "entries" : "entries of each segment of \(SparseFormat.csrSegment) inputs"
        return [
            CIntegerArray(
                key: "heads", meaning: counts + " and -shift-2 (as a byte) per row of the " + about, type: .uint8, heads),
            CIntegerArray(
                key: "indices", meaning: segments == 1 ? "input index of each entry" : "index of each entry in its segment",
                type: .uint8, packed.indices),
            CIntegerArray(key: "values", meaning: "values", type: .int8, packed.values),
            CIntegerArray(
                key: "row_constants", meaning: "int32 bias (input zero point folded in) and Q31 multiplier per row", type: .int32,
                constants),
        ]
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

    var footprint: LayerFootprint? { layerStorage.footprint(layer: node.name) }

    private func outputStage(_ site: CallSite) -> String {
        CInitializer.nested([
            ("bias", site.array("bias")), ("multiplier", site.array("multiplier")), ("shift", site.array("shift")),
            ("multiplier_step", "\(metadata.multiplierStep)"), ("shift_step", "\(metadata.shiftStep)"),
            ("output_zero_point", "\(layer.outputZeroPoint)"), ("output_min", "\(layer.outputMin)"), ("output_max", "\(layer.outputMax)"),
        ])
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        var code = try kernelCode(site)
        if let live = layerStorage.live {
            code.statements.append(
                "tp_spread_channels_s8(\(layerStorage.positions), \(layerStorage.channels), \(live.channels.count), "
                    + "\(site.array("live")), \(site.array("constants")), \(site.output));")
        }
        return code
    }

    /// The fields of `tp_dense_csr_table_s8_params` for the rows over `rows` input vectors.
    private func csrTableFields(_ site: CallSite, rows: Int) -> [(String, String)] {
        [
            ("rows", "\(rows)"), ("input_width", "\(layer.rowLength)"), ("units", "\(layer.outputChannels)"),
            ("constants", site.array("row_constants")), ("heads", site.array("heads")),
            ("output_zero_point", "\(layer.outputZeroPoint)"), ("output_min", "\(layer.outputMin)"),
            ("output_max", "\(layer.outputMax)"), ("folded", isFoldedCsrTable ? "1" : "0"),
        ]
    }

    /// The call of the kernel over the stored channels.
    private func kernelCode(_ site: CallSite) throws -> LayerCode {
        let input = site.inputs[0], output = site.output, p = site.paramsSymbol
        let nm = packed.patternArgument(site)
        var declarations = nm.declarations
        let pattern = nm.argument, suffix = packed.kernelSuffix
        func weightArguments() -> String { packed.weightArguments(site) }
        switch kind {
        case let .dense(rows) where isCsrTable:
            declarations.append(
                CInitializer.declaration(type: "tp_dense_csr_table_s8_params", symbol: p, fields: csrTableFields(site, rows: rows)))
            return LayerCode(
                declarations: declarations,
                statements: ["tp_dense_csr_table_s8(&\(p), \(input), \(site.array("indices")), \(site.array("values")), \(output));"])
        case let .convolution(g, _, _) where isCsrTable:
            declarations.append(
                CInitializer.declaration(
                    type: "tp_pointwise_csr_s8_params", symbol: p,
                    fields: [
                        ("window", g.literal), ("input_zero_point", "\(layer.inputZeroPoint)"),
                        ("rows", CInitializer.nested(csrTableFields(site, rows: g.outputPositions))),
                    ]))
            return LayerCode(
                declarations: declarations,
                statements: [
                    "tp_pointwise_conv2d_csr_s8(&\(p), \(input), \(site.array("indices")), \(site.array("values")), \(output), "
                        + "\(site.scratchInt32()));"
                ])
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
                let call =
                    isDenseDepthwise3x3
                    ? "tp_depthwise_conv2d_3x3_s8(&\(p), \(input), \(site.array("values")), \(output), \(site.scratchInt32()), \(depthwiseRecords));"
                    : "tp_depthwise_conv2d_s8(&\(p), \(input), \(site.array("values")), \(output), \(site.scratchInt32()));"
                return LayerCode(declarations: declarations, statements: [call])
            }
            if isDensePointwise {
                return LayerCode(
                    declarations: declarations,
                    statements: ["tp_pointwise_conv2d_s8(&\(p), \(input), \(site.array("values")), \(output), \(site.scratchInt32()));"])
            }
            // Dense filters of several groups have a kernel of their own, which on the DSP
            // extension a model of one-group convolutions then does not carry.
            let function =
                isCsrDepthwise
                ? "tp_depthwise_conv2d_csr_s8"
                : packed.format == .dense && groupOutputs != layer.outputChannels ? "tp_grouped_conv2d_s8" : "tp_conv2d\(suffix)_s8"
            return LayerCode(
                declarations: declarations,
                statements: ["\(function)(&\(p), \(pattern)\(input), \(weightArguments()), \(output), \(site.scratchInt32()));"])
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
                    "tp_channel_affine_s8(\(positions), \(layer.outputChannels), &\(p), \(input), \(site.array("values")), \(output));"
                ])
        }
    }
}
