import Foundation

/// Sigmoid and tanh of an int16 Q3.12 value (real `x / 2^12`, in `[−8, 8)`) as Q0.15, by a
/// 257-entry table over `[−8, 8]` (a step of 1/16) and linear interpolation in integers: the
/// gate nonlinearities of the integer recurrent layers. `include/topiary/tp_recurrent_s8.h`
/// holds the same two tables as literals (tested equal), so C and Swift interpolate the same
/// numbers with the same integer steps.
enum Q15ActivationTable {
    /// `round(2^15 · σ(−8 + i/16))`, clamped to int16.
    static let sigmoid: [Int16] = table { 1 / (1 + exp(-$0)) }
    /// `round(2^15 · tanh(−8 + i/16))`, clamped to int16.
    static let tanh: [Int16] = table { Foundation.tanh($0) }

    private static func table(_ f: (Double) -> Double) -> [Int16] {
        (0...256).map { i in
            let value = (f(-8 + Double(i) / 16) * 32768).rounded()
            return Int16(min(max(value, -32768), 32767))
        }
    }

    /// `table` at Q3.12 `x`: entry `(x + 2^15) >> 8` and the next, weighed by the low 8 bits,
    /// rounded half up.
    @inline(__always)
    static func lookup(_ table: [Int16], _ x: Int32) -> Int32 {
        let offset = x + 32768
        let index = Int(offset >> 8)
        let fraction = offset & 255
        let low = Int32(table[index]), high = Int32(table[index + 1])
        return low + (((high - low) * fraction + 128) >> 8)
    }

    /// `x` clamped to int16.
    @inline(__always)
    static func saturate16(_ x: Int32) -> Int32 { min(max(x, -32768), 32767) }
}
