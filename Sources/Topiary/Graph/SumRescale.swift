/// Integer parameters of an element-wise sum of int8 tensors (Add, Subtract, Average), in
/// TensorFlow Lite's form: each input, less its zero point, is shifted left by `leftShift`
/// bits for headroom, rescaled to a common scale (`inputs[i]`, real value
/// `s_i / (2 · max s)`), added with its sign, and the sum rescaled to the output
/// (`output`, real value `2 · max s / (2^leftShift · s_out)`, divided by the input count for
/// an average).
public struct SumRescale: Equatable, Sendable {
    public var leftShift: Int32
    public var inputs: [Requantization]
    /// `1` or `-1` per input (Subtract's second input is `-1`).
    public var signs: [Int32]
    public var output: Requantization
}
