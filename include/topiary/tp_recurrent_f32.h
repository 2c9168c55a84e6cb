/**
 * @file tp_recurrent_f32.h
 * @brief Float recurrent layers over `[timesteps, features]`: `SimpleRNN`, `GRU` (both
 *        `reset_after` variants) and `LSTM`, starting from zero state.
 *
 * The input projection `x · kernel (+ input bias)` of every timestep is computed first as one
 * matrix product; each step then adds the recurrent projection of the previous state. Gate
 * blocks are in Keras's order (GRU `z, r, h`; LSTM `i, f, c, o`). With `go_backwards` the
 * sequence is processed last to first and, with `return_sequences`, the outputs are written in
 * that processed order, as Keras returns them.
 *
 * All working memory (projections, state, gates) is caller-owned scratch; its size in floats
 * is given by the `TP_*_F32_SCRATCH` macros.
 */
#ifndef TP_RECURRENT_F32_H
#define TP_RECURRENT_F32_H

#include "topiary.h"
#include "tp_activation_f32.h"
#include "tp_matmul_f32.h"

/** Parameters of the recurrent kernels. */
typedef struct {
    tp_recurrent_shape shape;
    /** The cell's output activation (`tanh` by default). */
    tp_activation activation;
    /** The gates' activation (GRU and LSTM; `sigmoid` by default). */
    tp_activation recurrent_activation;
} tp_recurrent_f32_params;

/** Scratch floats for `tp_simple_rnn_f32`: projections, state and gates. */
#define TP_SIMPLE_RNN_F32_SCRATCH(timesteps, units) ((timesteps) * (units) + 2 * (units))
/** Scratch floats for `tp_lstm_f32`: projections, hidden and cell state, gates. */
#define TP_LSTM_F32_SCRATCH(timesteps, units) ((timesteps) * 4 * (units) + 6 * (units))
/** Scratch floats for `tp_gru_f32` and `tp_gru_reset_before_f32`: projections, state, gates, and three more vectors. */
#define TP_GRU_F32_SCRATCH(timesteps, units) ((timesteps) * 3 * (units) + 7 * (units))

/**
 * Fills the start of `scratch` with the input projections of every timestep, `[timesteps, width]`
 * rows of `bias + x_t · kernel`, and zeroes the `state` floats after them; returns the state.
 */
static inline float *tp_recurrent_begin_f32(const tp_recurrent_f32_params *params, int32_t width, int32_t state,
                                            const float *input, const float *kernel, const float *bias, float *scratch)
{
    float *h = scratch + (size_t)params->shape.timesteps * (size_t)width;
    tp_fill_rows_f32(params->shape.timesteps, width, bias, scratch);
    tp_matmul_acc_f32(params->shape.timesteps, params->shape.features, width, input, kernel, width, scratch);
    tp_fill_rows_f32(1, state, NULL, h);
    return h;
}

/** The input projection of the timestep processed at position `step`, honouring `go_backwards`. */
static inline const float *tp_recurrent_input_f32(const tp_recurrent_f32_params *params, int32_t width,
                                                  const float *projected, int32_t step)
{
    return projected + (size_t)tp_recurrent_timestep(&params->shape, step) * (size_t)width;
}

/**
 * `gates = start + h · recurrent_kernel[:, :columns]`, `start` null for zeros, the kernel's rows
 * `width` floats apart; in this order so that the sums are the reference's.
 */
static inline void tp_recurrent_gates_f32(int32_t units, int32_t columns, int32_t width, const float *start,
                                          const float *h, const float *recurrent_kernel, float *gates)
{
    tp_fill_rows_f32(1, columns, start, gates);
    tp_matmul_acc_f32(1, units, columns, h, recurrent_kernel, width, gates);
}

/** Writes the state after processing position `step`: a row of the sequence, or the last state. */
static inline void tp_recurrent_emit_f32(const tp_recurrent_f32_params *params, int32_t step, const float *h,
                                         float *output)
{
    const int32_t row = tp_recurrent_output_row(&params->shape, step);
    if (row >= 0) {
        tp_copy_f32(params->shape.units, h, output + (size_t)row * (size_t)params->shape.units);
    }
}

/**
 * `SimpleRNN`: `h = activation(x_t · kernel + bias + h · recurrent_kernel)`.
 *
 * @param input             `[timesteps, features]`
 * @param kernel            `[features, units]`
 * @param recurrent_kernel  `[units, units]`
 * @param bias              `[units]`, or null
 * @param output            `[timesteps, units]` or `[units]`; overlaps neither `input` nor `scratch`
 * @param scratch           `TP_SIMPLE_RNN_F32_SCRATCH(timesteps, units)` floats
 */
static inline void tp_simple_rnn_f32(const tp_recurrent_f32_params *params, const float *input, const float *kernel,
                                     const float *recurrent_kernel, const float *bias, float *output, float *scratch)
{
    const int32_t u = params->shape.units;
    float *h = tp_recurrent_begin_f32(params, u, u, input, kernel, bias, scratch);
    float *gates = h + u;
    int32_t step, j;
    for (step = 0; step < params->shape.timesteps; ++step) {
        tp_recurrent_gates_f32(u, u, u, tp_recurrent_input_f32(params, u, scratch, step), h, recurrent_kernel, gates);
        for (j = 0; j < u; ++j) {
            h[j] = tp_activation_scalar_f32(&params->activation, gates[j]);
        }
        tp_recurrent_emit_f32(params, step, h, output);
    }
}

/**
 * `LSTM`: with `z = x_t · kernel + bias + h · recurrent_kernel` split into gates `i, f, c, o`,
 * `c = f ⊙ c + i ⊙ activation(z_c)` and `h = o ⊙ activation(c)`.
 *
 * @param input             `[timesteps, features]`
 * @param kernel            `[features, 4 · units]`
 * @param recurrent_kernel  `[units, 4 · units]`
 * @param bias              `[4 · units]`, or null
 * @param output            `[timesteps, units]` or `[units]`; overlaps neither `input` nor `scratch`
 * @param scratch           `TP_LSTM_F32_SCRATCH(timesteps, units)` floats
 */
static inline void tp_lstm_f32(const tp_recurrent_f32_params *params, const float *input, const float *kernel,
                               const float *recurrent_kernel, const float *bias, float *output, float *scratch)
{
    const int32_t u = params->shape.units;
    const int32_t width = 4 * u;
    float *h = tp_recurrent_begin_f32(params, width, 2 * u, input, kernel, bias, scratch);
    float *c = h + u;
    float *gates = c + u;
    int32_t step, j;
    for (step = 0; step < params->shape.timesteps; ++step) {
        tp_recurrent_gates_f32(u, width, width, tp_recurrent_input_f32(params, width, scratch, step), h,
                               recurrent_kernel, gates);
        for (j = 0; j < u; ++j) {
            const float i = tp_activation_scalar_f32(&params->recurrent_activation, gates[j]);
            const float f = tp_activation_scalar_f32(&params->recurrent_activation, gates[u + j]);
            const float g = tp_activation_scalar_f32(&params->activation, gates[2 * u + j]);
            const float o = tp_activation_scalar_f32(&params->recurrent_activation, gates[3 * u + j]);
            c[j] = f * c[j] + i * g;
            h[j] = o * tp_activation_scalar_f32(&params->activation, c[j]);
        }
        tp_recurrent_emit_f32(params, step, h, output);
    }
}

/**
 * `GRU` with `reset_after=True` (Keras's default): the reset gate multiplies the recurrent
 * projection, `ĥ = activation(x_h + r ⊙ (h · U_h + b_rec_h))`, then `h = z ⊙ h + (1 − z) ⊙ ĥ`.
 *
 * @param input             `[timesteps, features]`
 * @param kernel            `[features, 3 · units]`
 * @param recurrent_kernel  `[units, 3 · units]`
 * @param input_bias        `[3 · units]`, or null
 * @param recurrent_bias    `[3 · units]`, or null
 * @param output            `[timesteps, units]` or `[units]`; overlaps neither `input` nor `scratch`
 * @param scratch           `TP_GRU_F32_SCRATCH(timesteps, units)` floats
 */
static inline void tp_gru_f32(const tp_recurrent_f32_params *params, const float *input, const float *kernel,
                              const float *recurrent_kernel, const float *input_bias, const float *recurrent_bias,
                              float *output, float *scratch)
{
    const int32_t u = params->shape.units;
    const int32_t width = 3 * u;
    float *h = tp_recurrent_begin_f32(params, width, u, input, kernel, input_bias, scratch);
    float *gates = h + u;
    int32_t step, j;
    for (step = 0; step < params->shape.timesteps; ++step) {
        const float *xt = tp_recurrent_input_f32(params, width, scratch, step);
        tp_recurrent_gates_f32(u, width, width, recurrent_bias, h, recurrent_kernel, gates);
        for (j = 0; j < u; ++j) {
            const float z = tp_activation_scalar_f32(&params->recurrent_activation, xt[j] + gates[j]);
            const float r = tp_activation_scalar_f32(&params->recurrent_activation, xt[u + j] + gates[u + j]);
            const float candidate = tp_activation_scalar_f32(&params->activation, xt[2 * u + j] + r * gates[2 * u + j]);
            h[j] = z * h[j] + (1.0f - z) * candidate;
        }
        tp_recurrent_emit_f32(params, step, h, output);
    }
}

/**
 * `GRU` with `reset_after=False`: the reset gate multiplies the state before the recurrent
 * product, `ĥ = activation(x_h + (r ⊙ h) · U_h)`, then `h = z ⊙ h + (1 − z) ⊙ ĥ`.
 *
 * @param input             `[timesteps, features]`
 * @param kernel            `[features, 3 · units]`
 * @param recurrent_kernel  `[units, 3 · units]`
 * @param bias              `[3 · units]`, or null
 * @param output            `[timesteps, units]` or `[units]`; overlaps neither `input` nor `scratch`
 * @param scratch           `TP_GRU_F32_SCRATCH(timesteps, units)` floats
 */
static inline void tp_gru_reset_before_f32(const tp_recurrent_f32_params *params, const float *input,
                                           const float *kernel, const float *recurrent_kernel, const float *bias,
                                           float *output, float *scratch)
{
    const int32_t u = params->shape.units;
    const int32_t width = 3 * u;
    float *h = tp_recurrent_begin_f32(params, width, u, input, kernel, bias, scratch);
    float *gates = h + u;
    float *z = gates + width;
    float *reset = z + u;
    float *candidate = reset + u;
    int32_t step, j;
    for (step = 0; step < params->shape.timesteps; ++step) {
        const float *xt = tp_recurrent_input_f32(params, width, scratch, step);
        tp_recurrent_gates_f32(u, 2 * u, width, NULL, h, recurrent_kernel, gates);
        for (j = 0; j < u; ++j) {
            z[j] = tp_activation_scalar_f32(&params->recurrent_activation, xt[j] + gates[j]);
            reset[j] = tp_activation_scalar_f32(&params->recurrent_activation, xt[u + j] + gates[u + j]) * h[j];
        }
        tp_recurrent_gates_f32(u, u, width, xt + 2 * u, reset, recurrent_kernel + 2 * u, candidate);
        for (j = 0; j < u; ++j) {
            const float c = tp_activation_scalar_f32(&params->activation, candidate[j]);
            h[j] = z[j] * h[j] + (1.0f - z[j]) * c;
        }
        tp_recurrent_emit_f32(params, step, h, output);
    }
}

#endif /* TP_RECURRENT_F32_H */
