/**
 * @file tp_quantize_f32.h
 * @brief The float edges of an int8 model: quantizing the float input of `NAME_predict` and
 *        dequantizing its output, and the same around a layer kept in float.
 *
 * Quantizing multiplies by the reciprocal of the scale, `inverse = 1.0f / scale` (computed
 * once, in single precision), and rounds `t = x * inverse` half away from zero exactly, which
 * the Swift reference repeats step for step, so both give the same int8 values. Not used by
 * `NAME_predict_int8`, which needs no floating point.
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

/* A single-precision FPU with VFP registers the inline assembly can name (Cortex-M4F, M7,
 * M33 with FPU): `VCVT` to 16-bit fixed point truncates, saturates and turns NaN into 0 in one
 * instruction. */
#if defined(__GNUC__) && defined(__ARM_FP) && (__ARM_FP & 4) && !defined(__SOFTFP__)
#define TP_QUANTIZE_VCVT 1
#endif

/**
 * One value: `clamp(round(x * inverse) + zero_point)`, rounded half away from zero, NaN giving
 * the zero point, `inverse` = `1.0f / scale`.
 *
 * Both bodies first take `k = trunc(2t)`, `t = x * inverse` (doubling is exact), with `|k|`
 * kept below 2^15 (past it every zero point saturates the result alike). Then `round(t) =
 * floor((k + 1) / 2)` for `k >= 0` and `floor(k / 2)` below: `(k + (k >> 31) + 1) >> 1`. On a
 * single-precision FPU `k` is one `VCVT` to fixed point with one fraction bit (NaN gives 0);
 * otherwise the magnitude is clamped to 1000 on its bits (NaN to 0) and doubled.
 */
static inline int8_t tp_quantize_one_f32(float x, float inverse, int32_t zero_point)
{
    tp_float_bits t;
    int32_t twice, q;
#if defined(TP_QUANTIZE_VCVT)
    float fixed = x * inverse;
    __asm__("vcvt.s16.f32 %0, %0, #1" : "+t"(fixed));
    t.value = fixed;
    twice = (int32_t)t.bits;
#else
    const uint32_t thousand = 0x447A0000u, infinity = 0x7F800000u;
    uint32_t magnitude;
    t.value = x * inverse;
    magnitude = t.bits & 0x7FFFFFFFu;
    if (magnitude > thousand) {
        t.bits = (t.bits & 0x80000000u) | (magnitude > infinity ? 0u : thousand);
    }
    twice = (int32_t)(t.value * 2.0f);
#endif
    /* The zero point enters before the halving, doubled: one constant added, and on the
     * Armv7E-M the halving folds into `SSAT`'s shift. */
    q = (twice + (twice >> 31) + (2 * zero_point + 1)) >> 1;
#if defined(__ARM_FEATURE_SAT)
    return (int8_t)__ssat(q, 8);
#else
    return (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
#endif
}

/** Quantizes `count` floats with `scale` (> 0) and `zero_point`. */
static inline void tp_quantize_f32(int32_t count, const float *input, float scale, int32_t zero_point, int8_t *output)
{
    const float inverse = 1.0f / scale;
    int32_t i;
    for (i = 0; i < count; ++i) {
        output[i] = tp_quantize_one_f32(input[i], inverse, zero_point);
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
