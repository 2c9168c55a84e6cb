/**
 * @file tp_depthwise_s8.h
 * @brief int8 depthwise convolution of depth multiplier 1 with dense weights, any stride,
 *        dilation and padding, and a kernel of its own for the 3x3 windows at dilation 1 that
 *        depthwise-separable networks use (grouped convolutions and other multipliers take the
 *        general kernel of `tp_conv_s8.h`, whose parameters and tap offsets these share).
 */
#ifndef TP_DEPTHWISE_S8_H
#define TP_DEPTHWISE_S8_H

#include "tp_channel_scale_s8.h"
#include "tp_conv_s8.h"

/*
 * Depthwise convolution with depth multiplier 1 (channel `c`'s filter reads input channel `c`
 * only), weights in the interleaved layout `tp_depthwise_conv2d_s8` reads: output channels
 * four at a time, each tap of a window one input word of four channels.
 *
 * Two taps of one channel meet in one `__smlad`: the words of taps `t` and `t + 1` give,
 * halfword by halfword (pack halfwords), `(x[t][c], x[t][c+1], x[t+1][c], x[t+1][c+1])`, and
 * `__sxtb16` of that word, direct and rotated by 8 bits, the int16 pairs
 * `(x[t][c], x[t+1][c])` and `(x[t][c+1], x[t+1][c+1])`. The weights are stored so that one
 * word widens the same way: per group of four channels and pair of taps, the word
 * `(w[c][t], w[c+1][t], w[c][t+1], w[c+1][t+1])`, then the word of channels `c+2`, `c+3`;
 * an odd last tap as the one word `(w[c][t], w[c+1][t], w[c+2][t], w[c+3][t])`. Channels
 * after the last full group keep one row of taps each.
 */

/** Sums of four channels (`sums[0..3]`, channels `c..c+3`) over the taps of one window:
 *  input channel `c` of tap `t` at `x + offsets[t]`, or the input zero point when `padded`
 *  and `offsets[t]` is negative (a tap in the padding); `w` the group's interleaved weights. */
TP_LOOP_BODY void tp_depthwise_group_body_s8(const int8_t *x, const int32_t *offsets, int32_t taps, const int8_t *w,
                                            int32_t zero_point, int padded, int32_t *sums)
{
    int32_t s0 = sums[0], s1 = sums[1], s2 = sums[2], s3 = sums[3], k;
#if defined(TP_USE_DSP)
    const uint32_t padding = (uint32_t)(zero_point & 0xFF) * 0x01010101u;
    for (k = taps >> 1; k > 0; --k) {
        const int32_t o0 = offsets[0], o1 = offsets[1];
        const uint32_t a = padded && o0 < 0 ? padding : tp_read_s8x4(x + o0);
        const uint32_t b = padded && o1 < 0 ? padding : tp_read_s8x4(x + o1);
        const uint32_t low = (a & 0xFFFFu) | (b << 16), high = (b & 0xFFFF0000u) | (a >> 16);
        const uint32_t w01 = tp_read_s8x4(w), w23 = tp_read_s8x4(w + 4);
        offsets += 2;
        w += 8;
        s0 = __smlad(__sxtb16(w01), __sxtb16(low), s0);
        s1 = __smlad(tp_sxtb16_odd(w01), tp_sxtb16_odd(low), s1);
        s2 = __smlad(__sxtb16(w23), __sxtb16(high), s2);
        s3 = __smlad(tp_sxtb16_odd(w23), tp_sxtb16_odd(high), s3);
    }
    if (taps & 1) {
        const int32_t o = offsets[0];
        const uint32_t a = padded && o < 0 ? padding : tp_read_s8x4(x + o), v = tp_read_s8x4(w);
        const int32_t a_even = __sxtb16(a), a_odd = tp_sxtb16_odd(a), v_even = __sxtb16(v), v_odd = tp_sxtb16_odd(v);
        s0 = __smlabb(v_even, a_even, s0);
        s1 = __smlabb(v_odd, a_odd, s1);
        s2 = __smlatt(v_even, a_even, s2);
        s3 = __smlatt(v_odd, a_odd, s3);
    }
#else
    for (k = taps >> 1; k > 0; --k) {
        const int32_t o0 = offsets[0], o1 = offsets[1];
        const int padding0 = padded && o0 < 0, padding1 = padded && o1 < 0;
        const int32_t a0 = padding0 ? zero_point : x[o0], a1 = padding0 ? zero_point : x[o0 + 1];
        const int32_t a2 = padding0 ? zero_point : x[o0 + 2], a3 = padding0 ? zero_point : x[o0 + 3];
        const int32_t b0 = padding1 ? zero_point : x[o1], b1 = padding1 ? zero_point : x[o1 + 1];
        const int32_t b2 = padding1 ? zero_point : x[o1 + 2], b3 = padding1 ? zero_point : x[o1 + 3];
        s0 += (int32_t)w[0] * a0 + (int32_t)w[2] * b0;
        s1 += (int32_t)w[1] * a1 + (int32_t)w[3] * b1;
        s2 += (int32_t)w[4] * a2 + (int32_t)w[6] * b2;
        s3 += (int32_t)w[5] * a3 + (int32_t)w[7] * b3;
        offsets += 2;
        w += 8;
    }
    if (taps & 1) {
        const int32_t o = offsets[0];
        const int padding = padded && o < 0;
        s0 += (int32_t)w[0] * (padding ? zero_point : x[o]);
        s1 += (int32_t)w[1] * (padding ? zero_point : x[o + 1]);
        s2 += (int32_t)w[2] * (padding ? zero_point : x[o + 2]);
        s3 += (int32_t)w[3] * (padding ? zero_point : x[o + 3]);
    }
#endif
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}

/** The outputs of one window's channels `0..grouped)` (a multiple of 4), four at a time
 *  through `tp_depthwise_group_body_s8` (its padding tests compiled only into the copy that
 *  `padded` selects), requantized as soon as a group is summed, in the short form of
 *  `tp_channel_scale_s8.h` through `table` when it is not NULL: one call per window. */
TP_LOOP_FUNCTION void tp_depthwise_groups_s8(const tp_channel_output_s8 *o, const tp_channel_scale_s8 *table, const int8_t *x,
                                             const int32_t *offsets, int32_t taps, const int8_t *w, int32_t grouped, int32_t zero_point,
                                             int padded, int8_t *out)
{
    const int32_t *const bias = o->bias;
    const int32_t output_zero_point = o->output_zero_point;
    int32_t c, j;
    for (c = 0; c < grouped; c += 4, w += 4 * taps) {
        int32_t sums[4];
        sums[0] = bias[c];
        sums[1] = bias[c + 1];
        sums[2] = bias[c + 2];
        sums[3] = bias[c + 3];
        if (padded) {
            tp_depthwise_group_body_s8(x + c, offsets, taps, w, zero_point, 1, sums);
        } else {
            tp_depthwise_group_body_s8(x + c, offsets, taps, w, 0, 0, sums);
        }
        if (table != NULL) {
            const tp_channel_scale_s8 *const t = table + c;
            out[c] = (int8_t)tp_channel_scaled_s8(sums[0], t[0].multiplier, t[0].exponent, t[0].rounding, output_zero_point);
            out[c + 1] = (int8_t)tp_channel_scaled_s8(sums[1], t[1].multiplier, t[1].exponent, t[1].rounding, output_zero_point);
            out[c + 2] = (int8_t)tp_channel_scaled_s8(sums[2], t[2].multiplier, t[2].exponent, t[2].rounding, output_zero_point);
            out[c + 3] = (int8_t)tp_channel_scaled_s8(sums[3], t[3].multiplier, t[3].exponent, t[3].rounding, output_zero_point);
        } else {
            for (j = 0; j < 4; ++j) out[c + j] = tp_channel_output(o, c + j, sums[j]);
        }
    }
}

/** Scratch of `tp_depthwise_conv2d_s8`, in bytes: two lists of tap offsets, then the output
 *  stage's table of the `channels` output channels. */
static inline int32_t tp_depthwise_conv2d_s8_get_buffer_size(const tp_window *w, int32_t channels)
{
    return 2 * w->kernel_h * w->kernel_w * (int32_t)sizeof(int32_t) + TP_CHANNEL_SCALE_S8_BYTES(channels);
}

/**
 * Depthwise convolution with depth multiplier 1 and dense weights in the interleaved layout
 * above. A window inside the input reads its taps at fixed offsets from its first pixel,
 * computed once per layer; a window over the padding takes the offsets of its position, the
 * taps in the padding reading the input zero point.
 * @param weights `[out_channels * kernel_h * kernel_w]`, interleaved
 * @param output  `[output_h, output_w, out_channels]`; must not overlap `input`
 * @param scratch `tp_depthwise_conv2d_s8_get_buffer_size` bytes
 */
static inline void tp_depthwise_conv2d_s8(const tp_conv2d_s8_params *p, const int8_t *input, const int8_t *weights, int8_t *output,
                                          int32_t *scratch)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_conv2d_s8_params q = *p;
    const tp_window *w = &q.window;
    const int32_t taps = w->kernel_h * w->kernel_w, channels = q.out_channels, grouped = channels & ~(int32_t)3;
    const int32_t zero_point = q.input_zero_point;
    const int32_t span_h = (w->kernel_h - 1) * w->dilation_h, span_w = (w->kernel_w - 1) * w->dilation_w;
    int32_t *relative = scratch, *absolute = scratch + taps;
    const tp_channel_scale_s8 *const table = tp_channel_scale_s8_table(&q.output, channels, (tp_channel_scale_s8 *)(absolute + taps));
    int32_t oy, ox, ky, kx, c, t;
    for (ky = 0; ky < w->kernel_h; ++ky) {
        for (kx = 0; kx < w->kernel_w; ++kx) {
            relative[ky * w->kernel_w + kx] = (ky * w->dilation_h * w->input_w + kx * w->dilation_w) * channels;
        }
    }
    for (oy = 0; oy < w->output_h; ++oy) {
        const int32_t y = oy * w->stride_h - w->pad_top;
        const int rows_inside = y >= 0 && y + span_h < w->input_h;
        for (ox = 0; ox < w->output_w; ++ox) {
            const int32_t x = ox * w->stride_w - w->pad_left;
            const int inside = rows_inside && x >= 0 && x + span_w < w->input_w;
            const int8_t *window = inside ? input + (size_t)(y * w->input_w + x) * (size_t)channels : input;
            const int32_t *offsets = inside ? relative : absolute;
            int8_t *out = output + (size_t)(oy * w->output_w + ox) * (size_t)channels;
            if (!inside) tp_conv_tap_offsets(w, oy, ox, absolute);
            tp_depthwise_groups_s8(&q.output, table, window, offsets, taps, weights, grouped, zero_point, !inside, out);
            for (c = grouped; c < channels; ++c) {
                const int8_t *row = weights + (size_t)c * (size_t)taps;
                int32_t acc = q.output.bias[c];
                for (t = 0; t < taps; ++t) {
                    const int32_t offset = offsets[t];
                    acc += (int32_t)row[t] * (offset >= 0 ? (int32_t)window[offset + c] : zero_point);
                }
                out[c] = tp_channel_output(&q.output, c, acc);
            }
        }
    }
}

/*
 * 3x3 windows at dilation 1. A window reads its nine taps through nine pointers, each at
 * channel 0 of its tap, so the same body serves every window: inside the input, consecutive
 * windows of an output row are one stride apart, and one call with the nine taps of the
 * first covers a whole run of them; a window over the padding is a call of its own whose taps
 * in the padding point at a row of the input zero point. No tap is tested for padding and no
 * offset is read per window.
 */

/** The output of a 3x3 window's sum `acc` (within +-2^30) through its channel's scale in the
 *  group's record (`tp_depthwise_3x3_groups`): the short output stage of
 *  `tp_channel_scale_s8.h` with the 64-bit sum doubled, `2 * acc * multiplier + 2^31 +
 *  2^(31+r) - [acc < 0] * 2^32` plus the zero point times `2^(32+r)`, shifted right by
 *  `32 + r` (the same quotient as the sum halved and shifted by `31 + r`). Doubled, the
 *  constant's low word is `2^31`, which `SMMLAR` adds itself: one instruction for the
 *  multiply-add and the high word, where the short stage builds its low word in two more.
 *  `exponent` is `r`, `rounding` `2^(r-1)` plus the zero point times `2^r`. */
TP_LOOP_BODY int32_t tp_depthwise_scaled_twice_s8(int32_t twice, int32_t signed_sum, int32_t multiplier, int32_t exponent,
                                                 int32_t rounding);

TP_LOOP_BODY int32_t tp_depthwise_3x3_scaled_s8(int32_t acc, int32_t multiplier, int32_t exponent, int32_t rounding)
{
    return tp_depthwise_scaled_twice_s8((int32_t)((uint32_t)acc << 1), acc, multiplier, exponent, rounding);
}

/** `tp_depthwise_3x3_scaled_s8` of the sum given doubled, `twice` (the sum within +-2^30, so
 *  that doubled it keeps its sign), its sign read from `signed_sum` (the sum, or `twice`
 *  itself): also for a kernel that doubles its bias and weights once rather than each sum
 *  (`tp_depthwise_sparse_s8.h`). */
TP_LOOP_BODY int32_t tp_depthwise_scaled_twice_s8(int32_t twice, int32_t signed_sum, int32_t multiplier, int32_t exponent,
                                                 int32_t rounding)
{
    const int32_t high_term = rounding + (signed_sum >> 31);
    int32_t high;
#if defined(TP_USE_DSP) && defined(__GNUC__)
    /* ACLE has no intrinsic for SMMLAR, and GCC does not find it in the 64-bit expression. */
    __asm__("smmlar %0, %1, %2, %3" : "=r"(high) : "r"(twice), "r"(multiplier), "r"(high_term));
#else
    high = (int32_t)(((int64_t)twice * multiplier + (int64_t)0x80000000u) >> 32) + high_term;
#endif
#if defined(TP_USE_DSP)
    return __ssat(high >> exponent, 8);
#else
    high >>= exponent;
    return high < -128 ? -128 : (high > 127 ? 127 : high);
#endif
}

/*
 * Each group of four channels is read through a record built once per layer in the scratch:
 * its biases, its weights and its output scales side by side, so that a window finds all of
 * them at fixed offsets from one pointer (where the output stage's arrays each cost a pointer
 * load and an address computation per group and window). The scratch holds the records of a
 * pass over the layer, as many groups as the arena has room for at that step (at least a
 * quarter of them); a layer of more groups takes several passes, each over every window (its
 * taps found again) with the next groups' records. On the DSP extension the record's weights
 * are widened: each weight word of the interleaved layout as the two int16 pairs
 * `__sxtb16` makes of it, direct then rotated by 8 bits, so that every window reads its
 * multiply-adds' weight operands instead of reading and widening the bytes again (four
 * instructions fewer for every pair of taps, where the widening costs a few per weight word
 * once per layer).
 */
#if defined(TP_USE_DSP)
typedef int32_t tp_depthwise_3x3_weight;
/** Weight elements of a pair of taps of one group. */
#define TP_DEPTHWISE_3X3_PAIR 4
#else
typedef int8_t tp_depthwise_3x3_weight;
#define TP_DEPTHWISE_3X3_PAIR 8
#endif

/** One group of four channels of a 3x3 depthwise layer, as its windows read it. */
typedef struct {
    int32_t bias[4];
    /** The group's weights, widened on the DSP extension, else its 36 interleaved bytes. */
    tp_depthwise_3x3_weight weights[9 * TP_DEPTHWISE_3X3_PAIR / 2];
    /** The channels' scales of `tp_depthwise_3x3_scaled_s8`, when the layer takes it. */
    tp_channel_scale_s8 scales[4];
} tp_depthwise_3x3_group;

/** What every window of a 3x3 depthwise layer shares. */
typedef struct {
    const tp_channel_output_s8 *output;
    /** 1 when the outputs go through `tp_depthwise_3x3_scaled_s8` and the groups' scales. */
    int32_t short_form;
    /** The records of the pass's groups of four channels. */
    const tp_depthwise_3x3_group *groups;
    /** The weights of the channels after the last group, nine each. */
    const int8_t *singles;
    /** The channels of the pass: its groups' and, in the last pass, the channels after them. */
    int32_t width;
    /** The channels of a pixel, from one pixel's first channel to the next's. */
    int32_t channels;
    /** Bytes from one window of a run to the next: the stride times `channels`. */
    int32_t step;
} tp_depthwise_3x3_s8_layer;

/** Adds to `s[0..3]` (channels `c..c+3`) the products of two taps, their input channels
 *  `c..c+3` at `a` and `b`, with the group's weights of that pair of taps at `w`. */
TP_LOOP_BODY void tp_depthwise_3x3_pair_s8(const int8_t *a, const int8_t *b, const tp_depthwise_3x3_weight *w, int32_t *s)
{
#if defined(TP_USE_DSP)
    const uint32_t u = tp_read_s8x4(a), v = tp_read_s8x4(b);
    const uint32_t low = tp_pack_halves(u, v, 0), high = tp_pack_halves(u, v, 1);
    s[0] = __smlad(w[0], __sxtb16(low), s[0]);
    s[1] = __smlad(w[1], tp_sxtb16_odd(low), s[1]);
    s[2] = __smlad(w[2], __sxtb16(high), s[2]);
    s[3] = __smlad(w[3], tp_sxtb16_odd(high), s[3]);
#if defined(__GNUC__)
    /* Keeps the next pair's loads after these multiply-adds: GCC's first scheduling pass
     * would move the loads of a group's weights and inputs ahead of them, more than the
     * registers hold, and then spill and reload them. Nothing the next pair needs is held
     * across it but the sums, which live in registers: each pair reads its taps and weights
     * from memory anyway. */
    __asm__ volatile("" ::: "memory");
#endif
#else
    s[0] += (int32_t)w[0] * a[0] + (int32_t)w[2] * b[0];
    s[1] += (int32_t)w[1] * a[1] + (int32_t)w[3] * b[1];
    s[2] += (int32_t)w[4] * a[2] + (int32_t)w[6] * b[2];
    s[3] += (int32_t)w[5] * a[3] + (int32_t)w[7] * b[3];
#endif
}

/** Adds to `s[0..3]` the products of the last tap, input channels at `a`, and its weights at
 *  `w` (widened, or one byte per channel). */
TP_LOOP_BODY void tp_depthwise_3x3_last_s8(const int8_t *a, const tp_depthwise_3x3_weight *w, int32_t *s)
{
#if defined(TP_USE_DSP)
    const uint32_t u = tp_read_s8x4(a);
    const int32_t u_even = __sxtb16(u), u_odd = tp_sxtb16_odd(u);
    s[0] = __smlabb(w[0], u_even, s[0]);
    s[1] = __smlabb(w[1], u_odd, s[1]);
    s[2] = __smlatt(w[0], u_even, s[2]);
    s[3] = __smlatt(w[1], u_odd, s[3]);
#else
    s[0] += (int32_t)w[0] * a[0];
    s[1] += (int32_t)w[1] * a[1];
    s[2] += (int32_t)w[2] * a[2];
    s[3] += (int32_t)w[3] * a[3];
#endif
}

/** `tp_channel_output` of channel `c` as a call of its own: the output stage of the windows'
 *  rare paths (a layer the short form does not serve, the channels after the last group of
 *  four), one copy of it for both. */
TP_LOOP_FUNCTION int8_t tp_depthwise_3x3_output_s8(const tp_channel_output_s8 *o, int32_t c, int32_t acc)
{
    return tp_channel_output(o, c, acc);
}

/** `out[c..c+3]` from the sums `s[0..3]` through `tp_channel_output`, for a layer whose
 *  output stage the short form does not serve: a call of its own, which keeps the sums of the
 *  short form's loop in registers. */
TP_LOOP_FUNCTION void tp_depthwise_3x3_outputs_s8(const tp_channel_output_s8 *o, int32_t c, int32_t s0, int32_t s1, int32_t s2, int32_t s3,
                                                  int8_t *out)
{
    const int32_t s[4] = {s0, s1, s2, s3};
    int32_t j;
    for (j = 0; j < 4; ++j) out[c + j] = tp_depthwise_3x3_output_s8(o, c + j, s[j]);
}

/** The outputs `y[0..3]` of channels `c..c+3` of one window, their taps at `taps[k] + at`,
 *  the group's record at `g`: through `tp_depthwise_3x3_scaled_s8` when `short_form`, else
 *  `tp_depthwise_3x3_outputs_s8`. */
TP_LOOP_BODY void tp_depthwise_3x3_group_s8(const tp_channel_output_s8 *o, int32_t short_form, const int8_t *const *taps, int32_t at,
                                            const tp_depthwise_3x3_group *g, int32_t c, int8_t *y)
{
    const tp_depthwise_3x3_weight *const w = g->weights;
    int32_t s[4];
    s[0] = g->bias[0];
    s[1] = g->bias[1];
    s[2] = g->bias[2];
    s[3] = g->bias[3];
    tp_depthwise_3x3_pair_s8(taps[0] + at, taps[1] + at, w, s);
    tp_depthwise_3x3_pair_s8(taps[2] + at, taps[3] + at, w + TP_DEPTHWISE_3X3_PAIR, s);
    tp_depthwise_3x3_pair_s8(taps[4] + at, taps[5] + at, w + 2 * TP_DEPTHWISE_3X3_PAIR, s);
    tp_depthwise_3x3_pair_s8(taps[6] + at, taps[7] + at, w + 3 * TP_DEPTHWISE_3X3_PAIR, s);
    tp_depthwise_3x3_last_s8(taps[8] + at, w + 4 * TP_DEPTHWISE_3X3_PAIR, s);
    if (short_form) {
        const tp_channel_scale_s8 *const k = g->scales;
        y[0] = (int8_t)tp_depthwise_3x3_scaled_s8(s[0], k[0].multiplier, k[0].exponent, k[0].rounding);
        y[1] = (int8_t)tp_depthwise_3x3_scaled_s8(s[1], k[1].multiplier, k[1].exponent, k[1].rounding);
        y[2] = (int8_t)tp_depthwise_3x3_scaled_s8(s[2], k[2].multiplier, k[2].exponent, k[2].rounding);
        y[3] = (int8_t)tp_depthwise_3x3_scaled_s8(s[3], k[3].multiplier, k[3].exponent, k[3].rounding);
    } else {
        tp_depthwise_3x3_outputs_s8(o, c, s[0], s[1], s[2], s[3], y - c);
    }
}

/** The output of channel `c`, one after the last group of four, of one window: its taps at
 *  `taps[k] + at`, its nine weights at `w`. */
TP_LOOP_FUNCTION int8_t tp_depthwise_3x3_single_s8(const tp_channel_output_s8 *o, const int8_t *const *taps, int32_t at, const int8_t *w,
                                                int32_t c)
{
    int32_t acc = o->bias[c], t;
    for (t = 0; t < 9; ++t) acc += (int32_t)w[t] * taps[t][at];
    return tp_depthwise_3x3_output_s8(o, c, acc);
}

/** The outputs of `count` windows, the first with its taps at `taps[0..8]` (channel 0, tap
 *  `3 * ky + kx`), each next window `l->step` bytes further than the last, written one after
 *  another from `out`. Channels four at a time, then the last `channels % 4` one by one. */
TP_LOOP_FUNCTION void tp_depthwise_3x3_windows_s8(const tp_depthwise_3x3_s8_layer *l, const int8_t *const *taps, int32_t count, int8_t *out)
{
    const tp_channel_output_s8 *const o = l->output;
    const int32_t short_form = l->short_form;
    const int32_t width = l->width, grouped = width & ~(int32_t)3, channels = l->channels, step = l->step;
    const tp_depthwise_3x3_group *g = l->groups;
    const int8_t *w;
    int32_t c, at;
#if defined(TP_USE_DSP)
    /* On the DSP extension each group goes over all the windows before the next, in one loop
     * that at a group's last window moves on to the next group's first: a run's windows find
     * the group's record where the last left it, and a window alone costs the loop no more
     * than a group of the windows-outside order did. */
    int8_t *y = out;
    int32_t n;
    for (c = 0, n = count, at = 0; c < grouped;) {
        tp_depthwise_3x3_group_s8(o, short_form, taps, at, g, c, y);
        if (--n != 0) {
            at += step;
            y += channels;
        } else {
            n = count;
            c += 4;
            ++g;
            at = c;
            y = out + c;
        }
    }
    for (w = l->singles; c < width; ++c, w += 9) {
        for (y = out + c, n = count, at = c; n > 0; --n, at += step, y += channels) *y = tp_depthwise_3x3_single_s8(o, taps, at, w, c);
    }
#else
    /* The portable body keeps the windows outside: with the loop state of the order above, a
     * core of eight low registers (the Cortex-M0+) spills more than the order saves. */
    for (at = 0; count > 0; --count, at += step, out += channels) {
        for (c = 0, g = l->groups; c < grouped; c += 4, ++g) tp_depthwise_3x3_group_s8(o, short_form, taps, at + c, g, c, out + c);
        for (w = l->singles; c < width; ++c, w += 9) out[c] = tp_depthwise_3x3_single_s8(o, taps, at + c, w, c);
    }
#endif
}

/** 1 when the layer's outputs may go through `tp_depthwise_3x3_scaled_s8`: the short form
 *  applies (as `tp_channel_scale_s8_applies` tests: no fused clamp inside the int8 range, every
 *  exponent, the negated shift, at least 2), no exponent is above 23 and every bias lies in
 *  -2^29..2^29, which keeps a window's sum, at most 9 * 128 * 128 further, within +-2^30, as
 *  `tp_depthwise_3x3_scaled_s8` needs to double it. The high word stays within int32 when the
 *  exponent is at most 23 (below `2^29 + 2^23` in magnitude before, the zero point's term at
 *  most `2^30`). One loop tests both ranges. */
static inline int32_t tp_depthwise_3x3_short_form(const tp_channel_output_s8 *o, int32_t channels)
{
    int32_t c;
    if (o->output_min != -128 || o->output_max != 127) return 0;
    for (c = 0; c < channels; ++c) {
        const uint32_t exponent = (uint32_t)-(int32_t)o->shift[c * o->shift_step];
        if (exponent - 2u > 21u || (uint32_t)o->bias[c] + 0x20000000u >= 0x40000000u) return 0;
    }
    return 1;
}

/** Fills the records of the `groups` groups of four channels from the interleaved weights
 *  `w` and the output stage `o`, the scales only when `short_form`. The output zero point is
 *  folded into each channel's rounding term, `(1 + 2 * zero_point) * 2^(r-1)`, so that no
 *  zero point is added per output: the high word shifted right by `r` rises by the zero
 *  point when the high word rises by the zero point times `2^r`. */
static inline void tp_depthwise_3x3_groups(const tp_channel_output_s8 *o, int32_t short_form, const int8_t *w, int32_t groups,
                                           tp_depthwise_3x3_group *g)
{
    const uint32_t odd = 1u + 2u * (uint32_t)o->output_zero_point;
    int32_t c, j, k;
    for (c = 0; c < 4 * groups; c += 4, ++g, w += 36) {
        for (j = 0; j < 4; ++j) {
            g->bias[j] = o->bias[c + j];
            if (short_form) {
                const int32_t exponent = -(int32_t)o->shift[(c + j) * o->shift_step];
                g->scales[j].multiplier = o->multiplier[(c + j) * o->multiplier_step];
                g->scales[j].exponent = exponent;
                g->scales[j].rounding = (int32_t)(odd << (exponent - 1));
            }
        }
#if defined(TP_USE_DSP)
        for (k = 0; k < 9; ++k) {
            const uint32_t word = tp_read_s8x4(w + 4 * k);
            g->weights[2 * k] = __sxtb16(word);
            g->weights[2 * k + 1] = tp_sxtb16_odd(word);
        }
#else
        for (k = 0; k < 36; ++k) g->weights[k] = w[k];
#endif
    }
}

/** Scratch of `tp_depthwise_conv2d_3x3_s8` passing over `records` groups of four channels at a
 *  time, in bytes: their records, `tp_depthwise_3x3_group` as the DSP extension lays it out
 *  (136 bytes; the portable one is smaller), then a row of input zero points for the taps in
 *  the padding, a byte for each channel of a pass (the last takes the up to three channels after
 *  the last group) rounded up to whole words. The layer's channel count does not enter. */
static inline int32_t tp_depthwise_conv2d_3x3_s8_get_buffer_size(int32_t records)
{
    return 136 * records + 4 * records + 4;
}

/* The arena is planned for the 136-byte record on every target: a record that outgrew it would
 * overrun the scratch, so such a build fails here (an array of negative size). */
typedef char tp_depthwise_3x3_group_fits_136_bytes[sizeof(tp_depthwise_3x3_group) <= 136 ? 1 : -1];

/** One pass of `tp_depthwise_conv2d_3x3_s8` over every window, for the channels of `l`: per
 *  output row, the windows over the padding one call each, the windows between them in one
 *  run. `input` and `output` point at the pass's first channel, `padding` at its row of input
 *  zero points. A layer of several passes finds each window's taps again in every pass, so they
 *  come cheaply: a row's three input rows (or none, in the padding) once per output row, then
 *  per window a test of each of its three columns. */
TP_LOOP_BODY void tp_depthwise_3x3_pass_s8(const tp_window *w, const tp_depthwise_3x3_s8_layer *l, const int8_t *input,
                                           const int8_t *padding, int8_t *output)
{
    const int32_t channels = l->channels, row_bytes = w->input_w * channels, output_row_bytes = w->output_w * channels;
    /* Columns `first..end)` of an output row have their three input columns inside the input. */
    const int32_t first = (w->pad_left + w->stride_w - 1) / w->stride_w;
    const int32_t last = w->input_w - 3 + w->pad_left >= 0 ? (w->input_w - 3 + w->pad_left) / w->stride_w : -1;
    const int32_t end = last + 1 < w->output_w ? last + 1 : w->output_w;
    const int8_t *taps[9], *rows[3];
    int8_t *out = output;
    int32_t oy, ox, k;
    for (oy = 0; oy < w->output_h; ++oy, out += output_row_bytes) {
        const int32_t y = oy * w->stride_h - w->pad_top;
        const int rows_inside = y >= 0 && y + 2 < w->input_h;
        for (k = 0; k < 3; ++k) rows[k] = (uint32_t)(y + k) < (uint32_t)w->input_h ? input + (y + k) * row_bytes : NULL;
        for (ox = 0; ox < w->output_w; ++ox) {
            const int32_t x = ox * w->stride_w - w->pad_left;
            const int run = rows_inside && ox == first && first < end;
            for (k = 0; k < 3; ++k) {
                const int inside = (uint32_t)(x + k) < (uint32_t)w->input_w;
                const int32_t at = (x + k) * channels;
                taps[k] = inside && rows[0] != NULL ? rows[0] + at : padding;
                taps[3 + k] = inside && rows[1] != NULL ? rows[1] + at : padding;
                taps[6 + k] = inside && rows[2] != NULL ? rows[2] + at : padding;
            }
            tp_depthwise_3x3_windows_s8(l, taps, run ? end - first : 1, out + ox * channels);
            if (run) ox = end - 1;
        }
    }
}

/**
 * `tp_depthwise_conv2d_s8` for a 3x3 kernel at dilation 1, any stride and padding, in passes of
 * `records` groups of four channels (the last pass the groups left and the channels after
 * them), each pass's records built in the scratch before it goes over the windows. The passes
 * are built only where `TP_DEPTHWISE_3X3_PASSES` is defined, by a model with a layer whose
 * scratch holds fewer records than it has groups; without it every call is one pass, `records`
 * being all the groups, and the loop costs no flash. Out of line (`TP_SHARED_FUNCTION`): GCC
 * would otherwise inline a copy into every layer that calls it.
 * @param scratch `tp_depthwise_conv2d_3x3_s8_get_buffer_size(records)` bytes
 * @param output may overlap `input` at a whole number of pixels before it, as long as every input
 *        pixel it lands on is read by no later window: each channel's windows run in raster order,
 *        each reading its taps before it writes (the order the arena plan models)
 * @param records at least 1 when there are four channels or more, at most `out_channels / 4`;
 *        `out_channels / 4` unless `TP_DEPTHWISE_3X3_PASSES` is defined
 */
TP_SHARED_FUNCTION void tp_depthwise_conv2d_3x3_s8(const tp_conv2d_s8_params *p, const int8_t *input, const int8_t *weights,
                                                    int8_t *output, int32_t *scratch, int32_t records)
{
    const int32_t channels = p->out_channels, groups = channels >> 2;
    tp_depthwise_3x3_group *const group_records = (tp_depthwise_3x3_group *)scratch;
    /* The output stage of the pass, its arrays from the pass's first channel. */
    tp_channel_output_s8 o = p->output;
    tp_depthwise_3x3_s8_layer l;
    int8_t *padding;
    int32_t c, done = 0, n = groups;
    l.output = &o;
    l.short_form = tp_depthwise_3x3_short_form(&o, channels);
    l.groups = group_records;
    l.channels = channels;
    l.step = p->window.stride_w * channels;
#if defined(TP_DEPTHWISE_3X3_PASSES)
    do {
        n = groups - done < records ? groups - done : records;
#else
    (void)records;
#endif
        tp_depthwise_3x3_groups(&o, l.short_form, weights + 36 * done, n, group_records);
        l.singles = weights + 36 * (done + n);
        /* The last pass takes the channels after the last group too. */
        l.width = done + n == groups ? channels - 4 * done : 4 * n;
        padding = (int8_t *)(group_records + n);
        for (c = 0; c < l.width; ++c) padding[c] = (int8_t)p->input_zero_point;
        tp_depthwise_3x3_pass_s8(&p->window, &l, input + 4 * done, padding, output + 4 * done);
#if defined(TP_DEPTHWISE_3X3_PASSES)
        o.bias += 4 * n;
        o.multiplier += 4 * n * o.multiplier_step;
        o.shift += 4 * n * o.shift_step;
        done += n;
    } while (done < groups);
#endif
}

#endif /* TP_DEPTHWISE_S8_H */
