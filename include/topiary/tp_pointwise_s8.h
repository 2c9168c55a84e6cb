/**
 * @file tp_pointwise_s8.h
 * @brief int8 pointwise convolution (a 1x1 filter at stride 1) with dense weights: the product
 *        of the positions (rows of the input) by the filters, two positions by two filters
 *        at a time.
 *
 * A pointwise layer reads each input position as one contiguous row, so it needs no tap
 * offsets and no gathered windows: on the DSP extension the two positions' rows are widened
 * once into the scratch (`tp_widen_s8`) and multiplied by every pair of filters
 * (`tp_block2x2_s8`), each weight word read and widened once for both positions. The late
 * layers of a MobileNet have few positions and many filters, so the work per output is a
 * short row and the output stage weighs as much as the multiply-adds: it takes the short
 * form of `tp_channel_scale_s8.h`, each channel's constants computed once for two positions.
 */
#ifndef TP_POINTWISE_S8_H
#define TP_POINTWISE_S8_H

#include "tp_conv_s8.h"
#include "tp_channel_scale_s8.h"

/** Scratch of `tp_pointwise_conv2d_s8`, in bytes: two positions' widened inputs (two int16
 *  per input, an int32 per input after the last group of four; used on the DSP extension). */
static inline int32_t tp_pointwise_conv2d_s8_get_buffer_size(int32_t in_channels)
{
    return 4 * (4 * (in_channels / 4) + 2 * (in_channels % 4));
}

/** Output channels whose sums at two positions `tp_pointwise_conv2d_s8` keeps on the stack
 *  before their output stage. */
#define TP_POINTWISE_CHANNELS 16

/**
 * Pointwise convolution: `p->window` a 1x1 window at stride 1 (`channels` the inputs of a
 * position), one group (`group_width` = `channels`). Positions two at a time, output channels
 * `TP_POINTWISE_CHANNELS` at a time: their sums at both positions, then their output stage.
 * @param weights `[out_channels, channels]`
 * @param output  `[output_h, output_w, out_channels]`; must not overlap `input`
 * @param scratch `tp_pointwise_conv2d_s8_get_buffer_size` bytes
 */
static inline void tp_pointwise_conv2d_s8(const tp_conv2d_s8_params *p, const int8_t *input, const int8_t *weights,
                                          int8_t *output, int32_t *scratch)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_conv2d_s8_params q = *p;
    const int32_t width = q.window.channels, channels = q.out_channels;
    const int32_t positions = q.window.output_h * q.window.output_w;
    const int fast = tp_channel_scale_s8_applies(&q.output, channels);
    /* Channel `first + k`'s sums at the two positions in `sums[2k]` and `sums[2k + 1]`: the
     * order in which `tp_block2x2_s8` leaves a pair of channels; two more for an odd last
     * channel, which pairs with itself. */
    int32_t sums[2 * TP_POINTWISE_CHANNELS + 2];
    int32_t position, first, c;
#if defined(TP_USE_DSP)
    const int32_t groups = width >> 2, rest = width & 3;
    int32_t *const columns = scratch;
    const int32_t *const tail = columns + 4 * groups;
    int32_t i;
#else
    (void)scratch;
#endif
    for (position = 0; position < positions; position += 2) {
        /* An odd last position pairs with itself. */
        const int32_t position1 = position + 1 < positions ? position + 1 : position;
        const int8_t *const x0 = input + (size_t)position * (size_t)width, *const x1 = input + (size_t)position1 * (size_t)width;
        int8_t *const y0 = output + (size_t)position * (size_t)channels, *const y1 = output + (size_t)position1 * (size_t)channels;
#if defined(TP_USE_DSP)
        tp_widen_s8(x0, 4 * groups, columns);
        tp_widen_s8(x1, 4 * groups, columns + 2);
        for (i = 0; i < rest; ++i) {
            columns[4 * groups + 2 * i] = x0[4 * groups + i];
            columns[4 * groups + 2 * i + 1] = x1[4 * groups + i];
        }
#endif
        for (first = 0; first < channels; first += TP_POINTWISE_CHANNELS) {
            const int32_t count = channels - first < TP_POINTWISE_CHANNELS ? channels - first : TP_POINTWISE_CHANNELS;
            const int8_t *w0 = weights + (size_t)first * (size_t)width;
            const int32_t *bias = q.output.bias + first;
            int32_t *s = sums;
            for (c = 0; c < count; c += 2, w0 += 2 * width, bias += 2, s += 4) {
                /* An odd last channel pairs with itself, its second pair of sums unused. */
                const int8_t *const w1 = c + 1 < count ? w0 + width : w0;
                s[0] = s[1] = bias[0];
                s[2] = s[3] = c + 1 < count ? bias[1] : bias[0];
#if defined(TP_USE_DSP)
                tp_block2x2_s8(w0, w1, columns, groups, s);
#else
                tp_dot2_s8(w0, w1, x0, width, &s[0], &s[2]);
                tp_dot2_s8(w0, w1, x1, width, &s[1], &s[3]);
#endif
            }
#if defined(TP_USE_DSP)
            /* The inputs after the last group of four. */
            for (c = 0; c < count && rest > 0; ++c) {
                const int8_t *const w = weights + (size_t)(first + c) * (size_t)width + 4 * groups;
                for (i = 0; i < rest; ++i) {
                    sums[2 * c] += w[i] * tail[2 * i];
                    sums[2 * c + 1] += w[i] * tail[2 * i + 1];
                }
            }
#endif
            tp_channel_scale_s8_outputs2(&q.output, fast, first, count, sums, y0, y1);
        }
    }
}

#endif /* TP_POINTWISE_S8_H */
