/// Integer softmax by table: for an int8 input of scale `s`, entry `k` is
/// `round(2^15 · exp(−s · k))`, `k = max − q` in `0...255`.
///
/// Softmax does not change when a constant is subtracted from its inputs, so each slice is
/// taken relative to its largest value: every exponential is a table entry in `(0, 2^15]`,
/// their sum fits 32 bits for slices under 65,536 elements, and the output
/// `round(256 · e / Σe) − 128` (scale 1/256, zero point −128, as TensorFlow Lite fixes for
/// int8 softmax) is one integer division. Swift and C read the same table, so they agree
/// exactly.
public struct SoftmaxTable: Equatable, Sendable {
    /// 256 entries.
    public var exponentials: [UInt16]

    public init(exponentials: [UInt16]) {
        precondition(exponentials.count == 256, "a softmax table has 256 entries")
        self.exponentials = exponentials
    }

    /// The entries the generated C stores: up to the last nonzero one, as every entry past it
    /// is 0 and the kernel takes 0 there (most of the 256 for a trained classifier's scale).
    public var storedExponentials: ArraySlice<UInt16> {
        exponentials.prefix((exponentials.lastIndex { $0 != 0 } ?? 0) + 1)
    }

    /// Output quantization every int8 softmax uses.
    public static let outputQuantization = QuantizationParameters(scale: 1.0 / 256, zeroPoint: -128)
}
