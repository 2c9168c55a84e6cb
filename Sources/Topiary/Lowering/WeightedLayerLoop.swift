/// The loop an int8 layer with weights runs (Dense, convolution, depthwise convolution,
/// per-channel affine), checked against its input: the one description the integer reference,
/// the storage model and the C emitter share.
struct WeightedLayerLoop: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A Dense layer over `rows` input rows of `QuantizedLayer.rowLength`.
        case dense(rows: Int)
        /// A (grouped) convolution: output channel `c` reads the `groupWidth` input channels of
        /// group `c / groupOutputs` at every tap. A plain convolution is one group, a depthwise
        /// one a group per input channel.
        case convolution(WindowGeometry, groupWidth: Int, groupOutputs: Int)
        /// One weight per channel of the last axis, `positions` times.
        case affine(positions: Int)
    }

    let kind: Kind

    private init(kind: Kind) {
        self.kind = kind
    }

    init(node: Node, inputShape: [Int], layer: QuantizedLayer) throws {
        func invalid(_ message: String) -> InferenceError { InferenceError(.invalidGraph, layer: node.name, message) }
        guard layer.weights.count == layer.outputChannels * layer.rowLength, layer.bias.count == layer.outputChannels,
            layer.requantization.count == layer.outputChannels
        else {
            throw invalid("int8 weights, bias and multipliers do not hold \(layer.outputChannels) channels of \(layer.rowLength)")
        }
        switch node.op {
        case .dense:
            guard inputShape.last == layer.rowLength else {
                throw invalid("int8 Dense rows of \(layer.rowLength) do not fit input \(inputShape)")
            }
            kind = .dense(rows: inputShape.dropLast().reduce(1, *))
        case let .conv(c):
            let g = try WindowGeometry(node: node, inputShape: inputShape, window: c.window)
            guard layer.rowLength == g.tapCount * g.channels, layer.outputChannels == c.filters else {
                throw invalid("int8 convolution rows do not fit input \(inputShape)")
            }
            kind = .convolution(g, groupWidth: g.channels, groupOutputs: c.filters)
        case let .depthwiseConv(c):
            let g = try WindowGeometry(node: node, inputShape: inputShape, window: c.window)
            guard layer.rowLength == g.tapCount, layer.outputChannels == g.channels * c.depthMultiplier else {
                throw invalid("int8 depthwise rows do not fit input \(inputShape)")
            }
            kind = .convolution(g, groupWidth: 1, groupOutputs: c.depthMultiplier)
        case .batchNorm, .rescaling, .normalization:
            guard inputShape.last == layer.outputChannels, layer.rowLength == 1 else {
                throw invalid("int8 affine does not fit input \(inputShape)")
            }
            kind = .affine(positions: inputShape.dropLast().reduce(1, *))
        default:
            throw invalid("\(node.kerasClass) has int8 weights but is not a Dense, convolution or per-channel affine")
        }
    }

    /// Output positions of one inference (rows of a Dense layer).
    var positions: Int {
        switch kind {
        case let .dense(rows): return rows
        case let .convolution(g, _, _): return g.outputPositions
        case let .affine(positions): return positions
        }
    }

    /// The kernel whose instruction costs `FormatCost` weighs; `nil` for an affine layer, whose
    /// one weight per channel is always stored dense.
    var costKernel: FormatCost.Kernel? {
        switch kind {
        case .dense: return .dense
        case let .convolution(g, groupWidth, groupOutputs):
            if isPointwise { return .pointwise(kernelRows: g.kernelHeight, stagedRows: stagedRowsPerPosition) }
            return groupWidth == 1 && groupOutputs == 1 ? .depthwise : .convolution(taps: g.tapCount)
        case .affine: return nil
        }
    }

    /// A one-group convolution (any window, stride, dilation and padding): a Dense layer over
    /// each position's patch (a 1x1 layer's input pixel), whose CSR rows run four positions per
    /// pass (`tp_pointwise_conv2d_csr_s8`), a patch of more than `SparseFormat.csrSegment`
    /// values in segments as a Dense row's.
    var isPointwise: Bool {
        guard case let .convolution(g, groupWidth, _) = kind else { return false }
        return groupWidth == g.channels
    }

    /// The kernel rows per output position, on average, that `tp_pointwise_conv2d_csr_s8`
    /// copies into a staging row: those with a tap in the padding, or every row where the taps
    /// of a row are dilated apart.
    var stagedRowsPerPosition: Double {
        guard case let .convolution(g, _, _) = kind, g.outputPositions > 0 else { return 0 }
        if g.kernelWidth > 1 && g.dilationWidth > 1 { return Double(g.kernelHeight) }
        let staged = stride(from: 0, to: g.taps.count, by: g.kernelWidth).count(where: { g.taps[$0..<$0 + g.kernelWidth].contains(-1) })
        return Double(staged) / Double(g.outputPositions)
    }

    /// Whether a row of some patch of `tp_pointwise_conv2d_csr_s8` is not a run of input bytes
    /// (a tap reads padding, or the taps of a row are dilated apart), which the kernel then
    /// copies into a staging row (`tp_pointwise_csr_stages_rows`).
    var stagesPatchRows: Bool { stagedRowsPerPosition > 0 }

    /// The same loop over `channels` of the layer's output channels alone (`LiveChannels`),
    /// or nil where the loop cannot leave channels out: a depthwise or grouped convolution,
    /// whose channels each read their own inputs (or one channel over one input, which the
    /// kernels would take for a depthwise one), or a per-channel affine.
    func storing(channels: Int) -> WeightedLayerLoop? {
        switch kind {
        case .dense: return self
        case let .convolution(g, groupWidth, _) where groupWidth == g.channels && !(groupWidth == 1 && channels == 1):
            return WeightedLayerLoop(kind: .convolution(g, groupWidth: groupWidth, groupOutputs: channels))
        case .convolution, .affine: return nil
        }
    }
}
