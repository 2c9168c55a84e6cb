/// A kernel tensor seen as rows, one per output channel: the view pruning patterns, channel
/// pruning and per-channel quantization all need.
///
/// Keras puts the output channel on the last axis (Dense `[in, units]`, convolutions
/// `[k…, cin, filters]`, pointwise `[1…, cin·m, filters]`) or on the last two flattened
/// (depthwise `[k…, cin, m]`, channel `c·m + j`), so value `i` belongs to channel
/// `i % channels` and is element `i / channels` of that channel's row: the row runs over the
/// channel's inputs in the order the input is laid out.
struct KernelRows: Equatable {
    let channels: Int
    let rowLength: Int

    /// The rows of weight `role` of `node`, or nil when the node has no such prunable kernel.
    init?(_ node: Node, _ role: WeightRole) {
        guard let tensor = node.weights[role], let last = tensor.shape.last, last > 0 else { return nil }
        switch (node.op, role) {
        case (.dense, .kernel), (.conv, .kernel), (.separableConv, .pointwiseKernel), (.recurrent, .kernel),
            (.recurrent, .recurrentKernel):
            // A recurrent kernel's channels are its gate channels (`[inputs, gates·units]`).
            channels = last
        case (.depthwiseConv, .depthwiseKernel), (.separableConv, .depthwiseKernel):
            guard tensor.shape.count >= 2 else { return nil }
            channels = tensor.shape[tensor.shape.count - 2] * last
        default:
            return nil
        }
        rowLength = tensor.count / channels
    }

    init(channels: Int, rowLength: Int) {
        self.channels = channels
        self.rowLength = rowLength
    }

    /// Flat index of element `position` of channel `channel`'s row.
    @inline(__always)
    func index(channel: Int, position: Int) -> Int { position * channels + channel }

    /// The weights of `role` that pruning and quantization treat as a kernel, for `node`'s op.
    static func roles(of op: Op) -> [WeightRole] {
        switch op {
        case .dense, .conv: return [.kernel]
        case .depthwiseConv: return [.depthwiseKernel]
        case .separableConv: return [.depthwiseKernel, .pointwiseKernel]
        case .recurrent: return [.kernel, .recurrentKernel]
        default: return []
        }
    }
}

extension KernelRows {
    /// The kernel that int8 quantization rounds per output channel, its role and its rows: a
    /// Dense layer's or a convolution's `kernel`, a depthwise convolution's `depthwiseKernel`;
    /// nil for any other node.
    static func quantizedKernel(of node: Node) -> (role: WeightRole, rows: KernelRows)? {
        let role: WeightRole
        switch node.op {
        case .dense, .conv: role = .kernel
        case .depthwiseConv: role = .depthwiseKernel
        default: return nil
        }
        return KernelRows(node, role).map { (role, $0) }
    }
}
