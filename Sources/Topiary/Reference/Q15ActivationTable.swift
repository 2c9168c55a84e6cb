import Foundation

/// Sigmoid and tanh of an int16 Q3.12 value (real `x / 2^12`, in `[−8, 8)`) as Q0.15: the gate
/// nonlinearities of the integer recurrent layers. Sigmoid is a 65-entry table over `[0, 8]` (a
/// step of 1/8) with linear interpolation in integers, mirrored for negative inputs
/// (`σ(−x) = 1 − σ(x)`); tanh is `2σ(2x) − 1`, which needs no table of its own.
/// `include/topiary/tp_recurrent_s8.h` holds the same table as literals (tested equal), so C
/// and Swift interpolate the same numbers with the same integer steps.
enum Q15ActivationTable {
    /// `round(2^15 · σ(i/8))`, at most 32767.
    static let sigmoidTable: [Int16] = (0...64).map { i in
        Int16(min((32768 / (1 + exp(-Double(i) / 8))).rounded(), 32767))
    }

    /// `tp_sigmoid_q15`: at `a = |x|` (32767 for −32768), entries `a >> 9` and the next weighed
    /// by the low 9 bits of `a`, rounded half up; `2^15 − σ(a)` for a negative `x`.
    @inline(__always)
    static func sigmoid(_ x: Int32) -> Int32 {
        let a = x < 0 ? (x == -32768 ? 32767 : -x) : x
        let low = Int32(sigmoidTable[Int(a >> 9)]), high = Int32(sigmoidTable[Int(a >> 9) + 1])
        let y = low + (((high - low) * (a & 511) + 256) >> 9)
        return x < 0 ? 32768 - y : y
    }

    /// `tp_tanh_q15`: `2σ(2x) − 1`, `2x` saturated to int16.
    @inline(__always)
    static func tanh(_ x: Int32) -> Int32 {
        2 * sigmoid(saturate16(2 * x)) - 32768
    }

    /// `tp_hard_sigmoid_q15`: `clamp(1/2 + x / divisor)` (Keras 3's `relu6(x + 3) / 6` with
    /// divisor 6, Keras 2's `0.2 x + 0.5` with 5), `8x / divisor` rounded half away from zero.
    @inline(__always)
    static func hardSigmoid(_ x: Int32, divisor: Int32) -> Int32 {
        let p = 8 * x
        return min(max(16384 + (p >= 0 ? p + divisor / 2 : p - divisor / 2) / divisor, 0), 32768)
    }

    /// The divisor of `hardSigmoid` for a recurrent activation, 0 for the sigmoid, nil for
    /// anything else.
    static func hardSigmoidDivisor(_ activation: Activation) -> Int32? {
        switch activation {
        case .sigmoid: return 0
        case .hardSigmoid: return 6
        case .hardSigmoidKeras2: return 5
        default: return nil
        }
    }

    /// `x` clamped to int16.
    @inline(__always)
    static func saturate16(_ x: Int32) -> Int32 { min(max(x, -32768), 32767) }
}
