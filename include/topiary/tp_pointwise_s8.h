/**
 * @file tp_pointwise_s8.h
 * @brief int8 pointwise convolution (a 1x1 filter at stride 1) with dense weights: the product
 *        of the positions (rows of the input) by the filters, blocked over positions.
 *
 * A pointwise layer reads each input position as one contiguous row, so it needs no tap
 * offsets and no gathered windows: on the DSP extension the rows of `TP_BLOCK_POSITIONS`
 * positions are widened once into the scratch (`tp_widen_s8`) and every filter is multiplied
 * by them (`tp_conv_block_s8`), each weight word read and widened once for all of them and
 * each filter's output constants computed once for all of them. The early layers of a
 * MobileNet have few input channels, so the work per output is a short row and the output
 * stage weighs as much as the multiply-adds: it takes the short form of
 * `tp_channel_scale_s8.h`. The portable body takes two positions by two filters.
 */
#ifndef TP_POINTWISE_S8_H
#define TP_POINTWISE_S8_H

#include "tp_conv_s8.h"
#include "tp_channel_scale_s8.h"

/** Scratch of `tp_pointwise_conv2d_s8`, in bytes: the widened inputs of `TP_BLOCK_POSITIONS`
 *  positions (two int32 per position for every four inputs, the last group zero-filled; used
 *  on the DSP extension). */
static inline int32_t tp_pointwise_conv2d_s8_get_buffer_size(int32_t in_channels)
{
    return 2 * TP_BLOCK_POSITIONS * ((in_channels + 3) / 4) * (int32_t)sizeof(int32_t);
}

/** Output channels whose sums at two positions the portable body of `tp_pointwise_conv2d_s8`
 *  keeps on the stack before their output stage. */
#define TP_POINTWISE_CHANNELS 16

/**
 * Pointwise convolution: `p->window` a 1x1 window at stride 1 (`channels` the inputs of a
 * position), one group (`group_width` = `channels`).
 * @param weights `[out_channels, channels]`
 * @param output  `[output_h, output_w, out_channels]`; may overlap `input` as long as the outputs of
 *                each pair of positions (from the first) land only on earlier positions' inputs:
 *                the portable body writes a pair's outputs while it still reads the pair's inputs,
 *                the DSP body four positions' after it read them (the order the arena plan models)
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
    int32_t position;
#if defined(TP_USE_DSP)
    const int32_t groups = width >> 2, rest = width & 3;
    int8_t *out[TP_BLOCK_POSITIONS];
    int32_t k;
    for (position = 0; position < positions; position += TP_BLOCK_POSITIONS) {
        for (k = 0; k < TP_BLOCK_POSITIONS; ++k) {
            /* A short last block repeats its last position. */
            const int32_t row = position + k < positions ? position + k : positions - 1;
            const int8_t *const x = input + (size_t)row * (size_t)width;
            int32_t *const column = tp_widen_s8(x, 4 * groups, scratch + 2 * k);
            if (rest != 0) {
                /* The inputs after the last group of four, zero-filled to a group. */
                const uint32_t word = tp_conv_tail_s8x4(x + 4 * groups, rest);
                column[0] = __sxtb16(word);
                column[1] = tp_sxtb16_odd(word);
            }
            out[k] = output + (size_t)row * (size_t)channels;
        }
        tp_conv_block_s8(&q.output, fast, channels, width, weights, scratch, out);
    }
#else
    /* Channel `first + k`'s sums at the two positions in `sums[2k]` and `sums[2k + 1]`; two
     * more for an odd last channel, which pairs with itself. */
    int32_t sums[2 * TP_POINTWISE_CHANNELS + 2];
    int32_t first, c;
    (void)scratch;
    for (position = 0; position < positions; position += 2) {
        /* An odd last position pairs with itself. */
        const int32_t position1 = position + 1 < positions ? position + 1 : position;
        const int8_t *const x0 = input + (size_t)position * (size_t)width, *const x1 = input + (size_t)position1 * (size_t)width;
        int8_t *const y0 = output + (size_t)position * (size_t)channels, *const y1 = output + (size_t)position1 * (size_t)channels;
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
                tp_dot2_s8(w0, w1, x0, width, &s[0], &s[2]);
                tp_dot2_s8(w0, w1, x1, width, &s[1], &s[3]);
            }
            tp_channel_scale_s8_outputs2(&q.output, fast, first, count, sums, y0, y1);
        }
    }
#endif
}

#endif /* TP_POINTWISE_S8_H */
