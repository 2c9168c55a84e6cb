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

/** One value: `clamp(round(x / scale) + zero_point)`; NaN gives the zero point. */
static inline int8_t tp_quantize_one_f32(float x, float scale, int32_t zero_point)
{
    float t = x / scale;
    int32_t q;
    if (t != t) {
        t = 0.0f;
    }
    if (t > 1000.0f) {
        t = 1000.0f;
    }
    if (t < -1000.0f) {
        t = -1000.0f;
    }
    q = (int32_t)(t >= 0.0f ? t + 0.5f : t - 0.5f) + zero_point;
    return (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
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
