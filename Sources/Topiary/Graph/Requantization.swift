import Foundation

/// A positive real multiplier written as `multiplier · 2^(shift − 31)`: a Q31 fixed-point
/// value and a power of two, the form in which int8 kernels rescale an int32 accumulator
/// without floating point (`FixedPoint.multiplyByQuantizedMultiplier`).
public struct Requantization: Hashable, Sendable {
    /// Q31 mantissa, in `[2^30, 2^31)` for a normalised value (0 for a zero multiplier).
    public var multiplier: Int32
    /// Power of two, in `-31...30`.
    public var shift: Int32

    /// The real value this multiplier stands for.
    public var realValue: Double { Double(multiplier) * pow(2, Double(shift) - 31) }
}
