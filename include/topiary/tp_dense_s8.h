/**
 * @file tp_dense_s8.h
 * @brief int8 Dense layers with weights stored dense, as a bitmask, as CSR rows with uint8
 *        gaps, or in an N:M pattern. The sparse kernels visit only the stored entries: the
 *        work is proportional to the nonzeros, and nothing is densified.
 *
 * Weights are rows, one per output unit, over the inputs: `W[units][input_width]`. A rank>1
 * input `[rows, input_width]` is treated as `rows` independent vectors, as Keras does.
 *
 * Formats (all rows concatenated; see each kernel):
 * - dense: `int8 weights[units * input_width]`;
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
#ifndef TP_DENSE_S8_H
#define TP_DENSE_S8_H

#include "tp_s8.h"

/** Index (0..7) of the lowest set bit of a nonzero byte: the bit isolated (`bits & -bits`),
 *  then a de Bruijn multiply into an 8-entry table; no compiler builtins. */
static inline int32_t tp_lowest_bit(uint32_t bits)
{
    static const uint8_t position[8] = { 7, 0, 1, 3, 6, 2, 5, 4 };
    return (int32_t)position[(((bits & (0u - bits)) * 0x17u) >> 4) & 7u];
}

/** Parameters of the int8 Dense kernels. */
typedef struct {
    /** Independent input vectors (1 for a flat input). */
    int32_t rows;
    int32_t input_width;
    int32_t units;
    tp_channel_output_s8 output;
} tp_dense_s8_params;

/**
 * Dense weights.
 * @param input   `[rows, input_width]`
 * @param weights `[units, input_width]`
 * @param output  `[rows, units]`
 */
static inline void tp_dense_s8(const tp_dense_s8_params *p, const int8_t *input, const int8_t *weights, int8_t *output)
{
    /* The sizes in locals and the parameters read through `p` only around each pair of
     * units: few values live across the inner loop, which then keeps its sums, pointers and
     * widened words in registers. */
    const int32_t width = p->input_width, units = p->units, rows = p->rows;
    int32_t r, c;
    for (r = 0; r < rows; ++r) {
        const int8_t *x = input + (size_t)r * (size_t)width;
        const int8_t *w = weights;
        int8_t *y = output + (size_t)r * (size_t)units;
        /* Two units at a time: each input value is loaded once for two weight rows. */
        for (c = 0; c + 2 <= units; c += 2, w += 2 * (size_t)width) {
            int32_t acc0 = p->output.bias[c], acc1 = p->output.bias[c + 1];
            tp_dot2_s8(w, w + width, x, width, &acc0, &acc1);
            y[c] = tp_channel_output(&p->output, c, acc0);
            y[c + 1] = tp_channel_output(&p->output, c + 1, acc1);
        }
        if (c < units) y[c] = tp_channel_output(&p->output, c, p->output.bias[c] + tp_dot_s8(w, x, width));
    }
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

#endif /* TP_DENSE_S8_H */
