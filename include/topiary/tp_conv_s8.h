/**
 * @file tp_conv_s8.h
 * @brief int8 convolutions (Conv1D/2D) and depthwise convolutions, any stride, dilation and
 *        padding, with dense weights (the sparse formats are in `tp_sparse_s8.h`, the
 *        depthwise kernel of depth multiplier 1 in `tp_depthwise_s8.h`).
 *
 * Each output channel's filter is one row over `(kernel_h, kernel_w, group_width)`: a sparse
 * vector whose entry `j` is tap `j / group_width`, channel `j % group_width` of the channel's
 * input group. A convolution has one group (`group_width` = input channels, `group_outputs` =
 * filters); a depthwise convolution has one per input channel (`group_width` 1,
 * `group_outputs` = depth multiplier). For every output position the kernel first computes
 * the input offset of each tap (`tap_offsets`, caller-owned scratch of `kernel_h * kernel_w`
 * int32), -1 for a tap in the padding; a padding tap reads the input zero point, which the
 * offline bias fold turns into no contribution at all. The dense kernel tests for padding
 * once per tap, so that its inner loop is a plain dot product over the tap's channels.
 */
#ifndef TP_CONV_S8_H
#define TP_CONV_S8_H

#include "tp_dense_s8.h"
#include "tp_window.h"

/** Parameters of the int8 convolution kernels. */
typedef struct {
    /** Input `[input_h, input_w, channels]` and the window over it. */
    tp_window window;
    int32_t out_channels;
    /** Input channels each output channel reads per tap. */
    int32_t group_width;
    /** Consecutive output channels that read the same input group. */
    int32_t group_outputs;
    int32_t input_zero_point;
    tp_channel_output_s8 output;
} tp_conv2d_s8_params;

/** Fills `tap_offsets` for output position `(oy, ox)`: `pixel * channels`, or -1 in the padding. */
static inline void tp_conv_tap_offsets(const tp_window *w, int32_t oy, int32_t ox, int32_t *tap_offsets)
{
    int32_t ky, kx;
    for (ky = 0; ky < w->kernel_h; ++ky) {
        for (kx = 0; kx < w->kernel_w; ++kx) {
            const int32_t pixel = tp_window_pixel(w, oy, ox, ky, kx);
            tap_offsets[ky * w->kernel_w + kx] = pixel < 0 ? -1 : pixel * w->channels;
        }
    }
}

/** Sum of a filter's weights over one padding tap times the input zero point: what the tap
 *  adds, cancelled by the bias fold. */
static inline int32_t tp_conv_padding_s8(const int8_t *row, int32_t group_width, int32_t zero_point)
{
    int32_t sum = 0, i;
    for (i = 0; i < group_width; ++i) sum += (int32_t)row[i];
    return sum * zero_point;
}

/** Taps from `t` on whose inputs follow one another in memory (the taps of a kernel row
 *  inside the image, at dilation 1): one dot product covers them all, which saves the set-up
 *  of a dot product per tap. `width` is the input channels of a one-group convolution. */
static inline int32_t tp_conv_run(const int32_t *tap_offsets, int32_t t, int32_t taps, int32_t width)
{
    const int32_t offset = tap_offsets[t];
    int32_t run = 1;
    if (offset < 0) return 1;
    while (t + run < taps && tap_offsets[t + run] == offset + run * width) ++run;
    return run;
}

/** One output position of a one-group convolution: output channels two at a time, so that
 *  each input word is read and widened once for two filters (`tp_dot2_s8`), over runs of
 *  contiguous taps. */
static inline void tp_conv_position_s8(const tp_conv2d_s8_params *q, int32_t taps, const int8_t *input, const int8_t *weights,
                                       const int32_t *tap_offsets, int8_t *out)
{
    const int32_t width = q->group_width, length = taps * width;
    int32_t c, t, run;
    for (c = 0; c + 2 <= q->out_channels; c += 2) {
        const int8_t *row0 = weights + (size_t)c * (size_t)length;
        const int8_t *row1 = row0 + length;
        int32_t acc0 = q->output.bias[c], acc1 = q->output.bias[c + 1];
        for (t = 0; t < taps; t += run, row0 += run * width, row1 += run * width) {
            const int32_t offset = tap_offsets[t];
            run = tp_conv_run(tap_offsets, t, taps, width);
            if (offset >= 0) {
                tp_dot2_s8(row0, row1, input + offset, run * width, &acc0, &acc1);
            } else {
                acc0 += tp_conv_padding_s8(row0, width, q->input_zero_point);
                acc1 += tp_conv_padding_s8(row1, width, q->input_zero_point);
            }
        }
        out[c] = tp_channel_output(&q->output, c, acc0);
        out[c + 1] = tp_channel_output(&q->output, c + 1, acc1);
    }
    if (c < q->out_channels) {
        const int8_t *row = weights + (size_t)c * (size_t)length;
        int32_t acc = q->output.bias[c];
        for (t = 0; t < taps; ++t, row += width) {
            const int32_t offset = tap_offsets[t];
            acc += offset >= 0 ? tp_dot_s8(row, input + offset, width) : tp_conv_padding_s8(row, width, q->input_zero_point);
        }
        out[c] = tp_channel_output(&q->output, c, acc);
    }
}

/** Largest filter (`kernel_h * kernel_w * group_width` values) gathered into a patch on the
 *  stack by `tp_conv_patch_position_s8`: the first layer of an image network (3x3x3 = 27). */
#define TP_CONV_PATCH_BYTES 64

/** One output position of a one-group convolution with a small filter and several taps:
 *  the taps' inputs (the zero point in the padding) gathered once into a contiguous patch,
 *  then one dot product per pair of output channels instead of one per tap and pair. Few
 *  input channels make short runs of taps, where setting up each dot product costs more
 *  than its multiply-adds. */
static inline void tp_conv_patch_position_s8(const tp_conv2d_s8_params *q, int32_t taps, const int8_t *input,
                                             const int8_t *weights, const int32_t *tap_offsets, int8_t *out)
{
    int8_t patch[TP_CONV_PATCH_BYTES];
    const int32_t width = q->group_width, length = taps * width;
    int32_t c, t, i;
    for (t = 0; t < taps; ++t) {
        const int32_t offset = tap_offsets[t];
        for (i = 0; i < width; ++i) patch[t * width + i] = offset >= 0 ? input[offset + i] : (int8_t)q->input_zero_point;
    }
    for (c = 0; c + 2 <= q->out_channels; c += 2) {
        const int8_t *row0 = weights + (size_t)c * (size_t)length;
        int32_t acc0 = q->output.bias[c], acc1 = q->output.bias[c + 1];
        tp_dot2_s8(row0, row0 + length, patch, length, &acc0, &acc1);
        out[c] = tp_channel_output(&q->output, c, acc0);
        out[c + 1] = tp_channel_output(&q->output, c + 1, acc1);
    }
    if (c < q->out_channels) {
        out[c] = tp_channel_output(&q->output, c, q->output.bias[c] + tp_dot_s8(weights + (size_t)c * (size_t)length, patch, length));
    }
}

#if defined(TP_USE_DSP)
/** The filter window of one output position (tap offsets in `tap_offsets`) widened into
 *  `columns` as position `slot` (0 or 1) of a pair: groups of four values through
 *  `tp_widen_s8`, the remainder as one int32 per value, padding taps as the input zero
 *  point. Taps of a multiple of four channels are widened straight from the input; others
 *  are gathered into `patch` first, so that groups of four may span taps. */
static inline void tp_conv_column_s8(const tp_conv2d_s8_params *q, int32_t taps, const int8_t *input,
                                     const int32_t *tap_offsets, int8_t *patch, int32_t *columns, int32_t slot)
{
    const int32_t width = q->group_width, length = taps * width, groups = length >> 2;
    int32_t *column = columns + 2 * slot;
    int32_t t, i;
    if ((width & 3) == 0) {
        const int32_t padding = (int32_t)((uint32_t)(q->input_zero_point & 0xFFFF) * 0x10001u);
        for (t = 0; t < taps; ++t) {
            const int32_t offset = tap_offsets[t];
            if (offset >= 0) {
                column = tp_widen_s8(input + offset, width, column);
            } else {
                for (i = 0; i < width; i += 4, column += 4) {
                    column[0] = padding;
                    column[1] = padding;
                }
            }
        }
        return;
    }
    for (t = 0; t < taps; ++t) {
        const int32_t offset = tap_offsets[t];
        for (i = 0; i < width; ++i) patch[t * width + i] = offset >= 0 ? input[offset + i] : (int8_t)q->input_zero_point;
    }
    tp_widen_s8(patch, 4 * groups, column);
    for (i = 4 * groups; i < length; ++i) columns[4 * groups + 2 * (i - 4 * groups) + slot] = (int32_t)patch[i];
}

/** Two output positions of a one-group convolution from their widened columns: output
 *  channels two at a time through `tp_block2x2_s8`, so that each weight is read and widened
 *  once per two positions; each channel's multiplier and shift are looked up once for both. `out1`
 *  may equal `out0` (an odd last position, computed twice). */
static inline void tp_conv_pair_s8(const tp_conv2d_s8_params *q, int32_t length, const int8_t *weights, const int32_t *columns,
                                   int8_t *out0, int8_t *out1)
{
    const int32_t groups = length >> 2, rest = length & 3;
    const int32_t *tail = columns + 4 * groups;
    int32_t c, i;
    for (c = 0; c < q->out_channels; c += 2) {
        /* An odd last channel pairs with itself. */
        const int32_t c1 = c + 1 < q->out_channels ? c + 1 : c;
        const int8_t *w0 = weights + (size_t)c * (size_t)length, *w1 = weights + (size_t)c1 * (size_t)length;
        int32_t sums[4];
        sums[0] = sums[1] = q->output.bias[c];
        sums[2] = sums[3] = q->output.bias[c1];
        tp_block2x2_s8(w0, w1, columns, groups, sums);
        for (i = 0; i < rest; ++i) {
            const int32_t a = tail[2 * i], b = tail[2 * i + 1];
            const int32_t x0 = w0[4 * groups + i], x1 = w1[4 * groups + i];
            sums[0] += x0 * a;
            sums[1] += x0 * b;
            sums[2] += x1 * a;
            sums[3] += x1 * b;
        }
        tp_channel_output2(&q->output, c, sums[0], sums[1], out0 + c, out1 + c);
        tp_channel_output2(&q->output, c1, sums[2], sums[3], out0 + c1, out1 + c1);
    }
}

/** A one-group convolution as a blocked product: output positions two at a time, their
 *  windows widened into the scratch after the tap offsets (see `tp_conv2d_s8`), then
 *  `tp_conv_pair_s8`. */
static inline void tp_conv2d_blocked_s8(const tp_conv2d_s8_params *q, const int8_t *input, const int8_t *weights,
                                        int32_t *tap_offsets, int8_t *output)
{
    const tp_window *w = &q->window;
    const int32_t taps = w->kernel_h * w->kernel_w, length = taps * q->group_width;
    const int32_t positions = w->output_h * w->output_w;
    int32_t *columns = tap_offsets + taps;
    int8_t *patch = (int8_t *)(columns + 4 * (length >> 2) + 2 * (length & 3));
    int32_t p;
    for (p = 0; p < positions; p += 2) {
        const int32_t p1 = p + 1 < positions ? p + 1 : p;
        tp_conv_tap_offsets(w, p / w->output_w, p % w->output_w, tap_offsets);
        tp_conv_column_s8(q, taps, input, tap_offsets, patch, columns, 0);
        tp_conv_tap_offsets(w, p1 / w->output_w, p1 % w->output_w, tap_offsets);
        tp_conv_column_s8(q, taps, input, tap_offsets, patch, columns, 1);
        tp_conv_pair_s8(q, length, weights, columns, output + (size_t)p * (size_t)q->out_channels,
                        output + (size_t)p1 * (size_t)q->out_channels);
    }
}
#endif

/**
 * Dense filters. A convolution of one group (every Conv2D of the usual networks) takes the
 * loops above, the blocked product `tp_conv2d_blocked_s8` on the DSP extension; grouped
 * convolutions and depth multipliers over 1 take the general one (a depthwise convolution
 * of multiplier 1 has its own kernel, `tp_depthwise_conv2d_s8` in `tp_depthwise_s8.h`).
 * @param input       `[input_h, input_w, channels]`
 * @param weights     `[out_channels, kernel_h * kernel_w * group_width]`
 * @param tap_offsets scratch, `kernel_h * kernel_w` int32; for a one-group convolution
 *                    followed by the widened columns of `tp_conv2d_blocked_s8`: with
 *                    `length = kernel_h * kernel_w * group_width`, `4 * (length / 4) +
 *                    2 * (length % 4)` int32, and `length` bytes more when `group_width`
 *                    is not a multiple of 4
 * @param output      `[output_h, output_w, out_channels]`; must not overlap `input`
 */
static inline void tp_conv2d_s8(const tp_conv2d_s8_params *p, const int8_t *input, const int8_t *weights,
                                int32_t *tap_offsets, int8_t *output)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_conv2d_s8_params q = *p;
    const tp_window *w = &q.window;
    const int32_t taps = w->kernel_h * w->kernel_w;
    const int32_t length = taps * q.group_width;
    const int one_group = q.group_outputs == q.out_channels;
    const int patch = one_group && taps > 1 && length <= TP_CONV_PATCH_BYTES;
    int32_t oy, ox, c, t;
#if defined(TP_USE_DSP)
    if (one_group) {
        tp_conv2d_blocked_s8(&q, input, weights, tap_offsets, output);
        return;
    }
#endif
    for (oy = 0; oy < w->output_h; ++oy) {
        for (ox = 0; ox < w->output_w; ++ox) {
            int8_t *out = output + (size_t)(oy * w->output_w + ox) * (size_t)q.out_channels;
            tp_conv_tap_offsets(w, oy, ox, tap_offsets);
            if (patch) {
                tp_conv_patch_position_s8(&q, taps, input, weights, tap_offsets, out);
                continue;
            }
            if (one_group) {
                tp_conv_position_s8(&q, taps, input, weights, tap_offsets, out);
                continue;
            }
            for (c = 0; c < q.out_channels; ++c) {
                const int8_t *row = weights + (size_t)c * (size_t)length;
                const int8_t *group = input + (c / q.group_outputs) * q.group_width;
                int32_t acc = q.output.bias[c];
                for (t = 0; t < taps; ++t, row += q.group_width) {
                    const int32_t offset = tap_offsets[t];
                    acc += offset >= 0 ? tp_dot_s8(row, group + offset, q.group_width)
                                       : tp_conv_padding_s8(row, q.group_width, q.input_zero_point);
                }
                out[c] = tp_channel_output(&q.output, c, acc);
            }
        }
    }
}

#endif /* TP_CONV_S8_H */
