/**
 * @file tp_depthwise_sparse_s8.h
 * @brief int8 depthwise convolution of depth multiplier 1 whose filters are stored as CSR
 *        rows (a row per channel, an entry per nonzero tap), in time that falls with the
 *        nonzero taps.
 *
 * A pruned depthwise layer keeps a tap or two of each channel's nine (most channels of a
 * keyword-spotting network at 90% sparsity, half the channels none at all), yet the dense
 * kernels multiply every tap of every window. Here the loop runs channel by channel: a
 * channel's bias, output scale and its few taps (weight and input offset) are held in
 * registers while the loop walks every output position, a stride of `channels` bytes apart,
 * so that a position costs its taps' multiply-adds, the output stage and the store. A channel
 * without taps writes its one constant output (its requantized bias) to every position.
 *
 * Padding: a tap in the padding reads the input zero point, as in the dense kernels and the
 * Swift reference. Each channel's windows whose taps (its own nonzero ones, not the whole
 * window) all lie inside the input form a rectangle of output positions; its rows' runs take
 * the fast loop, and only the positions around it test each tap.
 *
 * Layout: `tp_sparse_s8.h`'s CSR of one segment, `out_channels` rows of `kernel_h * kernel_w`
 * taps: per channel its entry count (`counts`), per entry its tap `ky * kernel_w + kx`
 * (`indices`, ascending within a row) and its weight (`values`).
 */
#ifndef TP_DEPTHWISE_SPARSE_S8_H
#define TP_DEPTHWISE_SPARSE_S8_H

#include "tp_depthwise_s8.h"

/** One tap of the window: where it reads, `offset` bytes from the window's first pixel
 *  (channels included), and the output rows `first_row..end_row)` and columns
 *  `first_column..end_column)` whose windows have it inside the input. Filled once per layer. */
typedef struct {
    int32_t offset;
    int16_t first_row;
    int16_t end_row;
    int16_t first_column;
    int16_t end_column;
} tp_depthwise_csr_tap;

/** Bytes of the scratch of `tp_depthwise_conv2d_csr_s8`: per tap of the window its
 *  `tp_depthwise_csr_tap`, then room for one channel's taps as a block reads them (a weight
 *  and an offset, a word each). */
static inline int32_t tp_depthwise_conv2d_csr_s8_get_buffer_size(const tp_window *w)
{
    return ((int32_t)sizeof(tp_depthwise_csr_tap) + 8) * w->kernel_h * w->kernel_w;
}

/** The first output index along an axis (`stride`, `pad`) whose tap `d` steps into the window
 *  reads at least input index 0. */
static inline int32_t tp_depthwise_csr_first(int32_t pad, int32_t stride, int32_t d)
{
    const int32_t need = pad - d;
    return need <= 0 ? 0 : (need + stride - 1) / stride;
}

/** One past the last output index (at most `outputs`) whose tap `d` steps into the window
 *  reads below input index `inputs`. */
static inline int32_t tp_depthwise_csr_end(int32_t inputs, int32_t outputs, int32_t pad, int32_t stride, int32_t d)
{
    const int32_t room = inputs - 1 + pad - d;
    const int32_t end = room < 0 ? 0 : room / stride + 1;
    return end < outputs ? end : outputs;
}

/** A block of one channel's outputs whose windows have the same taps inside the input, walked
 *  as `lines` lines of `count` windows: the first output at `out`, the next of a line
 *  `out_step` bytes further, the next line's first `out_line_step` further; the first window's
 *  first inside tap reads `x`, the next window of a line `step` bytes further, the next line's
 *  first `line_step` further. Its taps: `n` (`w`, `d`: weights and offsets from the first),
 *  the taps in the padding folded into `bias`. */
typedef struct {
    const int8_t *x;
    int32_t step;
    int32_t line_step;
    int8_t *out;
    int32_t out_step;
    int32_t out_line_step;
    int32_t lines;
    int32_t count;
    int32_t n;
    int32_t bias;
    const int32_t *w;
    const int32_t *d;
} tp_depthwise_csr_block;

/** Sets `b`'s walk: `lines` lines of `count` windows, `step` and `out_step` apart, the lines
 *  `line_step` and `out_line_step` apart. */
static inline void tp_depthwise_csr_lines(tp_depthwise_csr_block *b, int32_t count, int32_t step, int32_t out_step, int32_t lines,
                                          int32_t line_step, int32_t out_line_step)
{
    b->count = count;
    b->step = step;
    b->out_step = out_step;
    b->lines = lines;
    b->line_step = line_step;
    b->out_line_step = out_line_step;
}

/** `b`'s outputs through the short output stage of `tp_depthwise_3x3_scaled_s8` (`multiplier`,
 *  `exponent`, `rounding`), its `n` taps (a constant where inlined: 1, 2 or 3) held in
 *  registers. The bias and the weights are doubled once per block, which gives the doubled sum
 *  that stage multiplies without a shift per output (a sum within +-2^30 stays within int32
 *  doubled, and keeps its sign). */
TP_LOOP_BODY void tp_depthwise_csr_short_block_s8(const tp_depthwise_csr_block *b, int32_t multiplier, int32_t exponent,
                                                  int32_t rounding, int n)
{
    const int32_t step = b->step, out_step = b->out_step, span = b->count * out_step;
    const int32_t d1 = n > 1 ? b->d[1] : 0, d2 = n > 2 ? b->d[2] : 0;
    int32_t twice_bias = 2 * b->bias, w0 = 2 * b->w[0], w1 = n > 1 ? 2 * b->w[1] : 0, w2 = n > 2 ? 2 * b->w[2] : 0;
    const int8_t *row = b->x;
    int8_t *out = b->out;
    int32_t r;
#if defined(__GNUC__)
    /* Hides the doubling from GCC, which would otherwise multiply by the weights as given
     * and double every sum. */
    __asm__("" : "+r"(twice_bias), "+r"(w0), "+r"(w1), "+r"(w2));
#endif
    for (r = b->lines; r > 0; --r, row += b->line_step, out += b->out_line_step) {
        const int8_t *x = row;
        int8_t *o = out;
        int8_t *const end = out + span;
        for (; o != end; o += out_step, x += step) {
            int32_t twice = twice_bias + w0 * x[0];
            if (n > 1) twice += w1 * x[d1];
            if (n > 2) twice += w2 * x[d2];
            *o = (int8_t)tp_depthwise_scaled_twice_s8(twice, twice, multiplier, exponent, rounding);
        }
    }
}

/** `tp_depthwise_csr_short_block_s8` for one, two and three taps: a function each, whose loop
 *  has the core's registers to itself. */
TP_LOOP_FUNCTION void tp_depthwise_csr_block1_s8(const tp_depthwise_csr_block *b, int32_t multiplier, int32_t exponent, int32_t rounding)
{
    tp_depthwise_csr_short_block_s8(b, multiplier, exponent, rounding, 1);
}

TP_LOOP_FUNCTION void tp_depthwise_csr_block2_s8(const tp_depthwise_csr_block *b, int32_t multiplier, int32_t exponent, int32_t rounding)
{
    tp_depthwise_csr_short_block_s8(b, multiplier, exponent, rounding, 2);
}

TP_LOOP_FUNCTION void tp_depthwise_csr_block3_s8(const tp_depthwise_csr_block *b, int32_t multiplier, int32_t exponent, int32_t rounding)
{
    tp_depthwise_csr_short_block_s8(b, multiplier, exponent, rounding, 3);
}

/** `b`'s outputs for any number of taps, through the short
 *  output stage when `short_form`, else `tp_channel_output` of channel `c`. */
TP_LOOP_FUNCTION void tp_depthwise_csr_any_block_s8(const tp_depthwise_csr_block *b, const tp_channel_output_s8 *o, int32_t c,
                                                    int32_t short_form, int32_t multiplier, int32_t exponent, int32_t rounding)
{
    const int32_t span = b->count * b->out_step;
    const int8_t *row = b->x;
    int8_t *out = b->out;
    int32_t r, j;
    for (r = b->lines; r > 0; --r, row += b->line_step, out += b->out_line_step) {
        const int8_t *x = row;
        int8_t *y = out;
        int8_t *const end = out + span;
        for (; y != end; y += b->out_step, x += b->step) {
            int32_t acc = b->bias;
            for (j = 0; j < b->n; ++j) acc += b->w[j] * x[b->d[j]];
            *y = short_form ? (int8_t)tp_depthwise_3x3_scaled_s8(acc, multiplier, exponent, rounding) : tp_channel_output(o, c, acc);
        }
    }
}

/** The next boundary after `at` (below `limit`) of the ranges of `n` taps `taps[indices[j]]`:
 *  their rows' when `rows`, else their columns'. Between two boundaries every window has the
 *  same of the channel's taps inside the input along that axis. */
static inline int32_t tp_depthwise_csr_next(const tp_depthwise_csr_tap *taps, const uint8_t *indices, int32_t n, int rows, int32_t at,
                                            int32_t limit)
{
    int32_t next = limit, j;
    for (j = 0; j < n; ++j) {
        const tp_depthwise_csr_tap *t = &taps[indices[j]];
        const int32_t first = rows ? t->first_row : t->first_column, end = rows ? t->end_row : t->end_column;
        if (first > at && first < next) next = first;
        if (end > at && end < next) next = end;
    }
    return next;
}

/** The outputs of channel `c` of `n` taps (`indices`, `values`) block by block: the output
 *  rows and columns cut where one of its taps enters or leaves the input, each block's taps in
 *  the padding folded into its bias (each adds its weight times the input zero point) and its
 *  others read from the block's first window on. `weights` and `offsets` (scratch, `n` words
 *  each) hold a block's taps. */
TP_LOOP_FUNCTION void tp_depthwise_csr_channel_s8(const tp_conv2d_s8_params *p, const tp_depthwise_csr_tap *taps, const uint8_t *indices,
                                                  const int8_t *values, int32_t n, int32_t c, int32_t short_form, const int8_t *input,
                                                  int8_t *output, int32_t *weights, int32_t *offsets)
{
    const tp_window *w = &p->window;
    const tp_channel_output_s8 *o = &p->output;
    const int32_t channels = w->channels, bias = o->bias[c], out_row_step = w->output_w * channels;
    const int32_t column_step = w->stride_w * channels, row_step = w->stride_h * w->input_w * channels;
    const int32_t multiplier = o->multiplier[c * o->multiplier_step], exponent = -(int32_t)o->shift[c * o->shift_step];
    const int32_t rounding = short_form ? (int32_t)((1u + 2u * (uint32_t)o->output_zero_point) << (exponent - 1)) : 0;
    tp_depthwise_csr_block b;
    int32_t r0, r1, c0, c1, j;
    b.w = weights;
    b.d = offsets;
    for (r0 = 0; r0 < w->output_h; r0 = r1) {
        r1 = tp_depthwise_csr_next(taps, indices, n, 1, r0, w->output_h);
        for (c0 = 0; c0 < w->output_w; c0 = c1) {
            int32_t base = 0;
            c1 = tp_depthwise_csr_next(taps, indices, n, 0, c0, w->output_w);
            b.n = 0;
            b.bias = bias;
            for (j = 0; j < n; ++j) {
                const tp_depthwise_csr_tap *t = &taps[indices[j]];
                if (t->first_row <= r0 && r0 < t->end_row && t->first_column <= c0 && c0 < t->end_column) {
                    if (b.n == 0) base = t->offset;
                    weights[b.n] = values[j];
                    offsets[b.n++] = t->offset - base;
                } else {
                    b.bias += (int32_t)values[j] * p->input_zero_point;
                }
            }
            b.out = output + (r0 * w->output_w + c0) * channels + c;
            /* Along the block's longer side, which leaves fewer lines (each line costs the loop
             * more than a window); whole rows as one line where the windows of one row and the
             * next follow one another in the input as within a row ('same' at stride 1). */
            if (c1 - c0 == w->output_w && row_step == w->output_w * column_step) {
                tp_depthwise_csr_lines(&b, (r1 - r0) * w->output_w, column_step, channels, 1, 0, 0);
            } else if (r1 - r0 > c1 - c0) {
                tp_depthwise_csr_lines(&b, r1 - r0, row_step, out_row_step, c1 - c0, column_step, channels);
            } else {
                tp_depthwise_csr_lines(&b, c1 - c0, column_step, channels, r1 - r0, row_step, out_row_step);
            }
            if (b.n == 0) {
                /* No tap inside: every output of the block is its bias's. */
                const int8_t y = short_form ? (int8_t)tp_depthwise_3x3_scaled_s8(b.bias, multiplier, exponent, rounding)
                                            : tp_channel_output(o, c, b.bias);
                int8_t *line = b.out;
                for (j = 0; j < b.lines; ++j, line += b.out_line_step) {
                    int8_t *out = line;
                    int8_t *const end = line + b.count * b.out_step;
                    for (; out != end; out += b.out_step) *out = y;
                }
                continue;
            }
            b.x = input + (((r0 * w->stride_h - w->pad_top) * w->input_w + c0 * w->stride_w - w->pad_left) * channels + c + base);
            if (short_form && b.n == 1) {
                tp_depthwise_csr_block1_s8(&b, multiplier, exponent, rounding);
            } else if (short_form && b.n == 2) {
                tp_depthwise_csr_block2_s8(&b, multiplier, exponent, rounding);
            } else if (short_form && b.n == 3) {
                tp_depthwise_csr_block3_s8(&b, multiplier, exponent, rounding);
            } else {
                tp_depthwise_csr_any_block_s8(&b, o, c, short_form, multiplier, exponent, rounding);
            }
        }
    }
}

/**
 * Depthwise convolution with depth multiplier 1 and CSR filters of one segment (at most 255
 * taps), any stride, dilation and padding, channel by channel (see the file's comment).
 * Out of line (`TP_SHARED_FUNCTION`): one body for every layer of a model.
 * @param counts  per channel, its nonzero taps
 * @param indices per entry, its tap `ky * kernel_w + kx`
 * @param values  per entry, the weight
 * @param output  `[output_h, output_w, out_channels]`; must not overlap `input`
 * @param scratch `tp_depthwise_conv2d_csr_s8_get_buffer_size` bytes
 */
TP_SHARED_FUNCTION void tp_depthwise_conv2d_csr_s8(const tp_conv2d_s8_params *p, const int8_t *input, const uint8_t *counts,
                                                    const uint8_t *indices, const int8_t *values, int8_t *output, int32_t *scratch)
{
    const tp_window *w = &p->window;
    const int32_t channels = p->out_channels, taps = w->kernel_h * w->kernel_w;
    const int32_t short_form = tp_depthwise_3x3_short_form(&p->output, channels);
    tp_depthwise_csr_tap *const table = (tp_depthwise_csr_tap *)scratch;
    int32_t *const weights = scratch + 3 * taps, *const offsets = weights + taps;
    int32_t ky, kx, c;
    for (ky = 0; ky < w->kernel_h; ++ky) {
        for (kx = 0; kx < w->kernel_w; ++kx) {
            tp_depthwise_csr_tap *t = &table[ky * w->kernel_w + kx];
            const int32_t dy = ky * w->dilation_h, dx = kx * w->dilation_w;
            const int32_t first_row = tp_depthwise_csr_first(w->pad_top, w->stride_h, dy);
            const int32_t first_column = tp_depthwise_csr_first(w->pad_left, w->stride_w, dx);
            const int32_t end_row = tp_depthwise_csr_end(w->input_h, w->output_h, w->pad_top, w->stride_h, dy);
            const int32_t end_column = tp_depthwise_csr_end(w->input_w, w->output_w, w->pad_left, w->stride_w, dx);
            t->offset = (dy * w->input_w + dx) * channels;
            t->first_row = (int16_t)(first_row < end_row ? first_row : end_row);
            t->end_row = (int16_t)end_row;
            t->first_column = (int16_t)(first_column < end_column ? first_column : end_column);
            t->end_column = (int16_t)end_column;
        }
    }
    for (c = 0; c < channels; ++c) {
        const int32_t n = counts[c];
        tp_depthwise_csr_channel_s8(p, table, indices, values, n, c, short_form, input, output, weights, offsets);
        indices += n;
        values += n;
    }
}

#endif /* TP_DEPTHWISE_SPARSE_S8_H */
