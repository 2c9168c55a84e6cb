/**
 * @file tp_matmul_f32.h
 * @brief The one float matrix product every layer with weights uses (dense, convolution,
 *        pointwise convolution, recurrent cells), for float32 weights and for int8 weights
 *        with a float scale per output column.
 *
 * Each output adds its products input by input, in the order of the Swift reference engine's
 * sum of scaled weight rows ("axpy" form), so the float sums are the same; eight output
 * columns at a time keep their sums in registers across the inputs. Zero inputs (common after
 * ReLU) are skipped.
 */
#ifndef TP_MATMUL_F32_H
#define TP_MATMUL_F32_H

#include "topiary.h"

/**
 * How a float layer's weights are stored: float32, or int8 with one float scale per output
 * column or channel (`topiary convert --quantize int8-weights`, kernels of `tp_s8w_f32.h`),
 * each weight used as `(float)q * scale`, exactly the value the Swift reference computes with.
 */
typedef enum { TP_WEIGHTS_F32, TP_WEIGHTS_S8W } tp_weight_storage;

/**
 * Weight `i` of a row of weights as a float; for int8 weights `scales` is the row's scales,
 * one per weight.
 */
TP_LOOP_BODY float tp_weight_f32(tp_weight_storage storage, const void *row, const float *scales, int32_t i)
{
    if (storage == TP_WEIGHTS_S8W) {
        return (float)((const int8_t *)row)[i] * scales[i];
    }
    return ((const float *)row)[i];
}

/** The weights of `storage` from weight `index` of `weights` on. */
TP_LOOP_BODY const void *tp_weights_from(tp_weight_storage storage, const void *weights, size_t index)
{
    if (storage == TP_WEIGHTS_S8W) {
        return (const int8_t *)weights + index;
    }
    return (const float *)weights + index;
}

/** Output columns `tp_matmul_columns_f32` sums at once, each in a register of its own. */
#define TP_MATMUL_F32_COLUMNS 8

/**
 * Adds to `out [TP_MATMUL_F32_COLUMNS]` the products of a window of inputs with the weight
 * rows they meet: `rows × taps` taps of `inner` inputs each, input `k` of tap `(ky, kx)` at
 * `x [ky · x_row + kx · x_tap + k]` meeting the weight row `(ky · w_row + kx · w_tap + k) ·
 * w_stride` of `w` (stored as `storage`, `scales [TP_MATMUL_F32_COLUMNS]` for int8). The sums
 * stay in registers across the whole window, and each column adds its products in the order
 * of `tp_matmul_acc_stored_f32` (tap by tap, input by input, zero inputs skipped), so the
 * result is the same float for float.
 */
TP_LOOP_BODY void tp_matmul_columns_f32(tp_weight_storage storage, const float *x, int32_t x_row, int32_t x_tap, int32_t rows,
                                        int32_t taps, int32_t inner, const void *w, int32_t w_row, int32_t w_tap,
                                        int32_t w_stride, const float *scales, float *out)
{
    /* Eight sums written out one by one: compilers keep named scalars in registers, where
     * they may leave an array of them in memory. */
    float a0 = out[0], a1 = out[1], a2 = out[2], a3 = out[3], a4 = out[4], a5 = out[5], a6 = out[6], a7 = out[7];
    int32_t ky, kx, k;
    for (ky = 0; ky < rows; ++ky) {
        for (kx = 0; kx < taps; ++kx) {
            const float *tap = x + ky * x_row + kx * x_tap;
            const int32_t first = ky * w_row + kx * w_tap;
            for (k = 0; k < inner; ++k) {
                const float v = tap[k];
                const void *row;
                if (v == 0.0f) {
                    continue;
                }
                row = tp_weights_from(storage, w, (size_t)(first + k) * (size_t)w_stride);
                a0 += v * tp_weight_f32(storage, row, scales, 0);
                a1 += v * tp_weight_f32(storage, row, scales, 1);
                a2 += v * tp_weight_f32(storage, row, scales, 2);
                a3 += v * tp_weight_f32(storage, row, scales, 3);
                a4 += v * tp_weight_f32(storage, row, scales, 4);
                a5 += v * tp_weight_f32(storage, row, scales, 5);
                a6 += v * tp_weight_f32(storage, row, scales, 6);
                a7 += v * tp_weight_f32(storage, row, scales, 7);
            }
        }
    }
    out[0] = a0;
    out[1] = a1;
    out[2] = a2;
    out[3] = a3;
    out[4] = a4;
    out[5] = a5;
    out[6] = a6;
    out[7] = a7;
}

/**
 * Adds `x · W` to `out`, `W` stored as `storage` (`scales [columns]` for int8, unused for
 * float32): `TP_MATMUL_F32_COLUMNS` columns at a time by `tp_matmul_columns_f32`, the last
 * few as weighted rows.
 *
 * @param rows      rows of `x` and `out`
 * @param inner     columns of `x`, rows of `W`
 * @param columns   columns of `W` used, and of `out`
 * @param x         `[rows, inner]`
 * @param w         `[inner, w_stride]`, of which the first `columns` of each row are used
 * @param w_stride  distance between rows of `w`, in weights (`columns` for a whole matrix)
 * @param out       `[rows, columns]`, accumulated into
 */
TP_LOOP_BODY void tp_matmul_acc_stored_f32(tp_weight_storage storage, int32_t rows, int32_t inner, int32_t columns,
                                               const float *x, const void *w, const float *scales, int32_t w_stride,
                                               float *out)
{
    const int32_t blocked = columns - columns % TP_MATMUL_F32_COLUMNS;
    int32_t r, k, c;
    for (r = 0; r < rows; ++r) {
        float *out_row = out + (size_t)r * (size_t)columns;
        const float *x_row = x + (size_t)r * (size_t)inner;
        for (c = 0; c < blocked; c += TP_MATMUL_F32_COLUMNS) {
            tp_matmul_columns_f32(storage, x_row, 0, 0, 1, 1, inner, tp_weights_from(storage, w, (size_t)c), 0, 0, w_stride,
                                  scales ? scales + c : NULL, out_row + c);
        }
        if (blocked == columns) {
            continue;
        }
        for (k = 0; k < inner; ++k) {
            const float a = x_row[k];
            const void *w_row;
            if (a == 0.0f) {
                continue;
            }
            w_row = tp_weights_from(storage, w, (size_t)k * (size_t)w_stride);
            for (c = blocked; c < columns; ++c) {
                out_row[c] += a * tp_weight_f32(storage, w_row, scales, c);
            }
        }
    }
}

/** `tp_matmul_acc_stored_f32` for float32 weights `w [inner, w_stride]`. */
static inline void tp_matmul_acc_f32(int32_t rows, int32_t inner, int32_t columns,
                                     const float *x, const float *w, int32_t w_stride, float *out)
{
    tp_matmul_acc_stored_f32(TP_WEIGHTS_F32, rows, inner, columns, x, w, NULL, w_stride, out);
}

/** `tp_matmul_acc_stored_f32` for int8 weights `w [inner, w_stride]` whose column `c` has scale `scales[c]`. */
static inline void tp_matmul_acc_s8w_f32(int32_t rows, int32_t inner, int32_t columns, const float *x, const int8_t *w,
                                         const float *scales, int32_t w_stride, float *out)
{
    tp_matmul_acc_stored_f32(TP_WEIGHTS_S8W, rows, inner, columns, x, w, scales, w_stride, out);
}

/**
 * The product of `storage` for the layer kernels: a call to `tp_matmul_acc_f32` or
 * `tp_matmul_acc_s8w_f32`, which the compiler may keep out of line where that is smaller
 * (`-Os`), as it would in a kernel written for one storage.
 */
TP_LOOP_BODY void tp_matmul_acc_of_f32(tp_weight_storage storage, int32_t rows, int32_t inner, int32_t columns,
                                           const float *x, const void *w, const float *scales, int32_t w_stride,
                                           float *out)
{
    if (storage == TP_WEIGHTS_S8W) {
        tp_matmul_acc_s8w_f32(rows, inner, columns, x, (const int8_t *)w, scales, w_stride, out);
    } else {
        tp_matmul_acc_f32(rows, inner, columns, x, (const float *)w, w_stride, out);
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
