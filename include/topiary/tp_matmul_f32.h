/**
 * @file tp_matmul_f32.h
 * @brief The one float matrix product every layer with weights uses (dense, convolution,
 *        pointwise convolution, recurrent cells).
 *
 * It is written as a sum of scaled weight rows ("axpy" form): the innermost loop runs over
 * contiguous output columns with no reduction, so float additions happen in a fixed order,
 * the same order as the Swift reference engine, and compilers vectorise it without
 * reassociating. Zero inputs (common after ReLU) are skipped.
 */
#ifndef TP_MATMUL_F32_H
#define TP_MATMUL_F32_H

#include "topiary.h"

/**
 * The weights of a float layer as they are stored: float values, or int8 values `q` with one
 * float scale per output column, each weight used as `(float)q · scales[column]`, exactly the
 * value the Swift reference computes with. Every float kernel with weights reads them through
 * this, so both storages run the same loops in the same order.
 */
typedef struct {
    /** The float weights, or null when the weights are int8. */
    const float *values;
    /** The int8 weights when `values` is null. */
    const int8_t *quantized;
    /** One scale per output column of `quantized`. */
    const float *scales;
} tp_weights_f32;

/** Float weights `values` as a `tp_weights_f32`. */
static inline tp_weights_f32 tp_float_weights(const float *values)
{
    tp_weights_f32 weights;
    weights.values = values;
    weights.quantized = NULL;
    weights.scales = NULL;
    return weights;
}

/** Int8 weights `quantized` with one scale per output column as a `tp_weights_f32`. */
static inline tp_weights_f32 tp_int8_weights(const int8_t *quantized, const float *scales)
{
    tp_weights_f32 weights;
    weights.values = NULL;
    weights.quantized = quantized;
    weights.scales = scales;
    return weights;
}

/** The weights from the `offset`-th one on (the scales stay those of the output columns). */
static inline tp_weights_f32 tp_weights_from(tp_weights_f32 weights, size_t offset)
{
    if (weights.values) {
        weights.values += offset;
    } else {
        weights.quantized += offset;
    }
    return weights;
}

/**
 * Adds `x · W` to `out`.
 *
 * @param rows      rows of `x` and `out`
 * @param inner     columns of `x`, rows of `W`
 * @param columns   columns of `W` used, and of `out`
 * @param x         `[rows, inner]`
 * @param w         `[inner, w_stride]`, of which the first `columns` of each row are used
 * @param w_stride  distance between rows of `w`, in weights (`columns` for a whole matrix)
 * @param out       `[rows, columns]`, accumulated into
 */
static inline void tp_matmul_acc_weights_f32(int32_t rows, int32_t inner, int32_t columns, const float *x,
                                             tp_weights_f32 w, int32_t w_stride, float *out)
{
    int32_t r, k, c;
    for (r = 0; r < rows; ++r) {
        float *out_row = out + (size_t)r * (size_t)columns;
        const float *x_row = x + (size_t)r * (size_t)inner;
        for (k = 0; k < inner; ++k) {
            const float a = x_row[k];
            const size_t row = (size_t)k * (size_t)w_stride;
            if (a == 0.0f) {
                continue;
            }
            if (w.values) {
                for (c = 0; c < columns; ++c) {
                    out_row[c] += a * w.values[row + (size_t)c];
                }
            } else {
                for (c = 0; c < columns; ++c) {
                    out_row[c] += a * ((float)w.quantized[row + (size_t)c] * w.scales[c]);
                }
            }
        }
    }
}

/** `tp_matmul_acc_weights_f32` with float weights `w`. */
static inline void tp_matmul_acc_f32(int32_t rows, int32_t inner, int32_t columns,
                                     const float *x, const float *w, int32_t w_stride, float *out)
{
    tp_matmul_acc_weights_f32(rows, inner, columns, x, tp_float_weights(w), w_stride, out);
}

/**
 * Starts an output `[rows, columns]`: each row a copy of `bias [columns]`, or zeros when
 * `bias` is null.
 */
static inline void tp_fill_rows_f32(int32_t rows, int32_t columns, const float *bias, float *out)
{
    int32_t r, c;
    for (r = 0; r < rows; ++r) {
        float *out_row = out + (size_t)r * (size_t)columns;
        for (c = 0; c < columns; ++c) {
            out_row[c] = bias ? bias[c] : 0.0f;
        }
    }
}

#endif /* TP_MATMUL_F32_H */
