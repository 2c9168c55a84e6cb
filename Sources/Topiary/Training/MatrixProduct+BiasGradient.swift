extension MatrixProduct {
    /// The gradient of the bias an output starts from (`start(rows:bias:columns:)`): each
    /// column of `gradient` (`[rows, bias.count]`) summed into `bias`. Dense and the plain and
    /// depthwise convolutions share it.
    static func addBiasGradient(_ gradient: [Float], rows: Int, into bias: inout [Float]) {
        let columns = bias.count
        for r in 0..<rows { for k in 0..<columns { bias[k] += gradient[r * columns + k] } }
    }
}
