/// How a node of an int8 graph computes, with the integer parameters it needs. The op still
/// says *what* is computed (which window, which axis); this says *how* in integers.
public enum IntegerArithmetic: Equatable, Sendable {
    /// A model input: the caller's int8 values.
    case input
    /// Moves, selects or averages int8 values without changing their quantization: identity,
    /// flatten, reshape, permute, zero padding (with the zero point), cropping, up-sampling,
    /// max pooling and global max pooling, and average pooling and global average pooling
    /// (the rounded mean of the int8 values). The output has the input's quantization.
    case passThrough
    /// Dense, convolution, depthwise convolution or per-channel affine.
    case weighted(QuantizedLayer)
    /// An element-wise function by table: output `table[q + 128]` for input `q`.
    case lookup(table: [Int8])
    /// Softmax along the op's axis.
    case softmax(SoftmaxTable)
    /// Each input brought to the output's quantization (`zp_out + MBQM(q − zp_i, inputs[i])`),
    /// then combined: concatenation, maximum, minimum.
    case rescale(inputs: [Requantization])
    /// Add, Subtract, Average.
    case sum(SumRescale)
    /// Multiply of two inputs: `zp_out + MBQM((q1 − zp1)·(q2 − zp2), requantization)`.
    case product(Requantization)
    /// SimpleRNN, GRU or LSTM with integer gates and state.
    case recurrent(QuantizedRecurrent)
    /// Kept in float inside an int8 graph (e.g. PReLU): the inputs are
    /// dequantized, the op runs in float on the node's (possibly int8-stored) weights, and the
    /// output is quantized.
    case float
}
