/// A weighted layer (Dense, convolution, depthwise convolution, or a per-channel affine such
/// as a BatchNormalization that could not be folded) in int8, ready for the integer kernels.
///
/// Weights are stored as rows, one per output channel, whatever the Keras layout was: every
/// kernel and every sparse format works channel by channel, so this is the one layout they
/// all share. A row runs over the inputs the channel reads in the order the input is laid
/// out: Dense `[in]`; convolution `[k…, cin]` (taps, then channels); depthwise `[k…]`; affine
/// `[1]`.
///
/// One output value is `clamp(outputZeroPoint + MBQM(bias[c] + Σ row[c]·x_q, requantization[c]))`
/// where `x_q` is the int8 input (the input's zero point where a window reads padding): the
/// input zero point's contribution `−zp_in · Σ row[c]` is already folded into `bias`.
public struct QuantizedLayer: Equatable, Sendable {
    public var outputChannels: Int
    /// Length of each row.
    public var rowLength: Int
    /// `[outputChannels, rowLength]`, row-major, each in `-127...127`.
    public var weights: [Int8]
    /// Scale of each row's weights (symmetric, zero point 0).
    public var weightScales: [Float]
    /// int32 bias at scale `inputScale · weightScales[c]`, with `−zp_in · Σ row[c]` folded in.
    public var bias: [Int32]
    /// `inputScale · weightScales[c] / outputScale` per channel.
    public var requantization: [Requantization]
    /// The input's zero point, which padding positions read.
    public var inputZeroPoint: Int32
    /// The output's zero point.
    public var outputZeroPoint: Int32
    /// Clamp of the output: the int8 range narrowed by a fused ReLU or ReLU6.
    public var outputMin: Int32
    public var outputMax: Int32

    public init(
        outputChannels: Int, rowLength: Int, weights: [Int8], weightScales: [Float], bias: [Int32],
        requantization: [Requantization], inputZeroPoint: Int32, outputZeroPoint: Int32,
        outputMin: Int32, outputMax: Int32
    ) {
        precondition(weights.count == outputChannels * rowLength, "weights do not fill \(outputChannels) rows of \(rowLength)")
        self.outputChannels = outputChannels
        self.rowLength = rowLength
        self.weights = weights
        self.weightScales = weightScales
        self.bias = bias
        self.requantization = requantization
        self.inputZeroPoint = inputZeroPoint
        self.outputZeroPoint = outputZeroPoint
        self.outputMin = outputMin
        self.outputMax = outputMax
    }

    /// Row `c` of the weights.
    public func row(_ c: Int) -> ArraySlice<Int8> {
        weights[(c * rowLength)..<((c + 1) * rowLength)]
    }

    /// Number of nonzero weights.
    public var nonzeroCount: Int { weights.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }
}
