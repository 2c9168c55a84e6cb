/**
 * @file tp_sparse_s8.h
 * @brief int8 Dense layers and convolutions whose weights are stored sparse: as a bitmask, as
 *        CSR rows with uint8 indices, or in an N:M pattern. The kernels visit only the stored
 *        entries: the work is proportional to the nonzeros, and nothing is densified.
 *
 * The layer parameters, the weight rows and the scratch are those of the dense kernels
 * (`tp_dense_s8.h`, `tp_conv_s8.h`): weights are rows, one per output unit or channel, over
 * the inputs of that row (a Dense layer's inputs; a filter's `(kernel_h, kernel_w,
 * group_width)`).
 *
 * Formats (all rows concatenated; see each kernel):
 * - bitmask: `uint8 mask[units * ceil(input_width / 8)]`, bit `j % 8` (least significant
 *   first) of byte `j / 8` of a row set when input `j` has a weight, and the nonzero
 *   `int8 values` in row order;
 * - CSR: each row cut into segments of `TP_CSR_SEGMENT` (255) inputs; per segment its
 *   number of entries, `uint8 counts[units * segments]`, and per entry the input's index
 *   within the segment, `uint8 indices[]`, and its value, `int8 values[]`, in row order;
 * - N:M: every group of `m` consecutive inputs stores exactly `n` entries (`int8 values`,
 *   zeros where the group has fewer nonzeros) and their positions in the group as
 *   `index_bits`-wide fields (2, 4 or 8), least significant first, each row starting on a
 *   byte boundary.

 *
 * A layer some of whose output channels have no weight at all (a filter pruned whole) may
 * store only the rows of the others, in any format: its kernel runs as a layer of those
 * channels alone, and `tp_spread_channels_s8` then puts each output where its channel goes,
 * with the constant output of every channel without weights.
 */
#ifndef TP_SPARSE_S8_H
#define TP_SPARSE_S8_H

#include <string.h>

#include "tp_channel_scale_s8.h"
#include "tp_conv_s8.h"
/* `TP_CSR_SEGMENT` and `tp_csr_segments`, beside the kernel that runs most CSR Dense rows. */
#include "tp_dense_csr_table_s8.h"

/** Index (0..7) of the lowest set bit of a nonzero byte. On the DSP extension's cores GCC
 *  and Clang count it with `rbit` and `clz`; elsewhere the bit is isolated (`bits & -bits`),
 *  then a de Bruijn multiply indexes an 8-entry table. */
static inline int32_t tp_lowest_bit(uint32_t bits)
{
#if defined(TP_USE_DSP) && defined(__GNUC__)
    return (int32_t)__builtin_ctz(bits);
#else
    static const uint8_t position[8] = { 7, 0, 1, 3, 6, 2, 5, 4 };
    return (int32_t)position[(((bits & (0u - bits)) * 0x17u) >> 4) & 7u];
#endif
}


/**
 * Bitmask weights: scans one mask byte per 8 inputs and touches only the set bits.
 * @param mask   `[units, ceil(input_width / 8)]`
 * @param values the nonzero weights, row by row
 */
static inline void tp_dense_bitmask_s8(const tp_dense_s8_params *p, const int8_t *input, const uint8_t *mask,
                                       const int8_t *values, int8_t *output)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_dense_s8_params q = *p;
    const int32_t bytes = (q.input_width + 7) / 8;
    int32_t r, c, k;
    for (r = 0; r < q.rows; ++r) {
        const int8_t *x = input + (size_t)r * (size_t)q.input_width;
        const uint8_t *m = mask;
        const int8_t *v = values;
        for (c = 0; c < q.units; ++c) {
            int32_t acc = q.output.bias[c];
            for (k = 0; k < bytes; ++k) {
                uint32_t bits = m[k];
                const int8_t *xp = x + 8 * k;
                while (bits != 0u) {
                    acc += (int32_t)(*v++) * (int32_t)xp[tp_lowest_bit(bits)];
                    bits &= bits - 1u;
                }
            }
            m += bytes;
            output[(size_t)r * (size_t)q.units + (size_t)c] = tp_channel_output(&q.output, c, acc);
        }
    }
}

/** `tp_requantize` for the rare channel the short stage of `tp_csr_rows_s8` cannot take: a
 *  call of its own, so that the loop over rows keeps none of its operands in registers. */
TP_LOOP_FUNCTION int8_t tp_csr_output_s8(const tp_channel_output_s8 *stage, int32_t multiplier, int32_t shift, int32_t acc)
{
    return tp_requantize(acc, multiplier, shift, stage->output_zero_point, stage->output_min, stage->output_max);
}

/**
 * CSR rows of one segment (Dense layers of at most `TP_CSR_SEGMENT` inputs) over one input
 * vector `x`: outputs `out[c]` for `c` in `[0, rows)`. Per entry one index load, one value
 * load, one gathered input and one multiply-add, the loop ending on the value pointer. The
 * rows of a pruned layer hold few entries, so the cost that matters is each row's: no loop
 * over segments, the output stage's pointers stepped row by row, and on the DSP extension
 * the short output stage of `tp_channel_scale_s8.h` (`tp_channel_scaled_s8`: one `SMLAL`, a
 * shift and `SSAT`) for every channel whose shift is -2 or below when the stage clamps to the
 * whole int8 range, `tp_csr_output_s8` otherwise (in portable C `tp_requantize`: without
 * `SMLAL` the short stage's 64-bit sum costs more than it saves). Measured on the digits MLP at 90% (about 6
 * entries a row), a loop of four entries with their values widened in pairs costs more per
 * row (the operands it keeps push the row's onto the stack) than it saves per entry, so one
 * body serves every core; rows of several segments, longer, take it
 * (`tp_csr_entries_s8`): 4.8 instructions per entry instead of 6 on the MLPerf Tiny
 * autoencoder's 640-input layer.
 */
TP_LOOP_FUNCTION void tp_csr_rows_s8(const tp_channel_output_s8 *stage, int32_t rows, const uint8_t *counts,
                                     const uint8_t *indices, const int8_t *values, const int8_t *x, int8_t *out)
{
    /* Local copies: the int8 output stores could alias the output stage, which would force
     * its fields to be reloaded for every row. */
    const int32_t *bias = stage->bias, *multiplier = stage->multiplier;
    const int8_t *shift = stage->shift;
    const int32_t multiplier_step = stage->multiplier_step, shift_step = stage->shift_step;
    const int32_t zero_point = stage->output_zero_point;
#if defined(TP_USE_DSP)
    /* The largest shift the short stage takes: -2, or none (below every int8 shift) when the
     * clamp is narrower than int8. */
    const int32_t largest = stage->output_min == -128 && stage->output_max == 127 ? -2 : -129;
#else
    const int32_t low = stage->output_min, high = stage->output_max;
#endif
    int32_t c;
    for (c = 0; c < rows; ++c, multiplier += multiplier_step, shift += shift_step) {
        const int8_t *const end = values + *counts++;
        int32_t acc = *bias++, s;
        while (values != end) acc += (int32_t)(*values++) * (int32_t)x[*indices++];
        s = *shift;
#if defined(TP_USE_DSP)
        if (s <= largest) {
            const tp_channel_scale_s8 scale = tp_channel_scale_s8_of(*multiplier, s);
            out[c] = (int8_t)tp_channel_scaled_s8(acc, scale.multiplier, scale.exponent, scale.rounding, zero_point);
        } else {
            out[c] = tp_csr_output_s8(stage, *multiplier, s, acc);
        }
#else
        out[c] = tp_requantize(acc, *multiplier, s, zero_point, low, high);
#endif
    }
}

/** The sum of `n` CSR entries (`indices[k]`, `values[k]`) over the inputs `x`. On the DSP
 *  extension four entries at a time: their values in one word, widened in pairs
 *  (`__sxtb16`), each half multiplied by its gathered input (`__smlabb`, `__smlatb`),
 *  seventeen instructions for four entries where one at a time takes six each; the last zero
 *  to three entries one by one. */
TP_LOOP_BODY int32_t tp_csr_entries_s8(const uint8_t *indices, const int8_t *values, const int8_t *x, int32_t n)
{
    const int8_t *const end = values + n;
    int32_t acc = 0;
#if defined(TP_USE_DSP)
    const int8_t *const quads_end = values + (n & ~3);
    for (; values != quads_end; indices += 4, values += 4) {
        const uint32_t word = tp_read_s8x4(values);
        const int32_t even = __sxtb16(word), odd = tp_sxtb16_odd(word);
        acc = __smlabb(even, (int32_t)x[indices[0]], acc);
        acc = __smlabb(odd, (int32_t)x[indices[1]], acc);
        acc = __smlatb(even, (int32_t)x[indices[2]], acc);
        acc = __smlatb(odd, (int32_t)x[indices[3]], acc);
    }
#endif
    while (values != end) acc += (int32_t)(*values++) * (int32_t)x[*indices++];
    return acc;
}

/** `tp_csr_rows_s8` for rows of several segments (Dense layers of more than
 *  `TP_CSR_SEGMENT` inputs), each segment's entries indexing the inputs from its own start
 *  and summed by `tp_csr_entries_s8`. Row by row, the entries of every segment are summed
 *  onto the bias, and the sum goes through `tp_csr_rows_s8` as the bias of a row of no
 *  entries, which requantizes it: a model carries one requantizing loop, whatever the
 *  lengths of its rows. */
TP_LOOP_FUNCTION void tp_csr_segmented_rows_s8(const tp_channel_output_s8 *stage, int32_t rows, int32_t segments,
                                               const uint8_t *counts, const uint8_t *indices, const int8_t *values,
                                               const int8_t *x, int8_t *out)
{
    static const uint8_t no_entries = 0;
    tp_channel_output_s8 row = *stage;
    int32_t c, s, acc;
    row.bias = &acc;
    for (c = 0; c < rows; ++c) {
        const int8_t *xs = x;
        acc = stage->bias[c];
        for (s = segments; s > 0; --s, xs += TP_CSR_SEGMENT) {
            const int32_t n = *counts++;
            acc += tp_csr_entries_s8(indices, values, xs, n);
            indices += n;
            values += n;
        }
        row.multiplier = stage->multiplier + c * stage->multiplier_step;
        row.shift = stage->shift + c * stage->shift_step;
        tp_csr_rows_s8(&row, 1, &no_entries, indices, values, x, out + c);
    }
}

/** The int8 inputs `a` and `b` of two positions as one word: `a` in the low half, `b` in the
 *  high half, each sign-extended to 16 bits (what `__smlabb` and `__smlabt` multiply). */
static inline int32_t tp_pair_s16(int32_t a, int32_t b)
{
    return (int32_t)(((uint32_t)b << 16) | ((uint32_t)a & 0xFFFFu));
}

/** `acc` plus `value` times the low half of `pair` (`__smlabb` on the DSP extension). */
static inline int32_t tp_mla_low(int32_t value, int32_t pair, int32_t acc)
{
#if defined(TP_USE_DSP)
    return __smlabb(value, pair, acc);
#else
    return acc + value * (int32_t)(int16_t)(pair & 0xFFFF);
#endif
}

/** `acc` plus `value` times the high half of `pair` (`__smlabt` on the DSP extension). */
static inline int32_t tp_mla_high(int32_t value, int32_t pair, int32_t acc)
{
#if defined(TP_USE_DSP)
    return __smlabt(value, pair, acc);
#else
    return acc + value * (pair >> 16);
#endif
}

/** The outputs of one channel at two positions, `*y0` and `*y1`, from their sums: on the DSP
 *  extension through the short stage of `tp_channel_scale_s8.h`, its constants computed once
 *  for both, when the shift is at most `largest` (see `tp_csr_rows_s8`), through
 *  `tp_csr_output_s8` otherwise; in portable C through `tp_requantize`, as on a core without
 *  `SMLAL` the short stage's 64-bit sum costs more than it saves. */
TP_LOOP_BODY void tp_csr_outputs2_s8(const tp_channel_output_s8 *stage, int32_t largest, int32_t multiplier, int32_t shift,
                                     int32_t acc0, int32_t acc1, int8_t *y0, int8_t *y1)
{
#if defined(TP_USE_DSP)
    if (shift <= largest) {
        const tp_channel_scale_s8 scale = tp_channel_scale_s8_of(multiplier, shift);
        *y0 = (int8_t)tp_channel_scaled_s8(acc0, scale.multiplier, scale.exponent, scale.rounding, stage->output_zero_point);
        *y1 = (int8_t)tp_channel_scaled_s8(acc1, scale.multiplier, scale.exponent, scale.rounding, stage->output_zero_point);
    } else {
        *y0 = tp_csr_output_s8(stage, multiplier, shift, acc0);
        *y1 = tp_csr_output_s8(stage, multiplier, shift, acc1);
    }
#else
    (void)largest;
    *y0 = tp_requantize(acc0, multiplier, shift, stage->output_zero_point, stage->output_min, stage->output_max);
    *y1 = tp_requantize(acc1, multiplier, shift, stage->output_zero_point, stage->output_min, stage->output_max);
#endif
}

/**
 * CSR rows over the inputs of two positions at once, `pairs[j]` holding both positions'
 * input `j` (`tp_pair_s16`): per entry one index load, one value load and one word load serve
 * two multiply-adds (`__smlabb` and `__smlabt` on the DSP extension; the halves taken apart
 * with shifts in portable C), and each channel's multiplier and shift are looked up once for
 * both outputs, which go through the short output stage where it applies
 * (`tp_csr_outputs2_s8`).
 */
TP_LOOP_FUNCTION void tp_csr_rows2_s8(const tp_channel_output_s8 *stage, int32_t rows, int32_t segments, const uint8_t *counts,
                                      const uint8_t *indices, const int8_t *values, const int32_t *pairs, int8_t *out0,
                                      int8_t *out1)
{
    /* A local copy, as in `tp_csr_rows_s8`. */
    const tp_channel_output_s8 local = *stage, *o = &local;
    /* The largest shift the short stage takes, as in `tp_csr_rows_s8`. */
    const int32_t largest = o->output_min == -128 && o->output_max == 127 ? -2 : -129;
    int32_t c, s, k;
    for (c = 0; c < rows; ++c) {
        const int32_t *xs = pairs;
        int32_t acc0 = o->bias[c], acc1 = acc0;
        for (s = segments; s > 0; --s, xs += TP_CSR_SEGMENT) {
            const int32_t n = *counts++;
            /* Two entries per iteration: a filter row holds many entries, so the loop's own
             * instructions are shared by four multiply-adds. */
            for (k = n >> 1; k > 0; --k, indices += 2, values += 2) {
                const int32_t value0 = values[0], both0 = xs[indices[0]], value1 = values[1], both1 = xs[indices[1]];
                acc0 = tp_mla_low(value0, both0, acc0);
                acc1 = tp_mla_high(value0, both0, acc1);
                acc0 = tp_mla_low(value1, both1, acc0);
                acc1 = tp_mla_high(value1, both1, acc1);
            }
            if ((n & 1) != 0) {
                const int32_t value = *values++, both = xs[*indices++];
                acc0 = tp_mla_low(value, both, acc0);
                acc1 = tp_mla_high(value, both, acc1);
            }
        }
        tp_csr_outputs2_s8(stage, largest, o->multiplier[c * o->multiplier_step], o->shift[c * o->shift_step], acc0, acc1,
                           out0 + c, out1 + c);
    }
}

/**
 * CSR weights: each row cut into segments of `TP_CSR_SEGMENT` inputs, each segment stored as
 * its entry count then, per entry, its input's index within the segment and its value. Work
 * is proportional to the nonzeros plus one count per segment and row. A layer with a
 * multiplier and a shift per row runs `tp_dense_csr_table_s8` instead, whatever its width;
 * this kernel serves the layers that share one multiplier or one shift among their rows.
 * @param counts  `[units, segments]` entries per segment
 * @param indices per entry, the input's index within its segment (uint8)
 * @param values  per entry, the weight
 */
TP_LOOP_BODY void tp_dense_csr_s8(const tp_dense_s8_params *p, const int8_t *input, const uint8_t *counts,
                                   const uint8_t *indices, const int8_t *values, int8_t *output)
{
    /* The fields are read once, before any store: the row kernels take their own copy of
     * the output stage, which saves a copy of the whole parameters at every call. */
    const int32_t rows = p->rows, units = p->units, width = p->input_width, segments = tp_csr_segments(width);
    int32_t r;
    for (r = 0; r < rows; ++r) {
        /* `segments` is a constant where the kernel is inlined (the parameters are constant),
         * so the test goes away, and a model whose CSR Dense layers have at most
         * `TP_CSR_SEGMENT` inputs carries no segmented loop. */
        if (segments == 1) {
            tp_csr_rows_s8(&p->output, units, counts, indices, values, input + (size_t)r * (size_t)width,
                           output + (size_t)r * (size_t)units);
        } else {
            tp_csr_segmented_rows_s8(&p->output, units, segments, counts, indices, values, input + (size_t)r * (size_t)width,
                                     output + (size_t)r * (size_t)units);
        }
    }
}

/** Parameters of the N:M pattern. */
typedef struct {
    /** Entries stored per group. */
    int32_t n;
    /** Group length, in inputs. */
    int32_t m;
    /** Width of one position field: 2, 4 or 8 bits. */
    int32_t index_bits;
} tp_nm_pattern;

/** Bytes of position fields per row of `length` inputs. */
static inline int32_t tp_nm_row_index_bytes(const tp_nm_pattern *pattern, int32_t length)
{
    const int32_t groups = (length + pattern->m - 1) / pattern->m;
    return (groups * pattern->n * pattern->index_bits + 7) / 8;
}

/**
 * N:M weights: `n` multiply-adds per group of `m` inputs.
 * @param indices position fields, each row starting on a byte boundary
 * @param values  `n` per group, row by row
 */
static inline void tp_dense_nm_s8(const tp_dense_s8_params *p, const tp_nm_pattern *pattern, const int8_t *input,
                                  const uint8_t *indices, const int8_t *values, int8_t *output)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_dense_s8_params q = *p;
    const int32_t groups = (q.input_width + pattern->m - 1) / pattern->m;
    const int32_t row_bytes = tp_nm_row_index_bytes(pattern, q.input_width);
    const uint32_t field = (1u << pattern->index_bits) - 1u;
    int32_t r, c, g, k;
    for (r = 0; r < q.rows; ++r) {
        const int8_t *x = input + (size_t)r * (size_t)q.input_width;
        const int8_t *v = values;
        for (c = 0; c < q.units; ++c) {
            const uint8_t *ind = indices + (size_t)c * (size_t)row_bytes;
            int32_t acc = q.output.bias[c];
            uint32_t bit = 0;
            for (g = 0; g < groups; ++g) {
                const int8_t *base = x + g * pattern->m;
                for (k = 0; k < pattern->n; ++k) {
                    const uint32_t position = ((uint32_t)ind[bit >> 3] >> (bit & 7u)) & field;
                    bit += (uint32_t)pattern->index_bits;
                    acc += (int32_t)(*v++) * (int32_t)base[position];
                }
            }
            output[(size_t)r * (size_t)q.units + (size_t)c] = tp_channel_output(&q.output, c, acc);
        }
    }
}

/** The input value of tap offset `offset` (or the zero point in the padding), channel `channel`. */
static inline int32_t tp_conv_input(const int8_t *input, int32_t offset, int32_t channel, int32_t zero_point)
{
    return offset < 0 ? zero_point : (int32_t)input[offset + channel];
}


/** Bytes of the scratch of `tp_conv2d_bitmask_s8`: the tap offsets of one position (an int32
 *  per tap). */
static inline int32_t tp_conv2d_bitmask_s8_get_buffer_size(const tp_conv2d_s8_params *q)
{
    return q->window.kernel_h * q->window.kernel_w * (int32_t)sizeof(int32_t);
}

/**
 * Bitmask filters (`[out_channels, ceil(length / 8)]` mask bytes, nonzero values row by row),
 * visiting only the set bits. Same layout as `tp_conv2d_s8`.
 * @param tap_offsets `tp_conv2d_bitmask_s8_get_buffer_size` bytes
 */
static inline void tp_conv2d_bitmask_s8(const tp_conv2d_s8_params *p, const int8_t *input, const uint8_t *mask,
                                        const int8_t *values, int8_t *output, int32_t *tap_offsets)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_conv2d_s8_params q = *p;
    const tp_window *w = &q.window;
    const int32_t length = w->kernel_h * w->kernel_w * q.group_width;
    const int32_t bytes = (length + 7) / 8;
    int32_t oy, ox, c, k;
    for (oy = 0; oy < w->output_h; ++oy) {
        for (ox = 0; ox < w->output_w; ++ox) {
            int8_t *out = output + (size_t)(oy * w->output_w + ox) * (size_t)q.out_channels;
            const uint8_t *m = mask;
            const int8_t *v = values;
            tp_conv_tap_offsets(w, oy, ox, tap_offsets);
            for (c = 0; c < q.out_channels; ++c) {
                const int32_t base = (c / q.group_outputs) * q.group_width;
                int32_t acc = q.output.bias[c];
                for (k = 0; k < bytes; ++k) {
                    uint32_t bits = m[k];
                    while (bits != 0u) {
                        const int32_t j = 8 * k + tp_lowest_bit(bits);
                        const int32_t t = j / q.group_width;
                        const int32_t i = j - t * q.group_width;
                        acc += (int32_t)(*v++) * tp_conv_input(input, tap_offsets[t], base + i, q.input_zero_point);
                        bits &= bits - 1u;
                    }
                }
                m += bytes;
                out[c] = tp_channel_output(&q.output, c, acc);
            }
        }
    }
}

/** Bytes of the scratch of `tp_conv2d_csr_s8`: the tap offsets of one position, then two
 *  positions' windows as pairs, a word per input of a window (the other position's tap
 *  offsets wait in the last words of the pairs until the gather reaches them). */
static inline int32_t tp_conv2d_csr_s8_get_buffer_size(const tp_conv2d_s8_params *q)
{
    const int32_t taps = q->window.kernel_h * q->window.kernel_w;
    return 4 * (taps + taps * q->window.channels);
}

/** The `count` int8 inputs `from0[i]` and `from1[i]` of two positions as pairs
 *  `to[i * stride]` (`tp_pair_s16`: `from0`'s in the low half; `stride`, a constant where
 *  inlined, lets another gather's pairs lie between these). On the DSP extension four inputs
 *  of each position per step: one word of each widened in pairs (`__sxtb16`), the halves
 *  packed across the positions. */
TP_LOOP_BODY void tp_gather_pairs_s8(const int8_t *from0, const int8_t *from1, int32_t *to, int32_t count, int32_t stride)
{
    int32_t i = 0;
#if defined(TP_USE_DSP)
    /* Inputs x0..x3 of the first position and y0..y3 of the second: `__sxtb16` gives
     * (x0, x2) and (x1, x3), and the same of y; the pairs (x0, y0) .. (x3, y3) take
     * one half of each (PKHBT and PKHTB). */
    for (; i + 4 <= count; i += 4, to += 4 * stride) {
        const uint32_t x = tp_read_s8x4(from0 + i), y = tp_read_s8x4(from1 + i);
        const uint32_t x_even = (uint32_t)__sxtb16(x), x_odd = (uint32_t)tp_sxtb16_odd(x);
        const uint32_t y_even = (uint32_t)__sxtb16(y), y_odd = (uint32_t)tp_sxtb16_odd(y);
        to[0] = (int32_t)tp_pack_halves(x_even, y_even, 0);
        to[stride] = (int32_t)tp_pack_halves(x_odd, y_odd, 0);
        to[2 * stride] = (int32_t)tp_pack_halves(x_even, y_even, 1);
        to[3 * stride] = (int32_t)tp_pack_halves(x_odd, y_odd, 1);
    }
#endif
    /* The tail counts down: written as `to[i]` for `i < count`, GCC -O2 for the Cortex-M4
     * warned of an impossible iteration (-Waggressive-loop-optimizations), which breaks builds
     * with -Werror. */
    {
        int32_t left = count - i;
        for (from0 += i, from1 += i; left > 0; --left, to += stride) *to = tp_pair_s16(*from0++, *from1++);
    }
}

/** The windows of two output positions (tap offsets `first` and `second`) gathered group by
 *  group into `pairs` (`tp_pair_s16`: the first position's input in the low half, the
 *  second's in the high half): for each input group its `taps * group_width` inputs in the
 *  order of a filter row, the input zero point for a tap in the padding (cancelled by the bias
 *  fold). Each tap's offsets are read before its pairs are written, and the pairs of tap `t`
 *  end before word `taps * channels - taps + t + 1`, so `second` may lie in the last `taps`
 *  words of `pairs`. The inputs of a tap inside the image are paired by `tp_gather_pairs_s8`. */
static inline void tp_conv_gather_pairs_s8(const tp_conv2d_s8_params *q, int32_t taps, const int8_t *input,
                                           const int32_t *first, const int32_t *second, int32_t *pairs)
{
    const int32_t width = q->group_width, groups = q->window.channels / width, length = taps * width;
    const int32_t zero_point = q->input_zero_point;
    int32_t t, g, i;
    for (t = 0; t < taps; ++t) {
        const int32_t offset0 = first[t], offset1 = second[t];
        int32_t *to = pairs + t * width;
        for (g = 0; g < groups; ++g, to += length) {
            const int32_t channel = g * width;
            if (offset0 < 0 || offset1 < 0) {
                for (i = 0; i < width; ++i) {
                    to[i] = tp_pair_s16(offset0 < 0 ? zero_point : (int32_t)input[offset0 + channel + i],
                                        offset1 < 0 ? zero_point : (int32_t)input[offset1 + channel + i]);
                }
                continue;
            }
            tp_gather_pairs_s8(input + offset0 + channel, input + offset1 + channel, to, width, 1);
        }
    }
}

/**
 * CSR filters (`tp_dense_csr_s8`'s layout over each filter row). Output positions two at a
 * time: both windows are gathered as pairs into the scratch, then every index, value and
 * pair serves two multiply-adds (`tp_csr_rows2_s8`); a convolution of several groups runs
 * its rows group by group over their part of the windows.
 * @param scratch `tp_conv2d_csr_s8_get_buffer_size` bytes
 */
static inline void tp_conv2d_csr_s8(const tp_conv2d_s8_params *p, const int8_t *input, const uint8_t *counts,
                                    const uint8_t *indices, const int8_t *values, int8_t *output, int32_t *scratch)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_conv2d_s8_params q = *p;
    const tp_window *w = &q.window;
    const int32_t taps = w->kernel_h * w->kernel_w, length = taps * q.group_width;
    const int32_t segments = tp_csr_segments(length), positions = w->output_h * w->output_w;
    const int32_t groups = q.out_channels / q.group_outputs;
    int32_t *pairs = scratch + taps, *second = pairs + taps * w->channels - taps;
    int32_t position, g, k;
    for (position = 0; position < positions; position += 2) {
        /* An odd last position pairs with itself. */
        const int32_t next = position + 1 < positions ? position + 1 : position;
        const uint8_t *c = counts, *i = indices;
        const int8_t *v = values;
        tp_channel_output_s8 o = q.output;
        /* The second position's tap offsets in the last words of the pairs, which the
         * gather overwrites only after reading them. */
        tp_conv_tap_offsets(w, position / w->output_w, position % w->output_w, scratch);
        tp_conv_tap_offsets(w, next / w->output_w, next % w->output_w, second);
        tp_conv_gather_pairs_s8(&q, taps, input, scratch, second, pairs);
        for (g = 0; g < groups; ++g) {
            const int32_t first = g * q.group_outputs;
            int32_t entries = 0;
            /* The group's rows as a layer of their own: its output stage starts at its first channel. */
            o.bias = q.output.bias + first;
            o.multiplier = q.output.multiplier + first * q.output.multiplier_step;
            o.shift = q.output.shift + first * q.output.shift_step;
            tp_csr_rows2_s8(&o, q.group_outputs, segments, c, i, v, pairs + g * length,
                            output + (size_t)position * (size_t)q.out_channels + first,
                            output + (size_t)next * (size_t)q.out_channels + first);
            if (g + 1 == groups) break;
            /* The next group's entries follow this one's. */
            for (k = 0; k < q.group_outputs * segments; ++k) entries += c[k];
            c += q.group_outputs * segments;
            i += entries;
            v += entries;
        }
    }
}

/** Bytes of the scratch of `tp_conv2d_nm_s8`: the tap offsets of one position (an int32 per
 *  tap). */
static inline int32_t tp_conv2d_nm_s8_get_buffer_size(const tp_conv2d_s8_params *q)
{
    return q->window.kernel_h * q->window.kernel_w * (int32_t)sizeof(int32_t);
}

/**
 * N:M filters (`tp_dense_nm_s8`'s layout over each filter row).
 * @param tap_offsets `tp_conv2d_nm_s8_get_buffer_size` bytes
 */
static inline void tp_conv2d_nm_s8(const tp_conv2d_s8_params *p, const tp_nm_pattern *pattern, const int8_t *input,
                                   const uint8_t *indices, const int8_t *values, int8_t *output, int32_t *tap_offsets)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_conv2d_s8_params q = *p;
    const tp_window *w = &q.window;
    const int32_t length = w->kernel_h * w->kernel_w * q.group_width;
    const int32_t groups = (length + pattern->m - 1) / pattern->m;
    const int32_t row_bytes = tp_nm_row_index_bytes(pattern, length);
    const uint32_t field = (1u << pattern->index_bits) - 1u;
    int32_t oy, ox, c, g, k;
    for (oy = 0; oy < w->output_h; ++oy) {
        for (ox = 0; ox < w->output_w; ++ox) {
            int8_t *out = output + (size_t)(oy * w->output_w + ox) * (size_t)q.out_channels;
            const int8_t *v = values;
            tp_conv_tap_offsets(w, oy, ox, tap_offsets);
            for (c = 0; c < q.out_channels; ++c) {
                const uint8_t *ind = indices + (size_t)c * (size_t)row_bytes;
                const int32_t base = (c / q.group_outputs) * q.group_width;
                int32_t acc = q.output.bias[c];
                uint32_t bit = 0;
                for (g = 0; g < groups; ++g) {
                    for (k = 0; k < pattern->n; ++k) {
                        const int32_t j = g * pattern->m + (int32_t)(((uint32_t)ind[bit >> 3] >> (bit & 7u)) & field);
                        const int32_t t = j / q.group_width;
                        bit += (uint32_t)pattern->index_bits;
                        acc += (int32_t)(*v++) * tp_conv_input(input, tap_offsets[t], base + j - t * q.group_width,
                                                                q.input_zero_point);
                    }
                }
                out[c] = tp_channel_output(&q.output, c, acc);
            }
        }
    }
}

/** One position of `tp_spread_channels_s8`, channel by channel from the last: `from` and `to`
 *  point past the position's stored outputs and past its row, `constants_end` past the
 *  constants. */
static inline void tp_spread_position_s8(int32_t channels, const uint8_t *live, const int8_t *constants_end,
                                         const int8_t *from, int8_t *to)
{
    const int32_t last = (channels - 1) >> 3;
    const int8_t *k = constants_end;
    /* Its bit moved to the top of `bits`, the sign says whether the channel has weights. */
    uint32_t bits = (uint32_t)live[last] << (32 - (channels - 8 * last));
    int32_t byte = last, left = channels - 8 * last;
    for (;;) {
        for (; left > 0; --left, bits <<= 1) *--to = (int32_t)bits < 0 ? *--from : *--k;
        if (--byte < 0) break;
        bits = (uint32_t)live[byte] << 24;
        left = 8;
    }
}

/**
 * Spreads the outputs of a layer that computed only its `stored` channels with weights,
 * `[positions, stored]` at the start of `output`, to all its `channels`, `[positions,
 * channels]`, in place: channel `c` has weights when bit `c % 8` of `live[c / 8]` is set
 * (least significant first), and each channel without weights, in channel order, takes its
 * entry of `constants`, its requantized bias, at every position. Output positions are filled
 * from the last, so no stored output is overwritten before it is moved.
 *
 * The constants are the same at every position: the last position is spread channel by
 * channel, and every earlier one whose row does not overlap its own stored outputs starts as
 * a copy of that row, over which only its stored outputs are written (a few per row in a
 * layer whose filters are mostly pruned whole).
 * @param live      `[ceil(channels / 8)]`
 * @param constants `[channels - stored]`
 */
TP_LOOP_FUNCTION void tp_spread_channels_s8(int32_t positions, int32_t channels, int32_t stored, const uint8_t *live,
                                            const int8_t *constants, int8_t *output)
{
    const int8_t *const constants_end = constants + (channels - stored);
    const int8_t *const spread = output + (size_t)(positions - 1) * (size_t)channels;
    const int32_t bytes = (channels + 7) >> 3;
    int32_t p, b;
    if (positions <= 0) return;
    tp_spread_position_s8(channels, live, constants_end, output + (size_t)positions * (size_t)stored,
                          output + (size_t)positions * (size_t)channels);
    for (p = positions - 2; p >= 0; --p) {
        const int8_t *from = output + (size_t)p * (size_t)stored;
        int8_t *to = output + (size_t)p * (size_t)channels;
        if ((size_t)p * (size_t)channels < (size_t)(p + 1) * (size_t)stored) {
            /* The row starts inside its own stored outputs: channel by channel from the last. */
            tp_spread_position_s8(channels, live, constants_end, from + stored, to + channels);
            continue;
        }
        memcpy(to, spread, (size_t)channels);
        for (b = 0; b < bytes; ++b) {
            uint32_t bits = live[b];
            while (bits != 0u) {
                to[8 * b + tp_lowest_bit(bits)] = *from++;
                bits &= bits - 1u;
            }
        }
    }
}

#endif /* TP_SPARSE_S8_H */
