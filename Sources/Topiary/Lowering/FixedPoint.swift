import Foundation

/// The integer rounding of the int8 path: TensorFlow Lite's quantization arithmetic with
/// gemmlowp's rounding, written once here and once in C (`include/topiary/tp_fixedpoint.h`).
///
/// The two are tested against each other on edge cases, because the whole promise of the
/// int8 path is that the generated C and the Swift integer reference agree bit for bit; one
/// LSB of difference in a rounding tie would show up as a verify mismatch.
///
/// Deliberate choices, mirrored in the C:
/// - `saturatingRoundingDoublingHighMul` nudges negative products by `1 − 2^30` (gemmlowp),
///   not by `2^30` as CMSIS-NN's default does, which can differ by one on negative ties;
/// - the left shift of `multiplyByQuantizedMultiplier` saturates to the int32 range instead of
///   overflowing (undefined behaviour in C); with calibrated scales it never does.
public enum FixedPoint {
    /// `(a · b · 2) / 2^32` rounded to nearest, saturating the one product that overflows,
    /// `INT32_MIN · INT32_MIN`. Ties go toward +∞: gemmlowp nudges a negative product by
    /// `1 − 2^30` before C's truncating division, so −2.5 becomes −2 (CMSIS-NN's variant
    /// gives −3 there).
    @inline(__always)
    public static func saturatingRoundingDoublingHighMul(_ a: Int32, _ b: Int32) -> Int32 {
        if a == Int32.min && b == Int32.min { return Int32.max }
        let product = Int64(a) * Int64(b)
        let nudge: Int64 = product >= 0 ? (1 << 30) : (1 - (1 << 30))
        // Swift's integer division truncates toward zero, as C99's does.
        return Int32(truncatingIfNeeded: (product + nudge) / (1 << 31))
    }

    /// `x / 2^exponent` rounded to nearest, ties away from zero; `exponent` in `0...31`.
    @inline(__always)
    public static func roundingDivideByPowerOfTwo(_ x: Int32, _ exponent: Int32) -> Int32 {
        precondition(exponent >= 0 && exponent <= 31, "exponent \(exponent) outside 0...31")
        let mask = Int32(truncatingIfNeeded: (Int64(1) << Int64(exponent)) - 1)
        let remainder = x & mask
        let threshold = (mask >> 1) + (x < 0 ? 1 : 0)
        return (x >> exponent) + (remainder > threshold ? 1 : 0)
    }

    /// `x · multiplier · 2^shift / 2^31`, the requantization step: a saturating left shift for
    /// a positive `shift`, the high multiply, then a rounding right shift for a negative one.
    /// `shift` is in `-31...30`, as `quantizeMultiplier` produces.
    @inline(__always)
    public static func multiplyByQuantizedMultiplier(_ x: Int32, _ multiplier: Int32, _ shift: Int32) -> Int32 {
        let left = shift > 0 ? shift : 0
        let right = shift > 0 ? 0 : -shift
        let shifted = Int64(x) * (Int64(1) << Int64(left))
        let saturated = Int32(clamping: shifted)
        return roundingDivideByPowerOfTwo(saturatingRoundingDoublingHighMul(saturated, multiplier), right)
    }

    /// The Q31 multiplier and power-of-two shift with `multiplier · 2^(shift − 31) ≈ real`,
    /// as TensorFlow Lite's `QuantizeMultiplier` computes them: `real = q · 2^shift` with
    /// `q` in `[0.5, 1)` (from `frexp`), `multiplier = round(q · 2^31)`.
    ///
    /// Values too small to represent (`shift < −31`) become `(0, 0)`; values too large
    /// (`shift > 30`) saturate to the largest representable multiplier.
    public static func quantizeMultiplier(_ real: Double) -> Requantization {
        guard real != 0, real.isFinite else { return Requantization(multiplier: 0, shift: 0) }
        let parts = frexp(real)
        var shift = Int32(parts.1)
        var fixed = Int64((parts.0 * Double(Int64(1) << 31)).rounded())
        if abs(fixed) == (Int64(1) << 31) {
            fixed /= 2
            shift += 1
        }
        if shift < -31 {
            return Requantization(multiplier: 0, shift: 0)
        }
        if shift > 30 {
            return Requantization(multiplier: real > 0 ? Int32.max : Int32.min + 1, shift: 30)
        }
        return Requantization(multiplier: Int32(fixed), shift: shift)
    }

    /// `min(max(zeroPoint + multiplyByQuantizedMultiplier(accumulator), low), high)`: one
    /// output value of a weighted layer, with its activation clamp.
    @inline(__always)
    public static func requantize(
        _ accumulator: Int32, _ requantization: Requantization, zeroPoint: Int32,
        low: Int32, high: Int32
    ) -> Int8 {
        let scaled = multiplyByQuantizedMultiplier(accumulator, requantization.multiplier, requantization.shift)
        let value = Int64(scaled) + Int64(zeroPoint)
        return Int8(min(max(value, Int64(low)), Int64(high)))
    }

    /// `x / divisor` rounded to nearest, ties away from zero: how average pooling divides a
    /// sum of int8 values by the number of values in its window.
    @inline(__always)
    public static func roundedDivision(_ x: Int32, _ divisor: Int32) -> Int32 {
        x >= 0 ? (x + divisor / 2) / divisor : (x - divisor / 2) / divisor
    }
}
