/// A SimpleRNN, GRU or LSTM in integers, after TensorFlow Lite's integer LSTM ("8x8_16"):
/// int8 input and hidden state, int8 kernels with a scale per gate channel, int32 biases,
/// gate pre-activations in int16 Q3.12, sigmoid and tanh by interpolated table giving Q0.15,
/// and the LSTM cell state in int16 at a power-of-two scale chosen from calibration.
///
/// Gate channel `c` (in Keras's gate order: GRU `z, r, h`, LSTM `i, f, c, o`) has the
/// pre-activation `sat16(sat16(MBQM(ax, inputRequantization[c])) + sat16(MBQM(ah, recurrentRequantization[c])))`
/// with `ax = inputBias[c] + Σ inputWeights[c]·x` and `ah = recurrentBias[c] + Σ recurrentWeights[c]·h`
/// over the int8 input `x` and the int8 hidden state `h` (the layer's output encoding). The
/// zero points of `x` and `h` are folded into the two biases. A SimpleRNN with a ReLU or
/// linear activation rescales straight to the hidden state's scale instead of Q3.12.
public struct QuantizedRecurrent: Equatable, Sendable {
    /// `[gates·units, features]`, row `c` the kernel's column `c`.
    public var inputWeights: [Int8]
    /// `[gates·units, units]`, row `c` the recurrent kernel's column `c`.
    public var recurrentWeights: [Int8]
    public var inputWeightScales: [Float]
    public var recurrentWeightScales: [Float]
    /// At scale `s_x · inputWeightScales[c]`, with `−zp_x · Σ inputWeights[c]` folded in.
    public var inputBias: [Int32]
    /// At scale `s_h · recurrentWeightScales[c]`, with `−zp_h · Σ recurrentWeights[c]` folded in
    /// (a GRU resetting after the product also adds its recurrent bias here). For a GRU
    /// resetting before the product the candidate's rows read `r ⊙ (h − zp_h)` and get 0.
    public var recurrentBias: [Int32]
    /// To Q3.12 (`s_x · s_w[c] · 2^12`), or to the hidden scale for a ReLU or linear SimpleRNN.
    public var inputRequantization: [Requantization]
    public var recurrentRequantization: [Requantization]
    /// From the product the hidden state is made of to the hidden scale: `2^−15 / s_h` for a
    /// SimpleRNN's Q0.15 tanh and a GRU's `(1 − z)·ĥ` (Q0.30, kept at `s_h · 2^−15`), `2^−30 / s_h`
    /// for an LSTM's `o · tanh(c)` (Q0.30).
    public var outputRequantization: Requantization
    /// The LSTM cell state is int16 at scale `2^−cellShift`, in `0...15`; 0 for other kinds.
    public var cellShift: Int32
    /// The hidden state's (the output's) zero point: the encoding of the zero initial state.
    public var outputZeroPoint: Int32
    /// Clamp of the hidden state: narrowed to the zero point by a SimpleRNN's ReLU.
    public var outputMin: Int32
    public var outputMax: Int32

    public init(
        inputWeights: [Int8], recurrentWeights: [Int8], inputWeightScales: [Float], recurrentWeightScales: [Float],
        inputBias: [Int32], recurrentBias: [Int32], inputRequantization: [Requantization],
        recurrentRequantization: [Requantization], outputRequantization: Requantization, cellShift: Int32,
        outputZeroPoint: Int32, outputMin: Int32, outputMax: Int32
    ) {
        self.inputWeights = inputWeights
        self.recurrentWeights = recurrentWeights
        self.inputWeightScales = inputWeightScales
        self.recurrentWeightScales = recurrentWeightScales
        self.inputBias = inputBias
        self.recurrentBias = recurrentBias
        self.inputRequantization = inputRequantization
        self.recurrentRequantization = recurrentRequantization
        self.outputRequantization = outputRequantization
        self.cellShift = cellShift
        self.outputZeroPoint = outputZeroPoint
        self.outputMin = outputMin
        self.outputMax = outputMax
    }

    /// Gate channels (`gates · units`).
    public var width: Int { inputBias.count }
}
