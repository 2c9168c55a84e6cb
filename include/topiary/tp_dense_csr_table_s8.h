/**
 * @file tp_dense_csr_table_s8.h
 * @brief int8 Dense layers stored as CSR rows whose per-row data sits in two small tables, one
 *        word pair and a few bytes per row, so that a row costs few instructions besides its
 *        entries.
 *
 * A pruned layer keeps a handful of entries per row (about six on a digits MLP at 90%
 * sparsity), so the cost of a row, not of an entry, decides its time. With the bias,
 * multiplier, shift and entry count in four arrays, the row loop walks four pointers besides
 * the entries' index and value pointers, the inputs and the outputs, more than the core's
 * registers hold once the output stage takes its own: the inputs' pointer was reloaded from
 * the stack for every entry. Paired, the row data takes two pointers, and the entry loop can
 * be unrolled by four (a jump into the unrolled body for the first `n % 4` entries), by eight
 * in the rows after a ReLU.
 *
 * A row of more than `TP_CSR_SEGMENT` inputs is cut into segments (`tp_sparse_s8.h`'s CSR),
 * each with its entry count in the row's bytes: the row sums its segments one after another
 * through the same unrolled loop, the inputs' pointer stepped by a segment between them, and
 * goes through the same output stage. A layer of one segment per row runs a body without
 * that loop.
 *
 * Layout (`units` rows of `segments = tp_csr_segments(input_width)` segments each,
 * `tp_sparse_s8.h`'s CSR otherwise):
 * - `constants`: per row its bias (input zero point folded in) and its Q31 multiplier,
 *   `int32 [units, 2]`;
 * - `heads`: per row the number of entries of each of its segments, then `-shift - 2` as a
 *   byte (two's complement), `uint8 [units, segments + 1]`: the number of bits the folded
 *   output stage shifts its high word by before `SSAT`'s own shift of one, and its rounding
 *   word's shift (the general stage takes the shift back from it);
 * - `indices` and `values`: per entry its input's index within its segment (uint8) and its
 *   weight, row by row and segment by segment.
 * The bytes are those of the four arrays they replace.
 */
#ifndef TP_DENSE_CSR_TABLE_S8_H
#define TP_DENSE_CSR_TABLE_S8_H

#include "tp_channel_scale_s8.h"

/** Inputs a CSR segment spans: entry indices are uint8 within their segment, and a segment
 *  holds at most 255 entries, so that one byte counts them. */
#define TP_CSR_SEGMENT 255

/** CSR segments of a row of `length` inputs. */
static inline int32_t tp_csr_segments(int32_t length)
{
    return (length + TP_CSR_SEGMENT - 1) / TP_CSR_SEGMENT;
}

/** A Dense layer of CSR rows with tabled row data. */
typedef struct {
    /** Input vectors. */
    int32_t rows;
    /** Inputs of a vector: `tp_csr_segments(input_width)` segments per row. */
    int32_t input_width;
    int32_t units;
    /** `[units, 2]`: bias, multiplier. */
    const int32_t *constants;
    /** `[units, segments + 1]`: entry count of each segment, `-shift - 2` (an int8 stored as
     *  its byte). */
    const uint8_t *heads;
    int32_t output_zero_point;
    int32_t output_min;
    int32_t output_max;
    /** 1 when every row's shift lies in -2 down to `-1 - TP_CHANNEL_SCALE_S8_FOLDED_EXPONENT`
     *  and the clamp is the whole int8 range: on the DSP extension each row then takes the
     *  folded output stage of `tp_channel_scale_s8.h`, decided once for the layer when it is
     *  converted rather than tested at every row. */
    int32_t folded;
} tp_dense_csr_table_s8_params;

/** `acc` plus the sum of a row's `n` entries, `*indices` and `*values` moved past them. On the
 *  DSP extension four entries per turn of the loop, which is entered at the place that leaves
 *  `n % 4` for the first turn, so the loop test serves four multiply-adds, not one. The test
 *  compares the values' pointer with its end, which also lets a row of no entries (entered at
 *  the test) through without a test of its own and needs no count of turns; on a core
 *  without it (Armv6-M: no load with an immediate offset for a signed byte, eight registers
 *  within reach) the unrolled body costs more per entry than the plain loop's test saves. */
TP_LOOP_BODY int32_t tp_csr_table_entries_s8(int32_t acc, int32_t n, const uint8_t **indices, const int8_t **values, const int8_t *x)
{
    const uint8_t *i = *indices;
    const int8_t *v = *values;
    const int8_t *const end = v + n;
#if defined(TP_USE_DSP)
    switch (n & 3) {
    case 0:
        while (v != end) {
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
        }
    }
#else
    while (v != end) acc += (int32_t)(*v++) * (int32_t)x[*i++];
#endif
    *indices = i;
    *values = v;
    return acc;
}

#if defined(TP_USE_DSP)
/** `tp_csr_table_entries_s8` on the DSP extension with eight entries per turn, entered
 *  through a table of branches (`TBB`, which GCC emits for a switch of eight cases and not for
 *  one of four): fewer instructions per row than the four-way body's chain of compares, for
 *  a body twice as long, which only the ReLU layers' rows take. */
TP_LOOP_BODY int32_t tp_csr_table_entries8_s8(int32_t acc, int32_t n, const uint8_t **indices, const int8_t **values, const int8_t *x)
{
    const uint8_t *i = *indices;
    const int8_t *v = *values;
    const int8_t *const end = v + n;
    switch (n & 7) {
    case 0:
        while (v != end) {
            acc += (int32_t)(*v++) * (int32_t)x[*i++];
            /* fall through */
        case 7:
            acc += (int32_t)(*v++) * (int32_t)x[*i++];
            /* fall through */
        case 6:
            acc += (int32_t)(*v++) * (int32_t)x[*i++];
            /* fall through */
        case 5:
            acc += (int32_t)(*v++) * (int32_t)x[*i++];
            /* fall through */
        case 4:
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
        }
    }
    *indices = i;
    *values = v;
    return acc;
}
#endif

/* A row's bytes and its word pair are read with post-indexed loads (`LDRB r, [p], #1`,
 * `LDRD r, r, [p], #8`), each one instruction that also steps its pointer. Under GCC a
 * single-instruction `__asm__` statement: from C it reads them at offsets and steps each of
 * the two pointers with an addition of its own, and reads the pair as two words. Both words
 * are read before the entries: the multiplier then holds a register through the entry loop,
 * which still finds registers enough (GCC spills none). Other compilers, and cores without the
 * DSP extension (whose portable bodies read the rows too), take the C. */

/** `**p`, `*p` moved past it. */
TP_LOOP_BODY int32_t tp_csr_table_next_byte(const uint8_t **p)
{
#if defined(TP_USE_DSP) && defined(__GNUC__) && !defined(__clang__)
    int32_t byte;
    __asm__("ldrb %0, [%1], #1" : "=r"(byte), "+r"(*p) : "m"(**p));
    return byte;
#else
    return *(*p)++;
#endif
}

/** `(*p)[0]` into `*first` and `(*p)[1]` into `*second`, `*p` moved past both: a row's bias and
 *  multiplier in one `LDRD`, one instruction where two loads took two. */
TP_LOOP_BODY void tp_csr_table_next_pair(const int32_t **p, int32_t *first, int32_t *second)
{
#if defined(TP_USE_DSP) && defined(__GNUC__) && !defined(__clang__)
    __asm__("ldrd %0, %1, [%2], #8" : "=r"(*first), "=r"(*second), "+r"(*p) : "m"(*(const int32_t(*)[2]) * p));
#else
    *first = (*p)[0];
    *second = (*p)[1];
    *p += 2;
#endif
}

/** `acc` plus the sum of the `n` entries of a segment over its inputs `x`, by
 *  `tp_csr_table_entries_s8` (by `tp_csr_table_entries8_s8` when `eight`, a constant where
 *  inlined, on the DSP extension); `*indices` and `*values` moved past them. */
TP_LOOP_BODY int32_t tp_csr_table_segment_s8(int32_t acc, int32_t n, const uint8_t **indices, const int8_t **values,
                                             const int8_t *x, int eight)
{
#if defined(TP_USE_DSP)
    return eight ? tp_csr_table_entries8_s8(acc, n, indices, values, x) : tp_csr_table_entries_s8(acc, n, indices, values, x);
#else
    (void)eight;
    return tp_csr_table_entries_s8(acc, n, indices, values, x);
#endif
}

/** `*x` moved to the next segment's inputs. Under GCC the pointer is then hidden from the
 *  optimizer (an empty `__asm__` that claims to change it): seen through, GCC ended the loop
 *  over a row's segments on a pointer to the end of its last, kept besides a pointer to its
 *  first and one past that, and spilled the end to the stack, a load per segment and two
 *  more per row. Hidden, the loop counts its segments down and the row loop spills nothing. */
TP_LOOP_BODY void tp_csr_table_next_segment(const int8_t **x)
{
    *x += TP_CSR_SEGMENT;
#if defined(__GNUC__) && !defined(__clang__)
    __asm__("" : "+r"(*x));
#endif
}

/** The rows over one input vector `x` into `out[0..units)`, each of `segments` segments and
 *  requantized by `tp_requantize` to the layer's clamp: the portable body, and the DSP body's
 *  when the layer is not `folded`. */
TP_LOOP_BODY void tp_csr_table_requantized_rows_s8(const tp_dense_csr_table_s8_params *p, int32_t segments, const uint8_t *indices,
                                                   const int8_t *values, const int8_t *x, int8_t *out)
{
    const int32_t *constants = p->constants;
    const uint8_t *heads = p->heads;
    const int32_t zero_point = p->output_zero_point, low = p->output_min, high = p->output_max;
    int8_t *const last = out + p->units;
    for (; out != last; ++out, constants += 2) {
        int32_t acc = constants[0];
        /* See `tp_csr_table_folded_rows_s8`. */
        if (segments == 1) {
            acc = tp_csr_table_segment_s8(acc, tp_csr_table_next_byte(&heads), &indices, &values, x, 0);
        } else {
            int32_t s = segments;
            do {
                acc = tp_csr_table_segment_s8(acc, *heads++, &indices, &values, x, 0);
                tp_csr_table_next_segment(&x);
            } while (--s != 0);
            x -= segments * TP_CSR_SEGMENT;
        }
        *out = tp_requantize(acc, constants[1], -(int32_t)(int8_t)*heads++ - 2, zero_point, low, high);
    }
}

/** `tp_csr_table_requantized_rows_s8` for rows of one segment and of `segments`: one function
 *  each, so that a layer of one segment per row runs no loop over segments. */
TP_LOOP_FUNCTION void tp_csr_table_rows_s8(const tp_dense_csr_table_s8_params *p, const uint8_t *indices, const int8_t *values,
                                           const int8_t *x, int8_t *out)
{
    tp_csr_table_requantized_rows_s8(p, 1, indices, values, x, out);
}

TP_LOOP_FUNCTION void tp_csr_table_segmented_rows_s8(const tp_dense_csr_table_s8_params *p, int32_t segments,
                                                     const uint8_t *indices, const int8_t *values, const int8_t *x, int8_t *out)
{
    tp_csr_table_requantized_rows_s8(p, segments, indices, values, x, out);
}

#if defined(TP_USE_DSP)
/** The output of a row's sum `acc` through the folded output stage of
 *  `tp_channel_scale_s8_folded` written out for `k = -shift - 2` (the row's byte), its
 *  rounding word `rounding` (`zero_point_word << k`, the zero point folded in): the high word
 *  of the sum is shifted right by `k`, then by one inside `SSAT`. No addition of the zero
 *  point, no test of the shift, no branch.
 *
 *  `positive` (a constant where inlined) says the zero point is -128, as after a ReLU. The
 *  sign terms, the word pair's `- [acc < 0] * 2^31`, are then left out: for a sum of 0 or
 *  below the product is not positive (the multiplier is not negative), so the high word is at
 *  most the rounding word, `-255 * 2^k`, and the shifted value at most -128, which `SSAT`
 *  leaves at -128, what the exact stage gives there too. */
TP_LOOP_BODY int8_t tp_csr_table_folded_output_s8(int32_t acc, int32_t multiplier, int32_t k, int32_t rounding, int positive)
{
    const uint32_t half = 0x40000000u;
    int64_t sum;
    if (positive) {
        sum = (int64_t)(((uint64_t)(uint32_t)rounding << 32) | half);
    } else {
        const int32_t sign = acc >> 31;
        sum = (int64_t)(((uint64_t)(uint32_t)(rounding + sign) << 32) | (((uint32_t)sign << 31) | half));
    }
    sum += (int64_t)acc * multiplier;
    return (int8_t)__ssat(((int32_t)(sum >> 32) >> k) >> 1, 8);
}

/** The rows of a `folded` layer over one input vector, each of `segments` segments and through
 *  `tp_csr_table_folded_output_s8`; `positive` (a constant where inlined) says the zero point
 *  is -128. */
TP_LOOP_BODY void tp_csr_table_folded_rows_s8(const int32_t *constants, const uint8_t *heads, int32_t zero_point, int32_t units,
                                               int32_t segments, const uint8_t *indices, const int8_t *values, const int8_t *x,
                                               int8_t *out, int positive)
{
    const uint32_t zero_point_word = tp_channel_scale_s8_zero_point_word(zero_point);
    int8_t *const last = out + units;
    for (; out != last; ++out) {
        int32_t acc, multiplier, k;
        tp_csr_table_next_pair(&constants, &acc, &multiplier);
        /* `segments` is a constant where inlined: a row of one segment runs no loop. A row of
         * several segments steps `x` from one to the next, then back to its first by a
         * constant: one pointer to the inputs, where a pointer to the row's first segment
         * beside one to the current segment took a register more, and the row loop then kept
         * its output pointer on the stack. The segments' counts are read in C, which GCC
         * turns into the same post-indexed load: through `tp_csr_table_next_byte` it copied
         * the pointer to the heads into another register and back at every segment. */
        if (segments == 1) {
            acc = tp_csr_table_segment_s8(acc, tp_csr_table_next_byte(&heads), &indices, &values, x, positive);
        } else {
            int32_t s = segments;
            do {
                acc = tp_csr_table_segment_s8(acc, *heads++, &indices, &values, x, positive);
                tp_csr_table_next_segment(&x);
            } while (--s != 0);
            x -= segments * TP_CSR_SEGMENT;
        }
        k = tp_csr_table_next_byte(&heads);
        *out = tp_csr_table_folded_output_s8(acc, multiplier, k, (int32_t)(zero_point_word << k), positive);
    }
}

/** `tp_csr_table_folded_rows_s8` after a ReLU (zero point -128) and for any other zero point,
 *  for rows of one segment and of `segments`: one function each, so that a model's ReLU
 *  layers share one body and a layer of one segment per row runs no loop over segments. */
TP_LOOP_FUNCTION void tp_csr_table_positive_rows_s8(const int32_t *constants, const uint8_t *heads, int32_t units,
                                                    const uint8_t *indices, const int8_t *values, const int8_t *x, int8_t *out)
{
    tp_csr_table_folded_rows_s8(constants, heads, -128, units, 1, indices, values, x, out, 1);
}

TP_LOOP_FUNCTION void tp_csr_table_signed_rows_s8(const int32_t *constants, const uint8_t *heads, int32_t zero_point, int32_t units,
                                                  const uint8_t *indices, const int8_t *values, const int8_t *x, int8_t *out)
{
    tp_csr_table_folded_rows_s8(constants, heads, zero_point, units, 1, indices, values, x, out, 0);
}

TP_LOOP_FUNCTION void tp_csr_table_positive_segmented_rows_s8(const int32_t *constants, const uint8_t *heads, int32_t units,
                                                              int32_t segments, const uint8_t *indices, const int8_t *values,
                                                              const int8_t *x, int8_t *out)
{
    tp_csr_table_folded_rows_s8(constants, heads, -128, units, segments, indices, values, x, out, 1);
}

TP_LOOP_FUNCTION void tp_csr_table_signed_segmented_rows_s8(const int32_t *constants, const uint8_t *heads, int32_t zero_point,
                                                            int32_t units, int32_t segments, const uint8_t *indices,
                                                            const int8_t *values, const int8_t *x, int8_t *out)
{
    tp_csr_table_folded_rows_s8(constants, heads, zero_point, units, segments, indices, values, x, out, 0);
}
#endif

/**
 * CSR rows with tabled row data over each of `rows` input vectors.
 * @param indices per entry, the input's index within its segment (uint8)
 * @param values  per entry, the weight
 */
TP_LOOP_BODY void tp_dense_csr_table_s8(const tp_dense_csr_table_s8_params *p, const int8_t *input, const uint8_t *indices,
                                        const int8_t *values, int8_t *output)
{
    const int32_t rows = p->rows, width = p->input_width, units = p->units, segments = tp_csr_segments(width);
    int32_t r;
    for (r = 0; r < rows; ++r) {
        const int8_t *x = input + (size_t)r * (size_t)width;
        int8_t *out = output + (size_t)r * (size_t)units;
        /* `folded`, the zero point and `segments` are constants where the kernel is inlined
         * (the parameters are constant), so a model carries only the bodies its layers take. */
#if defined(TP_USE_DSP)
        if (p->folded && p->output_zero_point == -128) {
            if (segments == 1) {
                tp_csr_table_positive_rows_s8(p->constants, p->heads, units, indices, values, x, out);
            } else {
                tp_csr_table_positive_segmented_rows_s8(p->constants, p->heads, units, segments, indices, values, x, out);
            }
            continue;
        }
        if (p->folded) {
            if (segments == 1) {
                tp_csr_table_signed_rows_s8(p->constants, p->heads, p->output_zero_point, units, indices, values, x, out);
            } else {
                tp_csr_table_signed_segmented_rows_s8(p->constants, p->heads, p->output_zero_point, units, segments, indices,
                                                      values, x, out);
            }
            continue;
        }
#endif
        if (segments == 1) {
            tp_csr_table_rows_s8(p, indices, values, x, out);
        } else {
            tp_csr_table_segmented_rows_s8(p, segments, indices, values, x, out);
        }
    }
}

#endif /* TP_DENSE_CSR_TABLE_S8_H */
