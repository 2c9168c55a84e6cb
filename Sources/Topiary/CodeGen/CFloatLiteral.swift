/// C99 spellings of `float` values that read back bit for bit.
///
/// A value whose decimal expansion is short and exact (`0.5f`, `6.0f`, `-0.0f`, `0.1953125f`)
/// is written in decimal, which a reviewer reads at a glance and every conforming compiler
/// converts exactly, because the decimal *is* the value. Any other value is written as a C99
/// hexadecimal floating constant (`0x1.99999ap-4f`): the standard requires those to be exact,
/// whereas a decimal that is merely the shortest round-trip form relies on the compiler
/// rounding correctly, which C99 does not promise. Infinities use `INFINITY` from `<math.h>`.
/// NaN is refused: its payload cannot be spelled portably, and a NaN weight means a broken
/// model, not one to ship.
public enum CFloatLiteral {
    /// Why a value has no exact C spelling.
    public enum Failure: Error, Equatable {
        case notANumber
    }

    /// Most fractional binary digits for which the exact decimal form is used; beyond that the
    /// decimal gets long (`2^-k` has `k` decimals) and hex is both shorter and clearer.
    static let maximumDecimalFractionBits = 8

    /// The C constant for `value`, of type `float`.
    public static func literal(_ value: Float) throws(Failure) -> String {
        if value.isNaN { throw .notANumber }
        if value.isInfinite { return value < 0 ? "-INFINITY" : "INFINITY" }
        if let decimal = exactDecimal(value) { return decimal + "f" }
        return hex(value) + "f"
    }

    /// The exact decimal expansion of `value` when it is short: at most
    /// `maximumDecimalFractionBits` binary places after the point and an integral part below
    /// 2^24. Always has a point and at least one fractional digit (`6.0`).
    static func exactDecimal(_ value: Float) -> String? {
        let magnitude = value.magnitude
        let sign = value.sign == .minus ? "-" : ""
        if magnitude == 0 { return sign + "0.0" }
        guard magnitude < 16_777_216 else { return nil }
        // Smallest k with magnitude · 2^k integral.
        var k = 0
        var scaled = magnitude
        while scaled != scaled.rounded(.towardZero) {
            k += 1
            guard k <= maximumDecimalFractionBits else { return nil }
            scaled *= 2  // exact: a power-of-two scaling of a float well inside the range
        }
        // magnitude = M / 2^k = M · 5^k / 10^k, exactly, with M < 2^32 and 5^k ≤ 5^8.
        var power: UInt64 = 1
        for _ in 0..<k { power *= 5 }
        let digits = UInt64(scaled) * power
        let text = String(digits)
        if k == 0 { return sign + text + ".0" }
        let padded = String(repeating: "0", count: max(0, k + 1 - text.count)) + text
        let integral = padded.dropLast(k)
        var fraction = String(padded.suffix(k))
        while fraction.hasSuffix("0") && fraction.count > 1 { fraction.removeLast() }
        return sign + integral + "." + fraction
    }

    /// The C99 hexadecimal form `[-]0x1.hhhhhhp±e` (or `0x0p+0` for zero), exact for every
    /// finite float, subnormals included (written normalised, which C reads back exactly).
    static func hex(_ value: Float) -> String {
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0x0p+0" }
        var significand = UInt32(value.significandBitPattern)
        var exponent = Int(value.exponentBitPattern)
        if exponent == 0 {
            // Subnormal: shift the leading one up to the implicit-bit position.
            exponent = 1
            while significand & (1 << 23) == 0 {
                significand <<= 1
                exponent -= 1
            }
            significand &= (1 << 23) - 1
        }
        let power = exponent - 127
        // 23 fraction bits, shifted to 24 so that they print as 6 hex digits.
        var digits = String(significand << 1, radix: 16)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        let fraction = digits.isEmpty ? "" : "." + digits
        return sign + "0x1" + fraction + "p" + (power >= 0 ? "+" : "") + String(power)
    }
}
