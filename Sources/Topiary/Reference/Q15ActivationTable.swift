import Foundation

/// Sigmoid and tanh of an int16 Q3.12 value (real `x / 2^12`, in `[−8, 8)`) as Q0.15: the gate
/// nonlinearities of the integer recurrent layers. Sigmoid is a 129-entry table over `[−8, 8]`
/// (a step of 1/8) with linear interpolation in integers; tanh is `2σ(2x) − 1`, which needs no
/// table of its own. `include/topiary/tp_recurrent_s8.h` holds the same table as literals
/// (tested equal), so C and Swift interpolate the same numbers with the same integer steps.
enum Q15ActivationTable {
    /// `round(2^15 · σ(−8 + i/8))`, clamped to int16.
    static let sigmoidTable: [Int16] = (0...128).map { i in
        let value = (32768 / (1 + exp(8 - Double(i) / 8))).rounded()
        return Int16(min(max(value, -32768), 32767))
    }

    /// `tp_sigmoid_q15`: entries `(x + 2^15) >> 9` and the next, weighed by the low 9 bits,
    /// rounded half up.
    @inline(__always)
    static func sigmoid(_ x: Int32) -> Int32 {
        let offset = x + 32768
        let low = Int32(sigmoidTable[Int(offset >> 9)]), high = Int32(sigmoidTable[Int(offset >> 9) + 1])
        return low + (((high - low) * (offset & 511) + 256) >> 9)
    }

    /// `tp_tanh_q15`: `2σ(2x) − 1`, `2x` saturated to int16.
    @inline(__always)
    static func tanh(_ x: Int32) -> Int32 {
        2 * sigmoid(saturate16(2 * x)) - 32768
    }

    /// `x` clamped to int16.
    @inline(__always)
    static func saturate16(_ x: Int32) -> Int32 { min(max(x, -32768), 32767) }
}
