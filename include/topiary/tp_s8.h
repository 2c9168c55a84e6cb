/**
 * @file tp_s8.h
 * @brief What every int8 weighted kernel shares: the per-channel output stage.
 *
 * An int8 Dense, convolution, depthwise convolution or per-channel affine accumulates
 * `bias[c] + sum(w * x)` in int32 (the input zero point is already folded into `bias`
 * offline), then rescales with a per-channel fixed-point multiplier and shift
 * (`tp_requantize`, gemmlowp rounding), adds the output zero point and clamps, the clamp
 * doubling as a fused ReLU or ReLU6.
 *
 * Multipliers and shifts are stored once per channel, or once for the whole layer when every
 * channel has the same value (`multiplier_step` / `shift_step` 0), which saves flash exactly.
 *
 * Dense weights and inputs meet in `tp_dot_s8`, the inner loop of the dense kernels.
 */
#ifndef TP_S8_H
#define TP_S8_H

#include "topiary.h"
#include "tp_fixedpoint.h"

/** The output stage of a weighted int8 layer. */
typedef struct {
    /** `[channels]`: int32 bias at scale `s_in * s_w[c]`, with `-zp_in * sum(w[c])` folded in. */
    const int32_t *bias;
    /** Q31 multipliers: `[channels]`, or one value when `multiplier_step` is 0. */
    const int32_t *multiplier;
    /** Shifts in -31..30: `[channels]`, or one value when `shift_step` is 0. */
    const int8_t *shift;
    /** 1 when there is one multiplier per channel, 0 when one is shared. */
    int32_t multiplier_step;
    /** 1 when there is one shift per channel, 0 when one is shared. */
    int32_t shift_step;
    int32_t output_zero_point;
    /** Clamp of the output, within -128..127 (a fused ReLU raises the floor to the zero point). */
    int32_t output_min;
    int32_t output_max;
} tp_channel_output_s8;

/** Output value of channel `c` from its accumulated `acc` (bias already included). */
static inline int8_t tp_channel_output(const tp_channel_output_s8 *o, int32_t c, int32_t acc)
{
    return tp_requantize(acc, o->multiplier[o->multiplier_step != 0 ? c : 0], (int32_t)o->shift[o->shift_step != 0 ? c : 0],
                         o->output_zero_point, o->output_min, o->output_max);
}

/** `sum(a[i] * b[i])` over `n` int8 pairs; four products per iteration, which halves the
 *  loop overhead of the dense kernels' inner loops. */
static inline int32_t tp_dot_s8(const int8_t *a, const int8_t *b, int32_t n)
{
    int32_t sum = 0, i = 0;
    for (; i + 4 <= n; i += 4) {
        sum += (int32_t)a[i] * (int32_t)b[i] + (int32_t)a[i + 1] * (int32_t)b[i + 1] +
               (int32_t)a[i + 2] * (int32_t)b[i + 2] + (int32_t)a[i + 3] * (int32_t)b[i + 3];
    }
    for (; i < n; ++i) sum += (int32_t)a[i] * (int32_t)b[i];
    return sum;
}

#endif /* TP_S8_H */
