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
 * Adds `x · W` to `out`.
 *
 * @param rows      rows of `x` and `out`
 * @param inner     columns of `x`, rows of `W`
 * @param columns   columns of `W` used, and of `out`
 * @param x         `[rows, inner]`
 * @param w         `[inner, w_stride]`, of which the first `columns` of each row are used
 * @param w_stride  distance between rows of `w`, in floats (`columns` for a whole matrix)
 * @param out       `[rows, columns]`, accumulated into
 */
static inline void tp_matmul_acc_f32(int32_t rows, int32_t inner, int32_t columns,
                                     const float *x, const float *w, int32_t w_stride, float *out)
{
    int32_t r, k, c;
    for (r = 0; r < rows; ++r) {
        float *out_row = out + (size_t)r * (size_t)columns;
        const float *x_row = x + (size_t)r * (size_t)inner;
        for (k = 0; k < inner; ++k) {
            const float a = x_row[k];
            const float *w_row;
            if (a == 0.0f) {
                continue;
            }
            w_row = w + (size_t)k * (size_t)w_stride;
            for (c = 0; c < columns; ++c) {
                out_row[c] += a * w_row[c];
            }
        }
    }
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
