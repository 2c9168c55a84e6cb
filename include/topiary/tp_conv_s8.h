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
/** The input zero point as a widened pair, what a padding tap's values widen to. */
static inline int32_t tp_conv_padding_pair(int32_t zero_point)
{
    return (int32_t)((uint32_t)(zero_point & 0xFFFF) * 0x10001u);
}

/** `groups` groups of four padding values of a widened column (see `tp_widen_s8`). */
static inline int32_t *tp_conv_pad_column(int32_t *column, int32_t groups, int32_t padding)
{
    for (; groups > 0; --groups, column += 4) {
        column[0] = padding;
        column[1] = padding;
    }
    return column;
}

/** The filter window of output position `(oy, ox)` widened into `column` (one position's
 *  slot of a pair, see `tp_widen_s8`), padding taps as the input zero point. When a tap's
 *  channels are a multiple of four they are widened straight from the input, a kernel row
 *  inside the image (at dilation 1) in one run; otherwise the window is gathered into
 *  `patch` first, zero-filled to a multiple of four values, so that groups of four may span
 *  taps (the filters' last values meet those zeros, `tp_conv_pair_s8`). Called once per
 *  position rather than inlined: its loops then keep their operands in registers. */
TP_LOOP_FUNCTION void tp_conv_column_s8(const tp_conv2d_s8_params *q, const int8_t *input, int32_t oy, int32_t ox, int8_t *patch,
                                        int32_t *column)
{
    const tp_window *w = &q->window;
    const int32_t width = q->group_width, zero_point = q->input_zero_point;
    const int32_t y0 = oy * w->stride_h - w->pad_top, x0 = ox * w->stride_w - w->pad_left;
    const int32_t row_inside = w->dilation_w == 1 && x0 >= 0 && x0 + w->kernel_w <= w->input_w;
    int32_t ky, kx, i;
    if ((width & 3) == 0) {
        const int32_t padding = tp_conv_padding_pair(zero_point), tap_groups = width >> 2;
        for (ky = 0; ky < w->kernel_h; ++ky) {
            const int32_t y = y0 + ky * w->dilation_h;
            if (y < 0 || y >= w->input_h) {
                column = tp_conv_pad_column(column, w->kernel_w * tap_groups, padding);
            } else if (row_inside) {
                column = tp_widen_s8(input + (size_t)(y * w->input_w + x0) * (size_t)width, w->kernel_w * width, column);
            } else {
                for (kx = 0; kx < w->kernel_w; ++kx) {
                    const int32_t x = x0 + kx * w->dilation_w;
                    column = x < 0 || x >= w->input_w ? tp_conv_pad_column(column, tap_groups, padding)
                                                      : tp_widen_s8(input + (size_t)(y * w->input_w + x) * (size_t)width, width, column);
                }
            }
        }
        return;
    }
    {
        int8_t *p = patch;
        const int32_t length = w->kernel_h * w->kernel_w * width;
        for (ky = 0; ky < w->kernel_h; ++ky) {
            const int32_t y = y0 + ky * w->dilation_h;
            if (row_inside && y >= 0 && y < w->input_h) {
                const int8_t *row = input + (size_t)(y * w->input_w + x0) * (size_t)width;
                const int32_t n = w->kernel_w * width;
                /* By words (the DSP cores read and write them at any alignment), then bytes. */
                for (i = 0; i + 4 <= n; i += 4) memcpy(p + i, row + i, 4);
                for (; i < n; ++i) p[i] = row[i];
                p += w->kernel_w * width;
                continue;
            }
            for (kx = 0; kx < w->kernel_w; ++kx, p += width) {
                const int32_t x = x0 + kx * w->dilation_w;
                const int8_t *tap = input + (size_t)(y * w->input_w + x) * (size_t)width;
                const int inside = y >= 0 && y < w->input_h && x >= 0 && x < w->input_w;
                for (i = 0; i < width; ++i) p[i] = inside ? tap[i] : (int8_t)zero_point;
            }
        }
        for (i = length; (i & 3) != 0; ++i) patch[i] = 0;
        tp_widen_s8(patch, (length + 3) & ~(int32_t)3, column);
    }
}

/** The last `rest` (1 to 3) weights of a filter as a word, zero-filled: they meet the
 *  column's zero-filled last group. */
static inline uint32_t tp_conv_tail_s8x4(const int8_t *w, int32_t rest)
{
    uint32_t word = (uint8_t)w[0];
    if (rest > 1) word |= (uint32_t)(uint8_t)w[1] << 8;
    if (rest > 2) word |= (uint32_t)(uint8_t)w[2] << 16;
    return word;
}

/** Output channels whose sums `tp_conv_pair_s8` holds at a time (on the stack, two per
 *  channel) before requantizing them. */
#define TP_CONV_PAIR_CHANNELS 32

/** Channels `start..end)` of two positions from their sums (`sums[2 * (c - start)]` the first
 *  position's, the next the second's), requantized into `out0[c]` and `out1[c]`. A loop of its
 *  own: with nothing else live it keeps the output stage in registers. */
TP_LOOP_FUNCTION void tp_conv_requantize_pair_s8(const tp_channel_output_s8 *output, int32_t start, int32_t end, const int32_t *sums,
                                                 int8_t *out0, int8_t *out1)
{
    /* A local copy: the int8 output stores could alias the output stage, which would force
     * its fields to be reloaded for every output. */
    const tp_channel_output_s8 stage = *output;
    int32_t c;
    for (c = start; c < end; ++c, sums += 2) {
        tp_channel_output2(&stage, c, sums[0], sums[1], out0 + c, out1 + c);
    }
}

/** Two output positions of a one-group convolution from their widened columns: output
 *  channels two at a time through `tp_block2x2_s8`, so that each weight is read and widened
 *  once per two positions, their sums gathered for up to `TP_CONV_PAIR_CHANNELS` channels and
 *  then requantized by `tp_conv_requantize_pair_s8`, each channel's multiplier and shift looked
 *  up once for both positions. Two loops rather than one: a short filter (a 1x1 convolution's
 *  is its input channels) spent more on the output stage's spilled registers than on its
 *  multiply-adds. `out1` may equal `out0` (an odd last position, computed twice). */
TP_LOOP_FUNCTION void tp_conv_pair_s8(const tp_channel_output_s8 *output, int32_t channels, int32_t length, const int8_t *weights,
                                      const int32_t *columns, int8_t *out0, int8_t *out1)
{
    const int32_t groups = length >> 2, rest = length & 3;
    const int32_t *tail = columns + 4 * groups;
    const int32_t *const bias = output->bias;
    int32_t sums[2 * TP_CONV_PAIR_CHANNELS];
    int32_t start, c;
    for (start = 0; start < channels; start += TP_CONV_PAIR_CHANNELS) {
        const int32_t end = channels - start > TP_CONV_PAIR_CHANNELS ? start + TP_CONV_PAIR_CHANNELS : channels;
        for (c = start; c < end; c += 2) {
            /* An odd last channel pairs with itself; its partner's sums fall in the slot of
             * the channel after it, which is not requantized. */
            const int32_t c1 = c + 1 < channels ? c + 1 : c;
            const int8_t *w0 = weights + (size_t)c * (size_t)length, *w1 = weights + (size_t)c1 * (size_t)length;
            int32_t *s = sums + 2 * (c - start);
            s[0] = s[1] = bias[c];
            s[2] = s[3] = bias[c1];
            tp_block2x2_s8(w0, w1, columns, groups, s);
            if (rest != 0) {
                const int32_t u = __sxtb16(tp_conv_tail_s8x4(w0 + 4 * groups, rest));
                const int32_t v = __sxtb16(tp_conv_tail_s8x4(w1 + 4 * groups, rest));
                const int32_t u_odd = tp_sxtb16_odd(tp_conv_tail_s8x4(w0 + 4 * groups, rest));
                const int32_t v_odd = tp_sxtb16_odd(tp_conv_tail_s8x4(w1 + 4 * groups, rest));
                s[0] = __smlad(u_odd, tail[1], __smlad(u, tail[0], s[0]));
                s[1] = __smlad(u_odd, tail[3], __smlad(u, tail[2], s[1]));
                s[2] = __smlad(v_odd, tail[1], __smlad(v, tail[0], s[2]));
                s[3] = __smlad(v_odd, tail[3], __smlad(v, tail[2], s[3]));
            }
        }
        tp_conv_requantize_pair_s8(output, start, end, sums, out0, out1);
    }
}

/** A one-group convolution as a blocked product: output positions two at a time, their
 *  windows widened into the scratch (see `tp_conv2d_s8_get_buffer_size`), then
 *  `tp_conv_pair_s8`. */
static inline void tp_conv2d_blocked_s8(const tp_conv2d_s8_params *q, const int8_t *input, const int8_t *weights, int32_t *scratch,
                                        int8_t *output)
{
    const tp_window *w = &q->window;
    const int32_t length = w->kernel_h * w->kernel_w * q->group_width, groups = (length + 3) >> 2;
    const int32_t positions = w->output_h * w->output_w, channels = q->out_channels;
    int8_t *patch = (int8_t *)(scratch + 4 * groups);
    int32_t p;
    for (p = 0; p < positions; p += 2) {
        const int32_t p1 = p + 1 < positions ? p + 1 : p;
        tp_conv_column_s8(q, input, p / w->output_w, p % w->output_w, patch, scratch);
        tp_conv_column_s8(q, input, p1 / w->output_w, p1 % w->output_w, patch, scratch + 2);
        tp_conv_pair_s8(&q->output, channels, length, weights, scratch, output + (size_t)p * (size_t)channels,
                        output + (size_t)p1 * (size_t)channels);
    }
}
#endif

/** Scratch of `tp_conv2d_s8`, in bytes: the tap offsets of one position (`kernel_h *
 *  kernel_w` int32) for the portable loops, and for a one-group convolution the two widened
 *  windows of the DSP body's blocked product (`4 * ceil(length / 4)` int32 with `length =
 *  kernel_h * kernel_w * group_width`), with room to gather one window's bytes, zero-filled to
 *  a multiple of four, when a tap's channels are not a multiple of four; the two bodies share
 *  it, so it is the larger of the two. */
static inline int32_t tp_conv2d_s8_get_buffer_size(const tp_conv2d_s8_params *q)
{
    const tp_window *w = &q->window;
    const int32_t taps = w->kernel_h * w->kernel_w, groups = (taps * q->group_width + 3) / 4;
    const int32_t offsets = taps * (int32_t)sizeof(int32_t);
    const int32_t blocked = 4 * groups * (int32_t)sizeof(int32_t) + ((q->group_width & 3) != 0 ? 4 * groups : 0);
    if (q->group_outputs != q->out_channels) return offsets;
    return blocked > offsets ? blocked : offsets;
}

/**
 * Dense filters. A convolution of one group (every Conv2D of the usual networks) takes the
 * loops above, the blocked product `tp_conv2d_blocked_s8` on the DSP extension; grouped
 * convolutions and depth multipliers over 1 take the general one (a depthwise convolution
 * of multiplier 1 has its own kernel, `tp_depthwise_conv2d_s8` in `tp_depthwise_s8.h`).
 * @param input       `[input_h, input_w, channels]`
 * @param weights     `[out_channels, kernel_h * kernel_w * group_width]`
 * @param output      `[output_h, output_w, out_channels]`; must not overlap `input`
 * @param scratch     `tp_conv2d_s8_get_buffer_size` bytes
 */
static inline void tp_conv2d_s8(const tp_conv2d_s8_params *p, const int8_t *input, const int8_t *weights, int8_t *output,
                                int32_t *scratch)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_conv2d_s8_params q = *p;
    const tp_window *w = &q.window;
    const int32_t taps = w->kernel_h * w->kernel_w;
    const int32_t length = taps * q.group_width;
    const int one_group = q.group_outputs == q.out_channels;
    const int patch = one_group && taps > 1 && length <= TP_CONV_PATCH_BYTES;
    int32_t *const tap_offsets = scratch;
    int32_t oy, ox, c, t;
#if defined(TP_USE_DSP)
    if (one_group) {
        tp_conv2d_blocked_s8(&q, input, weights, scratch, output);
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
