/**
 * @file tp_quantize_f32.h
 * @brief The float edges of an int8 model: quantizing the float input of `NAME_predict` and
 *        dequantizing its output, and the same around a layer kept in float.
 *
 * Written with single-precision operations only (`t = x / scale`, rounded half away from
 * zero as `(int32_t)(t +/- 0.5f)`), which the Swift reference repeats step for step, so both
 * give the same int8 values. Not used by `NAME_predict_int8`, which needs no floating point.
 */
#ifndef TP_QUANTIZE_F32_H
#define TP_QUANTIZE_F32_H

#include "topiary.h"

#if defined(__ARM_FEATURE_SAT)
#include <arm_acle.h>
#endif

/** A float and its IEEE 754 bits (type punning through a union is defined in C99). */
typedef union {
    float value;
    uint32_t bits;
} tp_float_bits;

/** One value: `clamp(round(x / scale) + zero_point)`, NaN giving the zero point, `scale` > 0.
 *
 * The rule (`t = x / scale`, clamped to +-1000, then `(int32_t)(t + 0.5f)` for `t >= 0` and
 * `(int32_t)(t - 0.5f)` below) is computed on the magnitude of `t`: `-(t - 0.5f)` is exactly
 * `|t| + 0.5f` (rounding to nearest is symmetric), so the rounded magnitude takes the sign of
 * `t` afterwards. Sign, magnitude and the clamp are read on the bits, where non-negative
 * floats order as integers: no float compare, and no branch on the sign. A magnitude past
 * 1000 (infinity too) saturates exactly as the clamp does; NaN, past infinity, gives 0. */
static inline int8_t tp_quantize_one_f32(float x, float scale, int32_t zero_point)
{
    const uint32_t thousand = 0x447A0000u, infinity = 0x7F800000u;
    tp_float_bits t;
    int32_t q, negative;
    t.value = x / scale;
    negative = (t.bits & 0x80000000u) != 0u ? -1 : 0;
    t.bits &= 0x7FFFFFFFu;
    if (t.bits > thousand) {
        t.bits = t.bits > infinity ? 0u : thousand;
    }
    q = (int32_t)(t.value + 0.5f);
    q = ((q ^ negative) - negative) + zero_point;
#if defined(__ARM_FEATURE_SAT)
    return (int8_t)__ssat(q, 8);
#else
    return (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
#endif
}

/** Quantizes `count` floats. */
static inline void tp_quantize_f32(int32_t count, const float *input, float scale, int32_t zero_point, int8_t *output)
{
    int32_t i;
    for (i = 0; i < count; ++i) {
        output[i] = tp_quantize_one_f32(input[i], scale, zero_point);
    }
}

/** `output[i] = (float)(input[i] - zero_point) * scale`. */
static inline void tp_dequantize_f32(int32_t count, const int8_t *input, float scale, int32_t zero_point, float *output)
{
    int32_t i;
    for (i = 0; i < count; ++i) {
        output[i] = (float)((int32_t)input[i] - zero_point) * scale;
    }
}

#endif /* TP_QUANTIZE_F32_H */
