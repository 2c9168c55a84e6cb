/**
 * @file tp_dense_f32.h
 * @brief Float fully connected layer (Keras `Dense`).
 */
#ifndef TP_DENSE_F32_H
#define TP_DENSE_F32_H

#include "topiary.h"
#include "tp_activation_f32.h"
#include "tp_matmul_f32.h"

/** Parameters of `tp_dense_f32`. */
typedef struct {
    /** Rows: the product of the input's axes before the last (1 for a vector). */
    int32_t rows;
    /** Input features: the input's last axis. */
    int32_t input_width;
    /** Output features. */
    int32_t units;
    /** Applied to the whole output `[rows, units]`. */
    tp_activation activation;
} tp_dense_f32_params;

/** `tp_dense_f32` for a kernel stored as `storage` (`scales [units]` for int8, unused for float32). */
TP_LOOP_BODY void tp_dense_stored_f32(tp_weight_storage storage, const tp_dense_f32_params *params, const float *input,
                                          const void *kernel, const float *scales, const float *bias, float *output)
{
    tp_fill_rows_f32(params->rows, params->units, bias, output);
    tp_matmul_acc_of_f32(storage, params->rows, params->input_width, params->units, input, kernel, scales, params->units,
                         output);
    tp_activation_f32(&params->activation, output, params->rows * params->units);
}

/**
 * `output = activation(input · kernel + bias)`, row by row.
 *
 * @param params  shapes and activation
 * @param input   `[rows, input_width]`
 * @param kernel  `[input_width, units]` (Keras's layout)
 * @param bias    `[units]`, or null for a layer without bias
 * @param output  `[rows, units]`; must not overlap `input`
 */
static inline void tp_dense_f32(const tp_dense_f32_params *params, const float *input,
                                const float *kernel, const float *bias, float *output)
{
    tp_dense_stored_f32(TP_WEIGHTS_F32, params, input, kernel, NULL, bias, output);
}

#endif /* TP_DENSE_F32_H */
