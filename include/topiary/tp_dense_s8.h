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
 * - dense: `int8 weights[units * input_width]`, in blocks of four units (see `tp_dense_s8`);
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

/*
 * Dense weights are stored for the kernel in blocks of four units, so that each input word,
 * read and widened once, meets four weight words that follow one another: per group of four
 * inputs `k`, the 16 bytes `w[u][4k..4k+3]` of units `u = c..c+3`, then per unit of the block
 * its last `input_width % 4` weights. Units after the last full block keep their rows.
 */

/** The sums of a block of four units (`sums[0..3]`) with the input `x` over `groups` groups
 *  of four inputs, `w` at the block's first group: per group one input word widened once
 *  and four weight words, 8 `__smlad` for 5 loads and 5 widenings. */
TP_LOOP_FUNCTION void tp_dot4_s8(const int8_t *w, const int8_t *x, int32_t groups, int32_t *sums)
{
    int32_t s0 = sums[0], s1 = sums[1], s2 = sums[2], s3 = sums[3], k;
#if defined(TP_USE_DSP)
    for (k = groups; k > 0; --k) {
        const uint32_t words = tp_read_s8x4(x);
        const int32_t even = __sxtb16(words), odd = tp_sxtb16_odd(words);
        uint32_t a = tp_read_s8x4(w), b = tp_read_s8x4(w + 4);
        x += 4;
        s0 = __smlad(__sxtb16(a), even, s0);
        s0 = __smlad(tp_sxtb16_odd(a), odd, s0);
        s1 = __smlad(__sxtb16(b), even, s1);
        s1 = __smlad(tp_sxtb16_odd(b), odd, s1);
        a = tp_read_s8x4(w + 8);
        b = tp_read_s8x4(w + 12);
        w += 16;
        s2 = __smlad(__sxtb16(a), even, s2);
        s2 = __smlad(tp_sxtb16_odd(a), odd, s2);
        s3 = __smlad(__sxtb16(b), even, s3);
        s3 = __smlad(tp_sxtb16_odd(b), odd, s3);
    }
#else
    for (k = groups; k > 0; --k) {
        const int32_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
        s0 += (int32_t)w[0] * x0 + (int32_t)w[1] * x1 + (int32_t)w[2] * x2 + (int32_t)w[3] * x3;
        s1 += (int32_t)w[4] * x0 + (int32_t)w[5] * x1 + (int32_t)w[6] * x2 + (int32_t)w[7] * x3;
        s2 += (int32_t)w[8] * x0 + (int32_t)w[9] * x1 + (int32_t)w[10] * x2 + (int32_t)w[11] * x3;
        s3 += (int32_t)w[12] * x0 + (int32_t)w[13] * x1 + (int32_t)w[14] * x2 + (int32_t)w[15] * x3;
        x += 4;
        w += 16;
    }
#endif
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}

/**
 * Dense weights, in blocks of four units (above).
 * @param input   `[rows, input_width]`
 * @param weights `[units * input_width]`, blocked
 * @param output  `[rows, units]`
 */
static inline void tp_dense_s8(const tp_dense_s8_params *p, const int8_t *input, const int8_t *weights, int8_t *output)
{
    /* The sizes in locals and the parameters read through `p` only around each block of
     * units: few values live across the inner loop, which then keeps its sums, pointers and
     * widened words in registers. */
    const int32_t width = p->input_width, units = p->units, rows = p->rows;
    const int32_t groups = width >> 2, rest = width & 3;
    int32_t r, c, i, j;
    for (r = 0; r < rows; ++r) {
        const int8_t *x = input + (size_t)r * (size_t)width;
        const int8_t *w = weights;
        int8_t *y = output + (size_t)r * (size_t)units;
        for (c = 0; c + 4 <= units; c += 4, w += 4 * (size_t)width) {
            const int8_t *tail = w + 16 * groups;
            int32_t sums[4];
            for (j = 0; j < 4; ++j) sums[j] = p->output.bias[c + j];
            tp_dot4_s8(w, x, groups, sums);
            for (j = 0; j < 4; ++j) {
                for (i = 0; i < rest; ++i) sums[j] += (int32_t)tail[j * rest + i] * (int32_t)x[4 * groups + i];
                y[c + j] = tp_channel_output(&p->output, c + j, sums[j]);
            }
        }
        /* The last units (at most three), one row each. */
        for (; c < units; ++c, w += width) y[c] = tp_channel_output(&p->output, c, p->output.bias[c] + tp_dot_s8(w, x, width));
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
