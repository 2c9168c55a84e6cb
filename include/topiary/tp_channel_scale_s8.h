/**
 * @file tp_channel_scale_s8.h
 * @brief A short form of the per-channel output stage of the int8 kernels: a few
 *        instructions per output value where `tp_requantize` takes some thirty.
 *
 * `tp_requantize` (tp_fixedpoint.h) rounds twice, as TensorFlow Lite does: a rounding
 * doubling high multiply, `h = floor((acc * m + 2^30) / 2^31)` (ties toward +infinity), then a
 * right shift by `r = -shift` with ties away from zero, `floor((h + 2^(r-1) - [h < 0]) / 2^r)`.
 * For `r >= 1` both roundings fold into one 64-bit sum and one shift:
 *
 *     floor((acc * m + 2^30 + 2^(30+r) - [acc < 0] * 2^31) / 2^(31+r))
 *
 * (a floor of a floor by powers of two is one floor; `h < 0` exactly when the product is
 * below `-2^30`, and for a negative product above it `h` is 0, whose result the `-1` does not
 * change, so the sign of `acc` may stand in for the sign of `h`). For `r >= 2` the constant
 * part is the word pair (high `2^(r-2) - [acc < 0]`, low `2^30 + [acc < 0] * 2^31`), both
 * words a step or two from `acc`'s sign bit, and the result is the high word of the sum
 * shifted right by `r - 1`: on the DSP extension one `SMLAL` into that pair and an `ASR`, then
 * the zero point added (the shifted value lies within +-2^30, so the sum cannot overflow) and
 * `SSAT`, which equals `tp_requantize`'s clamp to the int8 range.
 *
 * A layer with a channel whose shift is above -2 (a scale ratio of at least a quarter, rare)
 * or with a fused activation's clamp inside the int8 range keeps `tp_channel_output`:
 * `tp_channel_scale_s8_applies` says which.
 */
#ifndef TP_CHANNEL_SCALE_S8_H
#define TP_CHANNEL_SCALE_S8_H

#include "tp_s8.h"

/** 1 when the short output stage applies to every channel of `o`: each shift is -2 or below,
 *  and no fused activation narrows the int8 range. */
static inline int tp_channel_scale_s8_applies(const tp_channel_output_s8 *o, int32_t channels)
{
    int32_t c;
    if (o->output_min != -128 || o->output_max != 127) return 0;
    for (c = 0; c < channels; ++c) {
        if (o->shift[c * o->shift_step] > -2) return 0;
    }
    return 1;
}

/** One channel's constants of `tp_channel_scaled_s8`, for a kernel that meets the channels of
 *  a position one after another and so keeps them in a table. */
typedef struct {
    int32_t multiplier;
    /** `-shift - 1` */
    int32_t exponent;
    /** `2^(-shift-2)` */
    int32_t rounding;
} tp_channel_scale_s8;

/** Bytes of the table of `channels` channels that `tp_channel_scale_s8_table` fills. */
#define TP_CHANNEL_SCALE_S8_BYTES(channels) ((int32_t)sizeof(tp_channel_scale_s8) * (channels))

/** The constants of `tp_channel_scaled_s8` for a channel of Q31 `multiplier` and `shift`
 *  (-2 or below). */
static inline tp_channel_scale_s8 tp_channel_scale_s8_of(int32_t multiplier, int32_t shift)
{
    tp_channel_scale_s8 scale;
    scale.multiplier = multiplier;
    scale.exponent = ~shift;
    scale.rounding = ((int32_t)1 << scale.exponent) >> 1;
    return scale;
}

/** Largest exponent (`-shift - 1`) of `tp_channel_scale_s8_folded`: the high word of the
 *  requantizing sum, at most `2^30 + 2^21` in magnitude, stays within int32 with the zero
 *  point's term, at most `2^29`, added. */
#define TP_CHANNEL_SCALE_S8_FOLDED_EXPONENT 22

/** The output zero point as `tp_channel_scale_s8_folded` takes it: `2 * zero_point + 1`,
 *  computed once per layer. */
static inline uint32_t tp_channel_scale_s8_zero_point_word(int32_t zero_point)
{
    return 2u * (uint32_t)zero_point + 1u;
}

/** `tp_channel_scale_s8_of` for a channel of `exponent` (`-shift - 1`, 1 up to
 *  `TP_CHANNEL_SCALE_S8_FOLDED_EXPONENT`) with the output zero point folded into the rounding
 *  word, so that `tp_channel_scaled_s8` takes a zero point of 0 and saves an addition per
 *  output: the high word shifted right by `exponent` rises by the zero point when the high
 *  word rises by the zero point times `2^exponent`. The rounding word `2^(exponent-1) +
 *  zero_point * 2^exponent` is `zero_point_word` (`tp_channel_scale_s8_zero_point_word`)
 *  shifted left by `exponent` and arithmetically right by one: two instructions per channel
 *  (below `2^30` in magnitude before the right shift, so it cannot overflow). */
static inline tp_channel_scale_s8 tp_channel_scale_s8_folded(int32_t multiplier, int32_t exponent, uint32_t zero_point_word)
{
    tp_channel_scale_s8 scale;
    scale.multiplier = multiplier;
    scale.exponent = exponent;
    scale.rounding = (int32_t)(zero_point_word << exponent) >> 1;
    return scale;
}

/** Fills `table[0..channels)` from `o` and returns it when `tp_channel_scale_s8_applies`,
 *  else returns NULL. */
static inline const tp_channel_scale_s8 *tp_channel_scale_s8_table(const tp_channel_output_s8 *o, int32_t channels,
                                                                   tp_channel_scale_s8 *table)
{
    int32_t c;
    if (!tp_channel_scale_s8_applies(o, channels)) return NULL;
    for (c = 0; c < channels; ++c) table[c] = tp_channel_scale_s8_of(o->multiplier[c * o->multiplier_step], o->shift[c * o->shift_step]);
    return table;
}

/** `tp_requantize(acc, multiplier, shift, zero_point, -128, 127)` for `shift <= -2`, given
 *  `exponent = -shift - 1` and `rounding = 2^(-shift-2)` (the high word of `2^(30+r)`), which
 *  a kernel computes once per channel and uses for every position it has summed. */
TP_LOOP_BODY int32_t tp_channel_scaled_s8(int32_t acc, int32_t multiplier, int32_t exponent, int32_t rounding, int32_t zero_point)
{
    const uint32_t low = ((uint32_t)acc & 0x80000000u) | 0x40000000u;
    const int32_t high = rounding + (acc >> 31);
    const int64_t sum = (int64_t)(((uint64_t)(uint32_t)high << 32) | low) + (int64_t)acc * multiplier;
    const int32_t value = (int32_t)(sum >> 32) >> exponent;
#if defined(TP_USE_DSP)
    return __ssat(value + zero_point, 8);
#else
    const int32_t floor = -128 - zero_point, ceiling = 127 - zero_point;
    return (value < floor ? floor : (value > ceiling ? ceiling : value)) + zero_point;
#endif
}

/** The outputs of channels `first..first + count)` at one position, `y[c]`, from their sums
 *  `sums[k]` (channel `first + k`, bias included), through `tp_channel_scaled_s8`: for a kernel
 *  that sums one position at a time (a Dense layer), on a layer `tp_channel_scale_s8_applies`
 *  to. */
TP_LOOP_FUNCTION void tp_channel_scale_s8_outputs(const tp_channel_output_s8 *o, int32_t first, int32_t count, const int32_t *sums,
                                                  int8_t *y)
{
    const int32_t zero_point = o->output_zero_point, multiplier_step = o->multiplier_step, shift_step = o->shift_step;
    const int32_t *multiplier = o->multiplier + first * multiplier_step;
    const int8_t *shift = o->shift + first * shift_step;
    int32_t c;
    y += first;
    for (c = 0; c < count; ++c, multiplier += multiplier_step, shift += shift_step) {
        const tp_channel_scale_s8 scale = tp_channel_scale_s8_of(*multiplier, *shift);
        y[c] = (int8_t)tp_channel_scaled_s8(sums[c], scale.multiplier, scale.exponent, scale.rounding, zero_point);
    }
}

/** The outputs of channels `first..first + count)` at two positions, `y0[c]` and `y1[c]`, from
 *  their sums `sums[2k]` and `sums[2k + 1]` (channel `first + k`, bias included): through
 *  `tp_channel_scaled_s8` when `fast` (`tp_channel_scale_s8_applies`), each channel's
 *  constants computed once for both, else through `tp_channel_output`. `y1` may equal `y0`. */
TP_LOOP_FUNCTION void tp_channel_scale_s8_outputs2(const tp_channel_output_s8 *o, int fast, int32_t first, int32_t count,
                                                   const int32_t *sums, int8_t *y0, int8_t *y1)
{
    const int32_t zero_point = o->output_zero_point, multiplier_step = o->multiplier_step, shift_step = o->shift_step;
    const int32_t *multiplier = o->multiplier + first * multiplier_step;
    const int8_t *shift = o->shift + first * shift_step;
    int32_t c;
    if (!fast) {
        for (c = first; c < first + count; ++c, sums += 2) {
            y0[c] = tp_channel_output(o, c, sums[0]);
            y1[c] = tp_channel_output(o, c, sums[1]);
        }
        return;
    }
    y0 += first;
    y1 += first;
    for (c = 0; c < count; ++c, sums += 2, multiplier += multiplier_step, shift += shift_step) {
        const tp_channel_scale_s8 scale = tp_channel_scale_s8_of(*multiplier, *shift);
        y0[c] = (int8_t)tp_channel_scaled_s8(sums[0], scale.multiplier, scale.exponent, scale.rounding, zero_point);
        y1[c] = (int8_t)tp_channel_scaled_s8(sums[1], scale.multiplier, scale.exponent, scale.rounding, zero_point);
    }
}

#endif /* TP_CHANNEL_SCALE_S8_H */
