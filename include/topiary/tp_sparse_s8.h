/**
 * @file tp_sparse_s8.h
 * @brief int8 Dense layers and convolutions whose weights are stored sparse: as a bitmask, as
 *        CSR rows with uint8 gaps, or in an N:M pattern. The kernels visit only the stored
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
 * - CSR: the number of entries of each row as `uint8 entries[units]` (low byte) and, only
 *   when some row has more than 255, `uint8 entries_high[units]` (high byte; NULL
 *   otherwise), then per entry a `uint8 gap` (distance from the previous entry's input, the
 *   first entry's from input 0) and an `int8 value`; a gap over 255 is bridged by filler
 *   entries of gap 255 and value 0;
 * - N:M: every group of `m` consecutive inputs stores exactly `n` entries (`int8 values`,
 *   zeros where the group has fewer nonzeros) and their positions in the group as
 *   `index_bits`-wide fields (2, 4 or 8), least significant first, each row starting on a
 *   byte boundary.
 */
#ifndef TP_SPARSE_S8_H
#define TP_SPARSE_S8_H

#include "tp_conv_s8.h"

/** Index (0..7) of the lowest set bit of a nonzero byte: the bit isolated (`bits & -bits`),
 *  then a de Bruijn multiply into an 8-entry table; no compiler builtins. */
static inline int32_t tp_lowest_bit(uint32_t bits)
{
    static const uint8_t position[8] = { 7, 0, 1, 3, 6, 2, 5, 4 };
    return (int32_t)position[(((bits & (0u - bits)) * 0x17u) >> 4) & 7u];
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

/** Entries of CSR row `c`: the low byte, plus the high byte when rows can exceed 255. */
static inline int32_t tp_csr_entries(const uint8_t *entries, const uint8_t *entries_high, int32_t c)
{
    return (int32_t)entries[c] | (entries_high != NULL ? (int32_t)entries_high[c] << 8 : 0);
}

/**
 * CSR weights with uint8 gaps: one multiply-add per stored entry.
 * @param entries      `[units]` entries per row (fillers included), low byte
 * @param entries_high `[units]` high bytes, or NULL when no row has more than 255 entries
 * @param gaps    per entry, the distance in inputs from the previous entry (from input 0 for
 *                a row's first entry)
 * @param values  per entry, the weight (0 for a filler)
 */
static inline void tp_dense_csr_s8(const tp_dense_s8_params *p, const int8_t *input, const uint8_t *entries,
                                   const uint8_t *entries_high, const uint8_t *gaps, const int8_t *values, int8_t *output)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_dense_s8_params q = *p;
    int32_t r, c;
    for (r = 0; r < q.rows; ++r) {
        const int8_t *x = input + (size_t)r * (size_t)q.input_width;
        const uint8_t *g = gaps;
        const int8_t *v = values;
        for (c = 0; c < q.units; ++c) {
            int32_t acc = q.output.bias[c];
            const int8_t *xp = x;
            const uint8_t *end = g + tp_csr_entries(entries, entries_high, c);
            while (g < end) {
                xp += *g++;
                acc += (int32_t)(*v++) * (int32_t)(*xp);
            }
            output[(size_t)r * (size_t)q.units + (size_t)c] = tp_channel_output(&q.output, c, acc);
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


/**
 * Bitmask filters (`[out_channels, ceil(length / 8)]` mask bytes, nonzero values row by row),
 * visiting only the set bits.
 * Same layout and scratch as `tp_conv2d_s8`.
 */
static inline void tp_conv2d_bitmask_s8(const tp_conv2d_s8_params *p, const int8_t *input, const uint8_t *mask,
                                        const int8_t *values, int32_t *tap_offsets, int8_t *output)
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

/**
 * CSR filters with uint8 gaps (`entries[out_channels]` and `entries_high` as in
 * `tp_dense_csr_s8`, then a gap and a value per entry).
 * The position `(tap, channel)` advances by each gap; filler entries (value 0) bridge gaps
 * over 255. Same layout and scratch as `tp_conv2d_s8`.
 */
static inline void tp_conv2d_csr_s8(const tp_conv2d_s8_params *p, const int8_t *input, const uint8_t *entries,
                                    const uint8_t *entries_high, const uint8_t *gaps, const int8_t *values,
                                    int32_t *tap_offsets, int8_t *output)
{
    /* A local copy: the int8 output stores could alias the parameters, which would
     * force every field to be reloaded after each store. */
    const tp_conv2d_s8_params q = *p;
    const tp_window *w = &q.window;
    int32_t oy, ox, c, k;
    for (oy = 0; oy < w->output_h; ++oy) {
        for (ox = 0; ox < w->output_w; ++ox) {
            int8_t *out = output + (size_t)(oy * w->output_w + ox) * (size_t)q.out_channels;
            const uint8_t *g = gaps;
            const int8_t *v = values;
            tp_conv_tap_offsets(w, oy, ox, tap_offsets);
            for (c = 0; c < q.out_channels; ++c) {
                const int32_t base = (c / q.group_outputs) * q.group_width;
                const int32_t n = tp_csr_entries(entries, entries_high, c);
                int32_t acc = q.output.bias[c];
                int32_t t = 0, i = 0;
                for (k = 0; k < n; ++k) {
                    i += (int32_t)(*g++);
                    while (i >= q.group_width) {
                        i -= q.group_width;
                        ++t;
                    }
                    acc += (int32_t)(*v++) * tp_conv_input(input, tap_offsets[t], base + i, q.input_zero_point);
                }
                out[c] = tp_channel_output(&q.output, c, acc);
            }
        }
    }
}

/**
 * N:M filters (`tp_dense_nm_s8`'s layout over each filter row). Same scratch as
 * `tp_conv2d_s8`.
 */
static inline void tp_conv2d_nm_s8(const tp_conv2d_s8_params *p, const tp_nm_pattern *pattern, const int8_t *input,
                                   const uint8_t *indices, const int8_t *values, int32_t *tap_offsets, int8_t *output)
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

#endif /* TP_SPARSE_S8_H */
