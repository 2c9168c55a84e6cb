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

/** `output[i] = table[input[i] + 128]`; `output` may be `input`. */
static inline void tp_lookup_s8(int32_t count, const int8_t *input, const int8_t *table, int8_t *output)
{
    int32_t i;
    for (i = 0; i < count; ++i) {
        output[i] = table[(int32_t)input[i] + 128];
    }
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

/**
 * Add, subtract, average (TensorFlow Lite's fixed-point sum): each input less its zero point
 * is shifted left by `left_shift`, rescaled to a common scale and added with its sign; the
 * sum is rescaled to the output.
 */
static inline void tp_sum_s8(const tp_sum_s8_params *params, const int8_t *const *inputs, int8_t *output)
{
    const int32_t count = params->count, input_count = params->input_count, left_shift = params->left_shift;
    const tp_rescale_s8 *rescales = params->rescales;
    const int32_t *signs = params->signs;
    const int32_t multiplier = params->output.multiplier, shift = params->output.shift, zero_point = params->output.zero_point;
    int32_t e, k;
    if (input_count == 2 && rescales[0].multiplier >= 0 && rescales[1].multiplier >= 0 && multiplier >= 0) {
        /* The residual add of a ResNet: both inputs' rescaling held in registers, and the
         * shorter multiply for non-negative multipliers, which gives the same values. */
        const int8_t *a = inputs[0], *b = inputs[1];
        const tp_rescale_s8 ra = rescales[0], rb = rescales[1];
        const int32_t sign_a = signs[0], sign_b = signs[1], scale = 1 << left_shift;
        for (e = 0; e < count; ++e) {
            const int32_t acc =
                sign_a * tp_multiply_by_quantized_multiplier_nonnegative(((int32_t)a[e] - ra.zero_point) * scale, ra.multiplier, ra.shift) +
                sign_b * tp_multiply_by_quantized_multiplier_nonnegative(((int32_t)b[e] - rb.zero_point) * scale, rb.multiplier, rb.shift);
            output[e] = tp_saturate_s8(zero_point + tp_multiply_by_quantized_multiplier_nonnegative(acc, multiplier, shift));
        }
        return;
    }
    for (e = 0; e < count; ++e) {
        int32_t acc = 0;
        for (k = 0; k < input_count; ++k) {
            const int32_t shifted = ((int32_t)inputs[k][e] - rescales[k].zero_point) * (1 << left_shift);
            acc += signs[k] * tp_multiply_by_quantized_multiplier(shifted, rescales[k].multiplier, rescales[k].shift);
        }
        output[e] = tp_saturate_s8(zero_point + tp_multiply_by_quantized_multiplier(acc, multiplier, shift));
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
