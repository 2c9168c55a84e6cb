/**
 * @file tp_fixedpoint.h
 * @brief The integer rounding of Topiary's int8 path: TensorFlow Lite's requantization with
 *        gemmlowp's rounding.
 *
 * These functions exist once here and once in Swift (`FixedPoint` in the Topiary library);
 * the test suite compiles this header and checks both on the same edge cases, so the
 * generated C and the Swift integer reference agree bit for bit.
 *
 * - `tp_saturating_rounding_doubling_high_mul` nudges negative products by `1 - 2^30`
 *   (gemmlowp), not `2^30` as CMSIS-NN's default high multiply does, which can differ by one
 *   on negative ties.
 * - The left shift in `tp_multiply_by_quantized_multiplier` saturates to the int32 range
 *   rather than overflowing.
 * - Right shifts of negative values are arithmetic, as on every compiler Topiary supports
 *   (gcc, clang, arm-none-eabi-gcc); C99 leaves it implementation-defined.
 *
 * Nothing here uses floating point.
 */
#ifndef TP_FIXEDPOINT_H
#define TP_FIXEDPOINT_H

#include <stdint.h>

/** `x / 2^31` truncated toward zero, as C99 division does, written as an arithmetic shift
 *  of `x` moved up by `2^31 - 1` when negative: 32-bit cores have no 64-bit divide, and a
 *  64-bit `/` there is a call to the C library's long division on every output value. */
static inline int32_t tp_divide_by_2_31(int64_t x)
{
    return (int32_t)((x + (x < 0 ? (((int64_t)1 << 31) - 1) : 0)) >> 31);
}

/** Saturating rounding doubling high multiply: `(a * b * 2) / 2^32` rounded to nearest, ties
 *  toward +infinity (-2.5 gives -2); `INT32_MIN * INT32_MIN` saturates to `INT32_MAX`. */
static inline int32_t tp_saturating_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    int64_t product;
    int64_t nudge;
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    product = (int64_t)a * (int64_t)b;
    nudge = product >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    return tp_divide_by_2_31(product + nudge);
}

/** `x / 2^exponent` rounded to nearest, ties away from zero; `exponent` in 0..31. */
static inline int32_t tp_rounding_divide_by_power_of_two(int32_t x, int32_t exponent)
{
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** `x * multiplier * 2^shift / 2^31` with the rounding above; `shift` in -31..30.
 *  Written out for the common case (`shift <= 0`, no left shift) so that the requantization
 *  of every output channel stays short; the result is exactly
 *  `tp_rounding_divide_by_power_of_two(
 *       tp_saturating_rounding_doubling_high_mul(x << max(shift, 0), multiplier), max(-shift, 0))`. */
static inline int32_t tp_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift)
{
    if (shift > 0) {
        int64_t shifted = (int64_t)x * ((int64_t)1 << shift);
        if (shifted > INT32_MAX) {
            shifted = INT32_MAX;
        } else if (shifted < INT32_MIN) {
            shifted = INT32_MIN;
        }
        return tp_saturating_rounding_doubling_high_mul((int32_t)shifted, multiplier);
    } else {
        const int32_t high = tp_saturating_rounding_doubling_high_mul(x, multiplier);
        const int32_t right = -shift;
        const int32_t mask = (int32_t)((1u << right) - 1u);
        const int32_t remainder = high & mask;
        const int32_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
        return (high >> right) + (remainder > threshold ? 1 : 0);
    }
}

/** `tp_multiply_by_quantized_multiplier` for a non-negative `multiplier` (every
 *  requantization multiplier is one: it comes from a positive scale ratio), which cannot meet
 *  the one overflowing product `INT32_MIN * INT32_MIN`: the same result in fewer steps on the
 *  per-channel path, which runs once per output value.
 *  - A left shift saturates `x` to the int32 range first, as the general function does.
 *  - The high multiply's `(p + nudge) / 2^31`, truncated toward zero, is `floor((p + 2^30) /
 *    2^31)` for either sign of the product `p` (for `p < 0` truncation is the ceiling of a
 *    negative quotient, and `ceil((p + 1 - 2^30) / 2^31) = floor((p + 2^30) / 2^31)`): one
 *    multiply-accumulate and an arithmetic shift.
 *  - The rounding right shift by `r = -shift >= 1` (half away from zero) is
 *    `floor((h + 2^(r-1)) / 2^r)` with `h = high - 1` for a negative `high`, computed as
 *    `floor(h / 2^(r-1))` plus one, halved, so that nothing overflows. */
static inline int32_t tp_multiply_by_quantized_multiplier_nonnegative(int32_t x, int32_t multiplier, int32_t shift)
{
    int32_t high, h;
    if (shift > 0) {
        x = x > (INT32_MAX >> shift) ? INT32_MAX : (x < (INT32_MIN >> shift) ? INT32_MIN : (int32_t)((uint32_t)x << shift));
    }
    high = (int32_t)(((int64_t)x * (int64_t)multiplier + ((int64_t)1 << 30)) >> 31);
    if (shift >= 0) return high;
    h = high - (int32_t)((uint32_t)high >> 31);
    return ((h >> (-shift - 1)) + 1) >> 1;
}

/** One output value: `zero_point + tp_multiply_by_quantized_multiplier(acc)` clamped to
 *  `[low, high]`; `multiplier` must not be negative. The product is clamped before the zero
 *  point is added, against bounds moved by it: the same result as clamping the sum, in 32-bit
 *  compares (bounds and zero point lie in -128..127, so neither difference overflows). */
static inline int8_t tp_requantize(int32_t acc, int32_t multiplier, int32_t shift, int32_t zero_point,
                                   int32_t low, int32_t high)
{
    const int32_t value = tp_multiply_by_quantized_multiplier_nonnegative(acc, multiplier, shift);
    const int32_t floor = low - zero_point, ceiling = high - zero_point;
    return (int8_t)((value < floor ? floor : (value > ceiling ? ceiling : value)) + zero_point);
}

/** `x / divisor` rounded to nearest, ties away from zero (`divisor` > 0): the mean of an
 *  average-pooling window. */
static inline int32_t tp_rounded_division(int32_t x, int32_t divisor)
{
    return x >= 0 ? (x + divisor / 2) / divisor : (x - divisor / 2) / divisor;
}

#endif /* TP_FIXEDPOINT_H */
