import Foundation

/// The tables through which the int8 graph applies activations that have no exact integer
/// form. They are computed here, once, and emitted into the C as data, so the Swift integer
/// reference and the generated code read the very same entries.
enum ActivationTables {
    /// `table[q + 128]`: the activation evaluated in float at the dequantized input
    /// `s_in · (q − zp_in)`, quantized to the output.
    static func lookup(_ activation: Activation, input: QuantizationParameters, output: QuantizationParameters) -> [Int8] {
        var values = (0..<256).map { input.dequantize(Int8($0 - 128)) }
        activation.apply(to: &values, shape: [256])
        return values.map(output.quantize)
    }

    /// `round(2^15 · exp(−s_in · k))` for `k` in `0...255` (see `SoftmaxTable`).
    static func softmax(input: QuantizationParameters) -> SoftmaxTable {
        SoftmaxTable(
            exponentials: (0..<256).map { k in
                UInt16((exp(-Double(input.scale) * Double(k)) * 32768).rounded())
            })
    }
}
