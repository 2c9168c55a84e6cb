/**
 * @file tp_dense_s8.h
 * @brief int8 Dense layers with dense weights (the sparse formats are in `tp_sparse_s8.h`).
 *
 * Weights are rows, one per output unit, over the inputs: `W[units][input_width]`. A rank>1
 * input `[rows, input_width]` is treated as `rows` independent vectors, as Keras does.
 */
#ifndef TP_DENSE_S8_H
#define TP_DENSE_S8_H

#include "tp_s8.h"

/** Parameters of the int8 Dense kernels. */
typedef struct {
    /** Independent input vectors (1 for a flat input). */
    int32_t rows;
    int32_t input_width;
    int32_t units;
    tp_channel_output_s8 output;
} tp_dense_s8_params;

/**
 * Dense weights.
 * @param input   `[rows, input_width]`
 * @param weights `[units, input_width]`
 * @param output  `[rows, units]`
 */
static inline void tp_dense_s8(const tp_dense_s8_params *p, const int8_t *input, const int8_t *weights, int8_t *output)
{
    /* The sizes in locals and the parameters read through `p` only around each pair of
     * units: few values live across the inner loop, which then keeps its sums, pointers and
     * widened words in registers. */
    const int32_t width = p->input_width, units = p->units, rows = p->rows;
    int32_t r, c;
    for (r = 0; r < rows; ++r) {
        const int8_t *x = input + (size_t)r * (size_t)width;
        const int8_t *w = weights;
        int8_t *y = output + (size_t)r * (size_t)units;
        /* Two units at a time: each input value is loaded once for two weight rows. */
        for (c = 0; c + 2 <= units; c += 2, w += 2 * (size_t)width) {
            int32_t acc0 = p->output.bias[c], acc1 = p->output.bias[c + 1];
            tp_dot2_s8(w, w + width, x, width, &acc0, &acc1);
            y[c] = tp_channel_output(&p->output, c, acc0);
            y[c + 1] = tp_channel_output(&p->output, c + 1, acc1);
        }
        if (c < units) y[c] = tp_channel_output(&p->output, c, p->output.bias[c] + tp_dot_s8(w, x, width));
    }
}

#endif /* TP_DENSE_S8_H */
