/**
 * @file tp_dense_csr_table_s8.h
 * @brief int8 Dense layers of at most 255 inputs stored as CSR rows whose per-row data sits
 *        in two small tables, one word pair and one byte pair per row, so that a row costs
 *        few instructions besides its entries.
 *
 * A pruned layer keeps a handful of entries per row (about six on a digits MLP at 90%
 * sparsity), so the cost of a row, not of an entry, decides its time. With the bias,
 * multiplier, shift and entry count in four arrays, the row loop walks four pointers besides
 * the entries' index and value pointers, the inputs and the outputs, more than the core's
 * registers hold once the output stage takes its own: the inputs' pointer was reloaded from
 * the stack for every entry. Paired, the row data takes two pointers, and the entry loop can
 * be unrolled by four (a jump into the unrolled body for the first `n % 4` entries).
 *
 * Layout (`units` rows of one segment each, `tp_sparse_s8.h`'s CSR otherwise):
 * - `constants`: per row its bias (input zero point folded in) and its Q31 multiplier,
 *   `int32 [units, 2]`;
 * - `heads`: per row its number of entries and its shift as a byte (two's complement),
 *   `uint8 [units, 2]`;
 * - `indices` and `values`: per entry its input's index (uint8) and its weight, row by row.
 * The bytes are those of the four arrays they replace.
 */
#ifndef TP_DENSE_CSR_TABLE_S8_H
#define TP_DENSE_CSR_TABLE_S8_H

#include "tp_channel_scale_s8.h"

/** A Dense layer of CSR rows with tabled row data. */
typedef struct {
    /** Input vectors. */
    int32_t rows;
    /** Inputs of a vector: at most 255, each entry's index is one byte. */
    int32_t input_width;
    int32_t units;
    /** `[units, 2]`: bias, multiplier. */
    const int32_t *constants;
    /** `[units, 2]`: entry count, shift (an int8 stored as its byte). */
    const uint8_t *heads;
    int32_t output_zero_point;
    int32_t output_min;
    int32_t output_max;
} tp_dense_csr_table_s8_params;

/** `acc` plus the sum of a row's `n` entries, `*indices` and `*values` moved past them. On the
 *  DSP extension four entries per turn of the loop, which is entered at the place that leaves
 *  `n % 4` for the first turn, so the loop test serves four multiply-adds, not one; on a core
 *  without it (Armv6-M: no load with an immediate offset for a signed byte, eight registers
 *  within reach) the unrolled body costs more per entry than the plain loop's test saves. */
TP_LOOP_BODY int32_t tp_csr_table_entries_s8(int32_t acc, int32_t n, const uint8_t **indices, const int8_t **values, const int8_t *x)
{
    const uint8_t *i = *indices;
    const int8_t *v = *values;
#if defined(TP_USE_DSP)
    int32_t quads = (n + 3) >> 2;
    if (n == 0) return acc;
    switch (n & 3) {
    case 0:
        do {
            acc += (int32_t)(*v++) * (int32_t)x[*i++];
            /* fall through */
        case 3:
            acc += (int32_t)(*v++) * (int32_t)x[*i++];
            /* fall through */
        case 2:
            acc += (int32_t)(*v++) * (int32_t)x[*i++];
            /* fall through */
        case 1:
            acc += (int32_t)(*v++) * (int32_t)x[*i++];
        } while (--quads > 0);
    }
#else
    const int8_t *const end = v + n;
    while (v != end) acc += (int32_t)(*v++) * (int32_t)x[*i++];
#endif
    *indices = i;
    *values = v;
    return acc;
}

/** `tp_requantize` to the whole int8 range, for the rare row whose shift the short stage
 *  cannot take: a call of its own, so that the row loop keeps none of its operands. */
TP_LOOP_FUNCTION int8_t tp_csr_table_output_s8(int32_t acc, int32_t multiplier, int32_t shift, int32_t zero_point)
{
    return tp_requantize(acc, multiplier, shift, zero_point, -128, 127);
}

/** The rows over one input vector `x` into `out[0..units)`, each requantized by
 *  `tp_requantize` to the layer's clamp: the portable body, and the DSP body's when a fused
 *  activation narrows the clamp. */
TP_LOOP_FUNCTION void tp_csr_table_rows_s8(const tp_dense_csr_table_s8_params *p, const uint8_t *indices, const int8_t *values,
                                           const int8_t *x, int8_t *out)
{
    const int32_t *constants = p->constants;
    const uint8_t *heads = p->heads;
    const int32_t zero_point = p->output_zero_point, low = p->output_min, high = p->output_max;
    int8_t *const last = out + p->units;
    for (; out != last; ++out, constants += 2, heads += 2) {
        const int32_t n = heads[0];
        int32_t acc = constants[0];
        acc = tp_csr_table_entries_s8(acc, n, &indices, &values, x);
        *out = tp_requantize(acc, constants[1], (int32_t)(int8_t)heads[1], zero_point, low, high);
    }
}

#if defined(TP_USE_DSP)
/** The rows over one input vector when the clamp is the whole int8 range: every row whose
 *  shift is -2 or below through the short output stage of `tp_channel_scale_s8.h` (one
 *  `SMLAL`, a shift and `SSAT`), the others through `tp_csr_table_output_s8`. When the zero
 *  point is -128 (a ReLU's output), a sum of 0 or below gives -128 whatever the row's scale
 *  (the multiplier is not negative, so the scaled sum is not positive, and the clamp takes
 *  the rest): about half the rows of a ReLU layer skip their output stage. */
TP_LOOP_FUNCTION void tp_csr_table_rows_short_s8(const int32_t *constants, const uint8_t *heads, int32_t zero_point, int32_t units,
                                                 const uint8_t *indices, const int8_t *values, const int8_t *x, int8_t *out)
{
    /* Sums below it give -128 without their output stage: 1 when the zero point is -128, else
     * the smallest int32, which no sum is below. */
    const int32_t below = zero_point == -128 ? 1 : INT32_MIN;
    int8_t *const last = out + units;
    for (; out != last; ++out, constants += 2, heads += 2) {
        const int32_t n = heads[0], shift = (int8_t)heads[1];
        int32_t acc = constants[0];
        acc = tp_csr_table_entries_s8(acc, n, &indices, &values, x);
        if (acc < below) {
            *out = -128;
        } else if (shift <= -2) {
            const tp_channel_scale_s8 scale = tp_channel_scale_s8_of(constants[1], shift);
            *out = (int8_t)tp_channel_scaled_s8(acc, scale.multiplier, scale.exponent, scale.rounding, zero_point);
        } else {
            *out = tp_csr_table_output_s8(acc, constants[1], shift, zero_point);
        }
    }
}
#endif

/**
 * CSR rows with tabled row data over each of `rows` input vectors.
 * @param indices per entry, the input's index (uint8)
 * @param values  per entry, the weight
 */
TP_LOOP_BODY void tp_dense_csr_table_s8(const tp_dense_csr_table_s8_params *p, const int8_t *input, const uint8_t *indices,
                                        const int8_t *values, int8_t *output)
{
    const int32_t rows = p->rows, width = p->input_width, units = p->units;
    int32_t r;
    for (r = 0; r < rows; ++r) {
        const int8_t *x = input + (size_t)r * (size_t)width;
        int8_t *out = output + (size_t)r * (size_t)units;
#if defined(TP_USE_DSP)
        /* The clamp is a constant where the kernel is inlined (the parameters are constant),
         * so a model carries only the body its layers take. */
        if (p->output_min == -128 && p->output_max == 127) {
            tp_csr_table_rows_short_s8(p->constants, p->heads, p->output_zero_point, units, indices, values, x, out);
            continue;
        }
#endif
        tp_csr_table_rows_s8(p, indices, values, x, out);
    }
}

#endif /* TP_DENSE_CSR_TABLE_S8_H */
