/**
 * @file tp_softmax_s8.h
 * @brief int8 softmax by exponential table, without floating point.
 *
 * Softmax is unchanged by subtracting a constant, so each slice is taken relative to its
 * largest value: `k = max - q` is in 0..255 and `table[k] = round(2^15 * exp(-s_in * k))`,
 * computed offline for the input scale. The output, at scale 1/256 and zero point -128 (as
 * TensorFlow Lite fixes for int8 softmax), is `round(256 * e / sum(e)) - 128`, one integer
 * division per element. Slices must be shorter than 65,536 elements so the sum fits 32 bits.
 */
#ifndef TP_SOFTMAX_S8_H
#define TP_SOFTMAX_S8_H

#include "topiary.h"

/** The slices of `tp_softmax_s8`: the input seen as `[outer, length, inner]`. */
typedef struct {
    int32_t outer;
    int32_t length; /**< the softmax axis */
    int32_t inner;
} tp_softmax_s8_params;

/**
 * Softmax along the middle axis of `[outer, length, inner]`.
 * @param table  256 exponentials
 * @param output may be `input`
 */
static inline void tp_softmax_s8(const tp_softmax_s8_params *params, const int8_t *input, const uint16_t *table,
                                 int8_t *output)
{
    const int32_t outer = params->outer, length = params->length, inner = params->inner;
    int32_t o, i, k;
    for (o = 0; o < outer; ++o) {
        for (i = 0; i < inner; ++i) {
            const size_t base = (size_t)o * (size_t)length * (size_t)inner + (size_t)i;
            int32_t largest = -128;
            uint32_t sum = 0;
            for (k = 0; k < length; ++k) {
                const int32_t x = (int32_t)input[base + (size_t)k * (size_t)inner];
                if (x > largest) {
                    largest = x;
                }
            }
            for (k = 0; k < length; ++k) {
                sum += table[largest - (int32_t)input[base + (size_t)k * (size_t)inner]];
            }
            for (k = 0; k < length; ++k) {
                const uint64_t e = table[largest - (int32_t)input[base + (size_t)k * (size_t)inner]];
                int64_t value = (int64_t)((e * 512u + (uint64_t)sum) / (2u * (uint64_t)sum)) - 128;
                if (value > 127) {
                    value = 127;
                }
                output[base + (size_t)k * (size_t)inner] = (int8_t)value;
            }
        }
    }
}

#endif /* TP_SOFTMAX_S8_H */
