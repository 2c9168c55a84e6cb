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

#include "tp_channel_scale_s8.h"
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
    for (; groups > 0; --groups, column += 2 * TP_BLOCK_POSITIONS) {
        column[0] = padding;
        column[1] = padding;
    }
    return column;
}

/** A window whose taps' channels are not a multiple of four, all inside the image at
 *  dilation 1 along its rows, widened into `column`: its `rows` rows of `n` bytes (`stride`
 *  bytes apart from `row`) gathered into `patch` by whole words, each row's last word
 *  running on into the input (the caller makes sure it stays inside) and overwritten by the
 *  next row, the last group zero-filled, then widened. The common case of the first layer of
 *  an image network, kept apart from `tp_conv_column_s8`'s general loops (a 3x3 filter over
 *  three channels has `tp_conv_rows_3x9_s8`, which needs no copy). */
TP_LOOP_FUNCTION void tp_conv_rows_s8(const int8_t *row, int32_t stride, int32_t rows, int32_t n, int32_t length, int8_t *patch,
                                      int32_t *column)
{
    const int32_t words = (n + 3) >> 2;
    int8_t *p = patch;
    int32_t r, i;
    for (r = rows; r > 0; --r, row += stride, p += n) {
        for (i = 0; i < words; ++i) memcpy(p + 4 * i, row + 4 * i, 4);
    }
    for (i = length; (i & 3) != 0; ++i) patch[i] = 0;
    tp_widen_s8(patch, (length + 3) & ~(int32_t)3, column);
}

/** `tp_conv_rows_s8` for the window of a 3x3 filter over three channels (three rows of nine
 *  bytes, `stride` bytes apart from `row`), the first layer of most image networks: each
 *  group of four values read from the rows as one word, or two joined where a group spans
 *  two rows, and widened, without a gathered copy. Reads no byte outside the window. */
TP_LOOP_FUNCTION void tp_conv_rows_3x9_s8(const int8_t *row, int32_t stride, int32_t *column)
{
    const int8_t *const b = row + stride, *const c = b + stride;
    const uint32_t words[7] = {
        tp_read_s8x4(row),
        tp_read_s8x4(row + 4),
        (uint32_t)(uint8_t)row[8] | tp_read_s8x4(b) << 8,
        tp_read_s8x4(b + 3),
        (uint32_t)(uint8_t)b[7] | (uint32_t)(uint8_t)b[8] << 8 | tp_read_s8x4(c) << 16,
        tp_read_s8x4(c + 2),
        tp_read_s8x4(c + 5) >> 8,
    };
    int32_t k;
    for (k = 0; k < 7; ++k) column = tp_store_pair(column, __sxtb16(words[k]), tp_sxtb16_odd(words[k]));
}

/** The filter window of output position `(oy, ox)` widened into `column` (one position's
 *  slot of a block, see `tp_widen_s8`), padding taps as the input zero point. When a tap's
 *  channels are a multiple of four they are widened straight from the input, a kernel row
 *  inside the image (at dilation 1) in one run; otherwise the window is gathered into
 *  `patch` first, zero-filled to a multiple of four values, so that groups of four may span
 *  taps (the filters' last values meet those zeros, `tp_conv_block_s8`). Called once per
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

/** `acc` plus the products of the widened weight pairs `even`, `odd` with one position's
 *  group of a widened column, the words `offset` and `offset + 1` from `column` (`offset` a
 *  constant). GCC reads the two words with two `LDR`, so for GCC the one `LDRD` is written
 *  out. */
TP_LOOP_BODY int32_t tp_conv_group_s8(int32_t even, int32_t odd, const int32_t *column, int32_t offset, int32_t acc)
{
#if defined(__GNUC__) && !defined(__clang__)
    int32_t a, b;
    __asm__("ldrd %0, %1, [%2, %3]"
            : "=&r"(a), "=&r"(b)
            : "r"(column), "i"(4 * offset), "m"(column[offset]), "m"(column[offset + 1]));
    return __smlad(odd, b, __smlad(even, a, acc));
#else
    return __smlad(odd, column[offset + 1], __smlad(even, column[offset], acc));
#endif
}

/** The outputs of channel `c` at the four positions of a block from its sums through
 *  `tp_channel_output`, position `k`'s into `out[k]`: the rare channels the short output
 *  stage does not take, out of the block's loop so that its registers stay with the
 *  multiply-adds. */
TP_LOOP_FUNCTION void tp_conv_block_outputs_s8(const tp_channel_output_s8 *o, int32_t c, const int32_t *sums, int8_t *const *out)
{
    int32_t k;
    for (k = 0; k < TP_BLOCK_POSITIONS; ++k) out[k][c] = tp_channel_output(o, c, sums[k]);
}

/** Every output channel at the `TP_BLOCK_POSITIONS` positions whose windows (`length` values
 *  each) are widened side by side in `columns` (see `tp_widen_s8`). Position `k`'s outputs go
 *  to `out[k]`; two may be equal (the repeated last position of a short last block). Each
 *  weight word is read and widened once for the four positions (33 instructions per 32
 *  multiply-adds, the loop's operands all in registers), and each filter's four sums go
 *  straight from the registers to the output stage: the short form of `tp_channel_scale_s8.h`
 *  when `fast` (`tp_channel_scale_s8_applies`) with the zero point folded into the rounding
 *  word (`tp_channel_scale_s8_folded`), else `tp_conv_block_outputs_s8`. */
TP_LOOP_FUNCTION void tp_conv_block_s8(const tp_channel_output_s8 *o, int fast, int32_t channels, int32_t length,
                                       const int8_t *weights, const int32_t *columns, int8_t *const *out)
{
    const int32_t groups = length >> 2, rest = length & 3;
    const int32_t *const tail = columns + 2 * TP_BLOCK_POSITIONS * groups;
    const int32_t *const pairs_end = columns + 4 * TP_BLOCK_POSITIONS * (groups >> 1);
    /* Where the pairs of groups end when the filters have nothing after them. */
    const int32_t *const last = (groups & 1) != 0 || rest != 0 ? NULL : pairs_end;
    const int32_t multiplier_step = o->multiplier_step, shift_step = o->shift_step;
    const uint32_t zero_point_word = tp_channel_scale_s8_zero_point_word(o->output_zero_point);
    /* Channels of exponent 1 up to this take the folded output stage (one unsigned comparison); none when not `fast`. */
    const uint32_t folded_exponent = fast ? TP_CHANNEL_SCALE_S8_FOLDED_EXPONENT : 0;
    const int32_t *multiplier = o->multiplier, *bias = o->bias;
    const int8_t *shift = o->shift, *w = weights;
    int8_t *y = out[0];
    int8_t *const end = y + channels;
    const int32_t step1 = (int32_t)(out[1] - y), step2 = (int32_t)(out[2] - y), step3 = (int32_t)(out[3] - y);
    for (; y != end; ++y, multiplier += multiplier_step, shift += shift_step) {
        const int32_t *column = columns;
        int32_t s0 = *bias++, s1 = s0, s2 = s0, s3 = s0, exponent;
        /* Two groups per iteration, which halves the loop's own instructions. */
        while (column != pairs_end) {
            const uint32_t u = tp_read_s8x4(w), v = tp_read_s8x4(w + 4);
            int32_t even = __sxtb16(u), odd = tp_sxtb16_odd(u);
            s0 = tp_conv_group_s8(even, odd, column, 0, s0);
            s1 = tp_conv_group_s8(even, odd, column, 2, s1);
            s2 = tp_conv_group_s8(even, odd, column, 4, s2);
            s3 = tp_conv_group_s8(even, odd, column, 6, s3);
            even = __sxtb16(v);
            odd = tp_sxtb16_odd(v);
            s0 = tp_conv_group_s8(even, odd, column, 8, s0);
            s1 = tp_conv_group_s8(even, odd, column, 10, s1);
            s2 = tp_conv_group_s8(even, odd, column, 12, s2);
            s3 = tp_conv_group_s8(even, odd, column, 14, s3);
            w += 8;
            column += 4 * TP_BLOCK_POSITIONS;
        }
        if (column != last) {
            /* An odd last group, then the filter's last values, which meet the zero-filled
             * last group; one test per filter when there are neither (a pointwise layer). */
            if ((groups & 1) != 0) {
                const uint32_t u = tp_read_s8x4(w);
                const int32_t even = __sxtb16(u), odd = tp_sxtb16_odd(u);
                w += 4;
                s0 = tp_conv_group_s8(even, odd, column, 0, s0);
                s1 = tp_conv_group_s8(even, odd, column, 2, s1);
                s2 = tp_conv_group_s8(even, odd, column, 4, s2);
                s3 = tp_conv_group_s8(even, odd, column, 6, s3);
            }
            if (rest != 0) {
                const uint32_t u = tp_conv_tail_s8x4(w, rest);
                const int32_t even = __sxtb16(u), odd = tp_sxtb16_odd(u);
                w += rest;
                s0 = tp_conv_group_s8(even, odd, tail, 0, s0);
                s1 = tp_conv_group_s8(even, odd, tail, 2, s1);
                s2 = tp_conv_group_s8(even, odd, tail, 4, s2);
                s3 = tp_conv_group_s8(even, odd, tail, 6, s3);
            }
        }
        exponent = ~(int32_t)*shift;
        if ((uint32_t)exponent - 1u < folded_exponent) {
            const tp_channel_scale_s8 scale = tp_channel_scale_s8_folded(*multiplier, exponent, zero_point_word);
            y[0] = (int8_t)tp_channel_scaled_s8(s0, scale.multiplier, scale.exponent, scale.rounding, 0);
            y[step1] = (int8_t)tp_channel_scaled_s8(s1, scale.multiplier, scale.exponent, scale.rounding, 0);
            y[step2] = (int8_t)tp_channel_scaled_s8(s2, scale.multiplier, scale.exponent, scale.rounding, 0);
            y[step3] = (int8_t)tp_channel_scaled_s8(s3, scale.multiplier, scale.exponent, scale.rounding, 0);
        } else {
            const int32_t sums[TP_BLOCK_POSITIONS] = {s0, s1, s2, s3};
            tp_conv_block_outputs_s8(o, (int32_t)(y - out[0]), sums, out);
        }
    }
}

/* The gatherers of a window inside the image whose taps' channels are not a multiple of four
 * (`tp_conv_rows_3x9_s8` for three rows of nine bytes, `tp_conv_rows_s8` for any other) are
 * built only for a model that defines `TP_CONV_S8_ROWS_3X9` or `TP_CONV_S8_ROWS` before the
 * includes: the generator defines each when one of the model's convolutions has such windows,
 * so that a model carries only the gatherers its layers use. Without them these windows take
 * `tp_conv_column_s8`, more slowly and with the same results. */
#if defined(TP_CONV_S8_ROWS_3X9)
#define TP_CONV_S8_GATHERS_3X9 1
#else
#define TP_CONV_S8_GATHERS_3X9 0
#endif
#if defined(TP_CONV_S8_ROWS)
#define TP_CONV_S8_GATHERS_ROWS 1
#else
#define TP_CONV_S8_GATHERS_ROWS 0
#endif

/** A one-group convolution as a blocked product: output positions `TP_BLOCK_POSITIONS` at a
 *  time (a short last block repeats its last position), their windows widened into the
 *  scratch (see `tp_conv2d_s8_get_buffer_size`), then `tp_conv_block_s8`. */
static inline void tp_conv2d_blocked_s8(const tp_conv2d_s8_params *parameters, const int8_t *input, const int8_t *weights,
                                        int32_t *scratch, int8_t *output)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_conv2d_s8_params params = *parameters, *const q = &params;
    const tp_window *w = &q->window;
    const int32_t length = w->kernel_h * w->kernel_w * q->group_width, groups = (length + 3) >> 2;
    const int32_t positions = w->output_h * w->output_w, channels = q->out_channels;
    const int fast = tp_channel_scale_s8_applies(&q->output, channels);
    int8_t *patch = (int8_t *)(scratch + 2 * TP_BLOCK_POSITIONS * groups);
    int8_t *out[TP_BLOCK_POSITIONS];
    int32_t p, k;
    /* Windows inside the image whose rows `tp_conv_rows_s8` may copy by whole words: the last
     * row's last word must end inside the input. */
    const int32_t width = q->group_width, n = w->kernel_w * width, stride = w->input_w * width;
    const int32_t rows = (TP_CONV_S8_GATHERS_3X9 || TP_CONV_S8_GATHERS_ROWS) && (width & 3) != 0 && w->dilation_w == 1;
    const int32_t last_row = (w->kernel_h - 1) * w->dilation_h;
    const int32_t input_size = w->input_h * stride;
    for (p = 0; p < positions; p += TP_BLOCK_POSITIONS) {
        for (k = 0; k < TP_BLOCK_POSITIONS; ++k) {
            const int32_t position = p + k < positions ? p + k : positions - 1;
            const int32_t oy = position / w->output_w, ox = position - oy * w->output_w;
            const int32_t y0 = oy * w->stride_h - w->pad_top, x0 = ox * w->stride_w - w->pad_left;
            const int32_t start = y0 * stride + x0 * width;
            const int gathered = rows && y0 >= 0 && y0 + last_row < w->input_h && x0 >= 0 && x0 + w->kernel_w <= w->input_w &&
                                 start + last_row * stride + 4 * ((n + 3) >> 2) <= input_size;
            if (TP_CONV_S8_GATHERS_3X9 && gathered && n == 9 && w->kernel_h == 3) {
                tp_conv_rows_3x9_s8(input + start, w->dilation_h * stride, scratch + 2 * k);
            } else if (TP_CONV_S8_GATHERS_ROWS && gathered) {
                tp_conv_rows_s8(input + start, w->dilation_h * stride, w->kernel_h, n, length, patch, scratch + 2 * k);
            } else {
                tp_conv_column_s8(q, input, oy, ox, patch, scratch + 2 * k);
            }
            out[k] = output + (size_t)position * (size_t)channels;
        }
        tp_conv_block_s8(&q->output, fast, channels, length, weights, scratch, out);
    }
}
#endif

/** Scratch of `tp_conv2d_s8` and `tp_grouped_conv2d_s8`, in bytes: the tap offsets of one position (`kernel_h *
 *  kernel_w` int32) for the portable loops, and for a one-group convolution the
 *  `TP_BLOCK_POSITIONS` widened windows of the DSP body's blocked product (`8 * ceil(length /
 *  4)` int32 with `length = kernel_h * kernel_w * group_width`), with room to gather one
 *  window's bytes, zero-filled to a multiple of four, and a word more (the rows are copied by
 *  whole words), when a tap's channels are not a multiple of four; the two bodies share
 *  it, so it is the larger of the two. */
static inline int32_t tp_conv2d_s8_get_buffer_size(const tp_conv2d_s8_params *q)
{
    const tp_window *w = &q->window;
    const int32_t taps = w->kernel_h * w->kernel_w, groups = (taps * q->group_width + 3) / 4;
    const int32_t offsets = taps * (int32_t)sizeof(int32_t);
    const int32_t blocked = 2 * TP_BLOCK_POSITIONS * groups * (int32_t)sizeof(int32_t) + ((q->group_width & 3) != 0 ? 4 * groups + 4 : 0);
    if (q->group_outputs != q->out_channels) return offsets;
    return blocked > offsets ? blocked : offsets;
}

/**
 * Dense filters of any number of groups, through the portable loops: one group (`group_outputs`
 * = `out_channels`) by the loops above, several (a grouped convolution, or a depthwise one of
 * depth multiplier over 1) by each output channel's dot products over its group's channels,
 * tap by tap. The kernel of grouped convolutions, and of every convolution on cores without
 * the DSP extension (`tp_conv2d_s8`). Same parameters as `tp_conv2d_s8`; the scratch holds
 * one position's tap offsets (`tp_conv2d_s8_get_buffer_size`).
 */
static inline void tp_grouped_conv2d_s8(const tp_conv2d_s8_params *p, const int8_t *input, const int8_t *weights, int8_t *output,
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

/**
 * Dense filters of one group (`group_outputs` = `out_channels`: every Conv2D of the usual
 * networks): the blocked product `tp_conv2d_blocked_s8` on the DSP extension, else the
 * portable loops of `tp_grouped_conv2d_s8`. Grouped convolutions and depth multipliers over 1
 * take `tp_grouped_conv2d_s8` (a depthwise convolution of multiplier 1 has its own kernel,
 * `tp_depthwise_conv2d_s8` in `tp_depthwise_s8.h`), so that on the DSP extension a model
 * without them carries no portable loops.
 * @param input       `[input_h, input_w, channels]`
 * @param weights     `[out_channels, kernel_h * kernel_w * group_width]`
 * @param output      `[output_h, output_w, out_channels]`; must not overlap `input`
 * @param scratch     `tp_conv2d_s8_get_buffer_size` bytes
 */
static inline void tp_conv2d_s8(const tp_conv2d_s8_params *p, const int8_t *input, const int8_t *weights, int8_t *output,
                                int32_t *scratch)
{
#if defined(TP_USE_DSP)
    tp_conv2d_blocked_s8(p, input, weights, scratch, output);
#else
    tp_grouped_conv2d_s8(p, input, weights, output, scratch);
#endif
}

#endif /* TP_CONV_S8_H */
