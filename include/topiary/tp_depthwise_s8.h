/**
 * @file tp_depthwise_s8.h
 * @brief int8 depthwise convolution of depth multiplier 1 with dense weights, any stride,
 *        dilation and padding (grouped convolutions and other multipliers take the general
 *        kernel of `tp_conv_s8.h`, whose parameters and tap offsets this one shares).
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

#endif /* TP_DEPTHWISE_S8_H */
