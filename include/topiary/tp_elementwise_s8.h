/**
 * @file tp_elementwise_s8.h
 * @brief int8 element-wise kernels: activations by 256-entry table, per-channel affine
 *        (a BatchNormalization, Rescaling or Normalization that could not be folded), merges
 *        (add / subtract / average, multiply, maximum / minimum), concatenation, and data
 *        movement by index table (permute, zero padding, cropping, up-sampling).
 *
 * Every rescaling goes through `tp_multiply_by_quantized_multiplier` (gemmlowp rounding),
 * exactly as the Swift reference.
 */
#ifndef TP_ELEMENTWISE_S8_H
#define TP_ELEMENTWISE_S8_H

#include "tp_s8.h"

/** `output[i] = middle[input[i]]`: a table indexed by the signed value from its middle, one
 *  load per value with no add. A function of its own on the DSP extension (Cortex-M4 and
 *  up), where GCC would otherwise fold `middle` back into the table plus an offset. */
TP_LOOP_FUNCTION void tp_lookup_middle_s8(int32_t count, const int8_t *input, const int8_t *middle, int8_t *output)
{
    int32_t i;
    for (i = 0; i < count; ++i) {
        output[i] = middle[input[i]];
    }
}

/** `output[i] = table[input[i] + 128]`; `output` may be `input`. */
static inline void tp_lookup_s8(int32_t count, const int8_t *input, const int8_t *table, int8_t *output)
{
    tp_lookup_middle_s8(count, input, table + 128, output);
}

/**
 * Per-channel affine over the last axis: `bias[c] + weights[c] * x`, requantized.
 *
 * @param out      the output stage: per-channel bias, multipliers, shifts, zero point, range
 * @param input    `[positions, channels]`
 * @param weights  `[channels]`
 * @param output   `[positions, channels]`; may be `input`
 */
static inline void tp_channel_affine_s8(int32_t positions, int32_t channels, const tp_channel_output_s8 *out,
                                        const int8_t *input, const int8_t *weights, int8_t *output)
{
    /* A local copy, which the int8 output stores cannot alias. */
    const tp_channel_output_s8 o = *out;
    int32_t p, c;
    for (p = 0; p < positions; ++p) {
        for (c = 0; c < channels; ++c) {
            const size_t i = (size_t)p * (size_t)channels + (size_t)c;
            output[i] = tp_channel_output(&o, c, o.bias[c] + (int32_t)weights[c] * (int32_t)input[i]);
        }
    }
}

/** Clamps to int8. */
static inline int8_t tp_saturate_s8(int32_t value)
{
    return (int8_t)(value < -128 ? -128 : (value > 127 ? 127 : value));
}

/** How each input of a merge is rescaled:
 *  `zp_out + tp_multiply_by_quantized_multiplier(x - zero_point, multiplier, shift)`. */
typedef struct {
    int32_t zero_point;
    int32_t multiplier;
    int32_t shift;
} tp_rescale_s8;

/** What `tp_sum_s8` needs besides its inputs. */
typedef struct {
    int32_t count;       /**< values per input */
    int32_t input_count;
    const tp_rescale_s8 *rescales; /**< one per input, to the common scale */
    const int32_t *signs;          /**< +1, or -1 for the subtrahend of a subtraction */
    int32_t left_shift;            /**< applied to each input less its zero point */
    tp_rescale_s8 output;          /**< the sum to the output: output zero point, multiplier, shift */
} tp_sum_s8_params;

/** `floor((x * multiplier + 2^31) / 2^32)`: the high word of a product, rounded. On the DSP
 *  extension one `SMMULR`, which ACLE does not name and GCC builds from three instructions
 *  (a 64-bit multiply-accumulate of the rounding constant), so there it is written out. */
static inline int32_t tp_rounded_high_mul(int32_t x, int32_t multiplier)
{
#if defined(TP_USE_DSP) && defined(__GNUC__) && !defined(__clang__)
    int32_t high;
    __asm__("smmulr %0, %1, %2" : "=r"(high) : "r"(x), "r"(multiplier));
    return high;
#else
    return (int32_t)(((int64_t)x * (int64_t)multiplier + ((int64_t)1 << 31)) >> 32);
#endif
}

/** `tp_multiply_by_quantized_multiplier(x, multiplier, -right)` for a non-negative multiplier,
 *  `right` in 0..31 and `|x| < 2^30`, given `doubled = 2 * x`: the high multiply's `floor((x * multiplier + 2^30) /
 *  2^31)` (see `tp_multiply_by_quantized_multiplier_nonnegative`) is
 *  `tp_rounded_high_mul(2 * x, multiplier)`, and the rounding right shift (half away from zero)
 *  `floor((h + 2^(right-1)) / 2^right)` with `h` one less for a negative high word, written so
 *  that `right` 0 needs no branch: `negative_step` is 1 when `right > 0`, else 0, and `half` is
 *  `(1 << right) >> 1`. */
static inline int32_t tp_small_rescale(int32_t doubled, int32_t multiplier, int32_t right, int32_t half, int32_t negative_step)
{
    const int32_t high = tp_rounded_high_mul(doubled, multiplier);
    const int32_t h = high - (int32_t)(((uint32_t)high >> 31) & (uint32_t)negative_step);
    return (h + half) >> right;
}

/** Values per input from which `tp_sum_s8` tabulates a two-input sum: below it, the 512
 *  rescaled values cost more than they save. */
#define TP_SUM_TABLE_COUNT 256

/** Bytes of scratch `tp_sum_s8` tabulates into: a sum of two inputs of at least
 *  `TP_SUM_TABLE_COUNT` values each whose output rescaling `tp_small_rescale` can do (a
 *  non-negative multiplier, a shift in -31..0) takes both inputs' tables, 2 KB; any other none. */
static inline int32_t tp_sum_s8_get_buffer_size(const tp_sum_s8_params *params)
{
    const int32_t shift = params->output.shift;
    const int tabulated = params->input_count == 2 && params->count >= TP_SUM_TABLE_COUNT && params->output.multiplier >= 0 &&
                          shift <= 0 && shift >= -31;
    return tabulated ? 2 * 256 * (int32_t)sizeof(int32_t) : 0;
}

/** `tp_multiply_by_quantized_multiplier(x, r->multiplier, r->shift)` in the form its comment
 *  gives (the left shift saturating `x` to the int32 range first), with one high multiply
 *  where the inlined function has one per branch. Out of line (`TP_SHARED_FUNCTION`): the
 *  general loop of `tp_sum_s8` and its tables share one copy. */
TP_SHARED_FUNCTION int32_t tp_rescale_s8_apply(const tp_rescale_s8 *r, int32_t x)
{
    const int32_t shift = r->shift;
    if (shift > 0) {
        x = x > (INT32_MAX >> shift) ? INT32_MAX : (x < (INT32_MIN >> shift) ? INT32_MIN : (int32_t)((uint32_t)x << shift));
    }
    return tp_rounding_divide_by_power_of_two(tp_saturating_rounding_doubling_high_mul(x, r->multiplier), shift < 0 ? -shift : 0);
}

/** Input `k`'s rescaled, signed term of the sum for its int8 value `v`. */
static inline int32_t tp_sum_term_s8(const tp_sum_s8_params *params, int32_t k, int32_t v)
{
    const tp_rescale_s8 *r = &params->rescales[k];
    return params->signs[k] * tp_rescale_s8_apply(r, (v - r->zero_point) * (1 << params->left_shift));
}

/** Each input's rescaled, signed term of the sum, doubled (what `tp_small_rescale` takes),
 *  for all 256 int8 values: input 0's at
 *  `table[0..256)`, input 1's at `table[256..512)`, both indexed by the value's byte
 *  (`(uint8_t)v`), which the loop loads without a sign extension or an offset.
 *  Returns whether their sums stay within `|acc| < 2^30`, what `tp_small_rescale` needs. */
static inline int tp_sum_s8_tabulate(const tp_sum_s8_params *params, int32_t *table)
{
    int32_t k, v, ends = 0;
    for (k = 0; k < 2; ++k, table += 256) {
        for (v = -128; v < 128; ++v) table[(uint8_t)v] = 2 * tp_sum_term_s8(params, k, v);
        /* A term rises or falls with the value, so its largest magnitudes are those of 127 and
         * -128 (bytes 127 and 128); magnitudes below 2^30 OR-ed together stay below it. */
        ends |= (table[127] < 0 ? -table[127] : table[127]) | (table[128] < 0 ? -table[128] : table[128]);
    }
    return ends < (1 << 30);
}

/** The two-input sum through the tables of `tp_sum_s8_tabulate` (input 0's terms, input 1's,
 *  two arguments so that the compiler keeps two base registers): per element two loads and
 *  the output's rescaling in 32-bit arithmetic (`tp_small_rescale`, whose preconditions hold:
 *  a non-negative multiplier, a shift in -31..0). */
TP_LOOP_FUNCTION void tp_sum_s8_tabulated(const tp_sum_s8_params *params, const int32_t *terms_a, const int32_t *terms_b,
                                          const uint8_t *a, const uint8_t *b, int8_t *output)
{
    const int32_t multiplier = params->output.multiplier, right = -params->output.shift, zero_point = params->output.zero_point;
    const int32_t half = (int32_t)((1u << right) >> 1), negative_step = right > 0;
    int32_t e;
    for (e = params->count; e > 0; --e) {
        const int32_t doubled = terms_a[*a++] + terms_b[*b++];
        const int32_t value = zero_point + tp_small_rescale(doubled, multiplier, right, half, negative_step);
#if defined(TP_USE_DSP)
        *output++ = (int8_t)__ssat(value, 8);
#else
        *output++ = tp_saturate_s8(value);
#endif
    }
}

/**
 * Add, subtract, average (TensorFlow Lite's fixed-point sum): each input less its zero point
 * is shifted left by `left_shift`, rescaled to a common scale and added with its sign; the
 * sum is rescaled to the output.
 *
 * A large sum of two inputs (the residual add of a ResNet) tabulates each input's term once
 * (`tp_sum_s8_tabulate`) into `scratch` (`tp_sum_s8_get_buffer_size` bytes, null when that
 * is 0), which leaves the output's rescaling as the only
 * arithmetic per element: the same values in a fraction of the instructions.
 */
static inline void tp_sum_s8(const tp_sum_s8_params *params, const int8_t *const *inputs, int8_t *output, int32_t *scratch)
{
    const int32_t count = params->count, input_count = params->input_count;
    const int32_t zero_point = params->output.zero_point;
    int32_t e, k;
    if (scratch && tp_sum_s8_get_buffer_size(params) > 0 && tp_sum_s8_tabulate(params, scratch)) {
        tp_sum_s8_tabulated(params, scratch, scratch + 256, (const uint8_t *)inputs[0], (const uint8_t *)inputs[1], output);
        return;
    }
    for (e = 0; e < count; ++e) {
        int32_t acc = 0;
        for (k = 0; k < input_count; ++k) acc += tp_sum_term_s8(params, k, (int32_t)inputs[k][e]);
        output[e] = tp_saturate_s8(zero_point + tp_rescale_s8_apply(&params->output, acc));
    }
}
/** What `tp_product_s8` needs besides its two inputs. */
typedef struct {
    int32_t count;
    int32_t zero_point_a;
    int32_t zero_point_b;
    tp_rescale_s8 output; /**< the product to the output: output zero point, multiplier, shift */
} tp_product_s8_params;

/** Multiply of two inputs:
 *  `zp_out + tp_multiply_by_quantized_multiplier((a - zp_a) * (b - zp_b), multiplier, shift)`. */
static inline void tp_product_s8(const tp_product_s8_params *params, const int8_t *a, const int8_t *b, int8_t *output)
{
    const tp_rescale_s8 out = params->output;
    int32_t e;
    for (e = 0; e < params->count; ++e) {
        const int32_t product = ((int32_t)a[e] - params->zero_point_a) * ((int32_t)b[e] - params->zero_point_b);
        output[e] = tp_saturate_s8(out.zero_point + tp_multiply_by_quantized_multiplier(product, out.multiplier, out.shift));
    }
}
/** One input brought to the output quantization (before clamping). */
static inline int32_t tp_rescaled(const tp_rescale_s8 *r, int32_t x, int32_t zero_point)
{
    return zero_point + tp_multiply_by_quantized_multiplier(x - r->zero_point, r->multiplier, r->shift);
}

/** What `tp_extremum_s8` needs besides its inputs. */
typedef struct {
    int32_t count; /**< values per input */
    int32_t input_count;
    const tp_rescale_s8 *rescales; /**< one per input, to the output */
    int32_t largest;               /**< 1: maximum, 0: minimum */
    int32_t zero_point;            /**< the output's */
} tp_extremum_s8_params;

/** Maximum or minimum of the inputs, each rescaled to the output. */
static inline void tp_extremum_s8(const tp_extremum_s8_params *params, const int8_t *const *inputs, int8_t *output)
{
    const tp_rescale_s8 *rescales = params->rescales;
    const int32_t zero_point = params->zero_point;
    int32_t e, k;
    for (e = 0; e < params->count; ++e) {
        int32_t best = tp_rescaled(&rescales[0], (int32_t)inputs[0][e], zero_point);
        for (k = 1; k < params->input_count; ++k) {
            const int32_t value = tp_rescaled(&rescales[k], (int32_t)inputs[k][e], zero_point);
            if (params->largest ? value > best : value < best) {
                best = value;
            }
        }
        output[e] = tp_saturate_s8(best);
    }
}
/** What `tp_concatenate_s8` needs besides its inputs. */
typedef struct {
    int32_t outer; /**< indices of the axes before the concatenation axis */
    int32_t input_count;
    const int32_t *blocks;         /**< values of each input per outer index */
    const tp_rescale_s8 *rescales; /**< one per input, to the output */
    int32_t zero_point;            /**< the output's */
} tp_concatenate_s8_params;

/**
 * Concatenation: for each of `outer` indices of the axes before the concatenation axis, the
 * inputs' blocks (`blocks[k]` values each) in input order, each rescaled to the output.
 */
static inline void tp_concatenate_s8(const tp_concatenate_s8_params *params, const int8_t *const *inputs, int8_t *output)
{
    int32_t o, k, i;
    for (o = 0; o < params->outer; ++o) {
        for (k = 0; k < params->input_count; ++k) {
            const int32_t block = params->blocks[k];
            const int8_t *x = inputs[k] + (size_t)o * (size_t)block;
            for (i = 0; i < block; ++i) {
                *output++ = tp_saturate_s8(tp_rescaled(&params->rescales[k], (int32_t)x[i], params->zero_point));
            }
        }
    }
}
/** The shape of `tp_gather_s8`'s copy. */
typedef struct {
    int32_t rows;       /**< output rows */
    int32_t row_length; /**< values per row */
    int8_t fill;        /**< what a row without a source holds: the zero point */
} tp_gather_s8_params;

/**
 * Data movement by table: output row `r` (of `row_length` values) copies input row
 * `sources[r]`, or is filled with `fill` when `sources[r]` is -1.
 */
static inline void tp_gather_s8(const tp_gather_s8_params *params, const int8_t *input, const int32_t *sources,
                                int8_t *output)
{
    const int32_t rows = params->rows, row_length = params->row_length;
    const int8_t fill = params->fill;
    int32_t r, i;
    for (r = 0; r < rows; ++r) {
        int8_t *out = output + (size_t)r * (size_t)row_length;
        if (sources[r] < 0) {
            for (i = 0; i < row_length; ++i) {
                out[i] = fill;
            }
        } else {
            const int8_t *x = input + (size_t)sources[r] * (size_t)row_length;
            for (i = 0; i < row_length; ++i) {
                out[i] = x[i];
            }
        }
    }
}

/** Copies `count` int8 values (`input` and `output` may be the same). */
static inline void tp_copy_s8(int32_t count, const int8_t *input, int8_t *output)
{
    int32_t i;
    if (input == output) {
        return;
    }
    for (i = 0; i < count; ++i) {
        output[i] = input[i];
    }
}

#endif /* TP_ELEMENTWISE_S8_H */
