/**
 * @file tp_softmax_s8.h
 * @brief int8 softmax by exponential table, without floating point.
 *
 * Softmax is unchanged by subtracting a constant, so each slice is taken relative to its
 * largest value: `k = max - q` is in 0..255 and `table[k] = round(2^15 * exp(-s_in * k))`,
 * computed offline for the input scale; the entries past the last nonzero one (the
 * exponential rounded to 0) are not stored, which for the input scales of trained
 * classifiers leaves out most of the table. The output, at scale 1/256 and zero point -128 (as
 * TensorFlow Lite fixes for int8 softmax), is `round(256 * e / sum(e)) - 128`, one integer
 * division per element. Slices must be shorter than 65,536 elements: the sum is then below
 * 2^31 and the rounded quotient `(512 e + sum) / (2 sum)` fits 32 bits, so the division is
 * the core's 32-bit divide (one instruction on the Cortex-M3/M4/M7) and never a call to the C
 * library's 64-bit long division.
 */
#ifndef TP_SOFTMAX_S8_H
#define TP_SOFTMAX_S8_H

#include "topiary.h"

#if defined(__ARM_FEATURE_SAT)
#include <arm_acle.h>
#endif

/** The slices of `tp_softmax_s8`: the input seen as `[outer, length, inner]`. */
typedef struct {
    int32_t outer;
    int32_t length; /**< the softmax axis */
    int32_t inner;
    /** Exponentials stored (1 to 256): `table[k]` is 0 for every `k` from `entries` on. */
    int32_t entries;
} tp_softmax_s8_params;

/** The table's exponential for `k = max - q` (0..255), 0 past the stored entries. */
static inline uint32_t tp_softmax_exponential(const uint16_t *table, uint32_t entries, uint32_t k)
{
    return k < entries ? (uint32_t)table[k] : 0u;
}

/** `quotient` (0 to 256: 256 where one element holds the whole sum) clamped to 255, one `USAT`
 *  where the core has it. */
static inline uint32_t tp_softmax_clamp(uint32_t quotient)
{
#if defined(__ARM_FEATURE_SAT)
    return (uint32_t)__usat((int32_t)quotient, 8);
#else
    return quotient > 255u ? 255u : quotient;
#endif
}

/**
 * Softmax along the middle axis of `[outer, length, inner]`.
 * @param table  `params->entries` exponentials
 * @param output may be `input`
 */
static inline void tp_softmax_s8(const tp_softmax_s8_params *params, const int8_t *input, const uint16_t *table,
                                 int8_t *output)
{
    const int32_t outer = params->outer, length = params->length, inner = params->inner;
    const uint32_t entries = (uint32_t)params->entries;
    int32_t o, i, k;
    for (o = 0; o < outer; ++o) {
        for (i = 0; i < inner; ++i) {
            const size_t base = (size_t)o * (size_t)length * (size_t)inner + (size_t)i;
            const int8_t *x = input + base;
            int8_t *y = output + base;
            int32_t largest = -128;
            uint32_t sum = 0, twice_sum;
            for (k = 0; k < length; ++k) {
                const int32_t value = (int32_t)x[k * inner];
                largest = value > largest ? value : largest;
            }
            for (k = 0; k < length; ++k) sum += tp_softmax_exponential(table, entries, (uint32_t)(largest - x[k * inner]));
            twice_sum = 2u * sum;
            for (k = 0; k < length; ++k) {
                const uint32_t exponential = tp_softmax_exponential(table, entries, (uint32_t)(largest - x[k * inner]));
                const uint32_t quotient = (exponential * 512u + sum) / twice_sum;
                y[k * inner] = (int8_t)((int32_t)tp_softmax_clamp(quotient) - 128);
            }
        }
    }
}

#endif /* TP_SOFTMAX_S8_H */
