/// A SimpleRNN, GRU or LSTM in integers, after TensorFlow Lite's integer LSTM ("8x8_16"):
/// int8 input and hidden state, int8 weights with a scale per gate channel, int32 biases,
/// gate pre-activations in int16 Q3.12, sigmoid (and `tanh(x) = 2σ(2x) − 1`) by interpolated
/// table giving Q0.15, and the LSTM cell state in int16 at a power-of-two scale chosen from
/// calibration.
///
/// A gate channel's input and recurrent products share one accumulator: channel `c`'s kernel
/// column is quantized at scale `productScales[c] / s_x` and its recurrent kernel column at
/// `productScales[c] / s_h`, so both products count in steps of `productScales[c]`. With the
/// hidden state kept centred (`h − zp_h`), the accumulator of channel `c` is
/// `bias[c] + Σ inputWeights[c]·x + Σ recurrentWeights[c]·(h − zp_h)`, and `gateRequantization(c)`
/// takes it to Q3.12 (to the hidden scale for a SimpleRNN with a ReLU or linear activation).
/// A GRU resetting after the product keeps its candidate's recurrent product apart, with
/// `recurrentBias` (one per unit); one resetting before reads `r ⊙ (h − zp_h)` there.
public struct QuantizedRecurrent: Equatable, Sendable {
    /// `[gates·units, features]`, row `c` the kernel's column `c`.
    public var inputWeights: [Int8]
    /// `[gates·units, units]`, row `c` the recurrent kernel's column `c`.
    public var recurrentWeights: [Int8]
    /// The real value of one step of gate channel `c`'s accumulator.
    public var productScales: [Float]
    /// At `productScales[c]`, with `−zp_x · Σ inputWeights[c]` folded in.
    public var bias: [Int32]
    /// GRU resetting after the product: the candidate's recurrent bias, one per unit; else empty.
    public var recurrentBias: [Int32]
    /// Per gate channel, the accumulator to Q3.12 (`productScales[c] · 2^12`), or to the hidden
    /// scale for a ReLU or linear SimpleRNN, is `gateMultipliers[c] · 2^(gateShift − 16)`: the
    /// scales are fitted to this grid, so two bytes a channel and one shift a layer rescale
    /// exactly.
    public var gateMultipliers: [UInt16]
    public var gateShift: Int32
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
        inputWeights: [Int8], recurrentWeights: [Int8], productScales: [Float], bias: [Int32], recurrentBias: [Int32],
        gateMultipliers: [UInt16], gateShift: Int32, outputRequantization: Requantization, cellShift: Int32,
        outputZeroPoint: Int32, outputMin: Int32, outputMax: Int32
    ) {
        self.inputWeights = inputWeights
        self.recurrentWeights = recurrentWeights
        self.productScales = productScales
        self.bias = bias
        self.recurrentBias = recurrentBias
        self.gateMultipliers = gateMultipliers
        self.gateShift = gateShift
        self.outputRequantization = outputRequantization
        self.cellShift = cellShift
        self.outputZeroPoint = outputZeroPoint
        self.outputMin = outputMin
        self.outputMax = outputMax
    }

    /// Gate channel `c`'s rescaling as a Q31 multiplier (`gateMultipliers[c] · 2^15`) and shift.
    public func gateRequantization(_ c: Int) -> Requantization {
        Requantization(multiplier: Int32(gateMultipliers[c]) << 15, shift: gateShift)
    }

    /// Gate channels (`gates · units`).
    public var width: Int { bias.count }

    /// True when the arrays have the sizes `cell` over an input of `inputShape` reads.
    public func fits(inputShape: [Int], cell: Recurrent) -> Bool {
        let width = cell.kind.gateCount * cell.units
        let resetAfter = cell.kind == .gru && cell.resetAfter
        return inputShape.count == 2 && cell.units > 0 && self.width == width && gateMultipliers.count == width
            && inputWeights.count == width * inputShape[1] && recurrentWeights.count == width * cell.units
            && recurrentBias.count == (resetAfter ? cell.units : 0)
    }
}
