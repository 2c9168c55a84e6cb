/**
 * @file tp_recurrent_s8.h
 * @brief Integer recurrent layers over int8 `[timesteps, features]`: `SimpleRNN`, `GRU`
 *        (both `reset_after` variants) and `LSTM`, starting from zero state, with no
 *        floating point.
 *
 * The scheme is TensorFlow Lite's integer LSTM ("8x8_16"): int8 input and hidden state (the
 * layer's output encoding), int8 kernels with a scale per gate channel and int32 biases into
 * which the zero points are folded. Each gate channel's two products (input and recurrent)
 * are rescaled to int16 Q3.12 and added with saturation; sigmoid and tanh map Q3.12 to Q0.15
 * through 257-entry tables with linear interpolation; the LSTM cell state is int16 at scale
 * `2^-cell_shift`. A SimpleRNN with a ReLU or linear activation rescales straight to the
 * hidden state instead.
 *
 * Weights are rows, one per gate channel, gate blocks in Keras's order (GRU `z, r, h`; LSTM
 * `i, f, c, o`): `kernel [gates*units, features]`, `recurrent_kernel [gates*units, units]`.
 * With `go_backwards` the sequence is processed last to first and, with
 * `return_sequences`, written in that processed order, as Keras returns it.
 *
 * Working memory is caller-owned scratch of `TP_RECURRENT_S8_SCRATCH` bytes, 2-byte aligned.
 */
#ifndef TP_RECURRENT_S8_H
#define TP_RECURRENT_S8_H

#include "topiary.h"
#include "tp_fixedpoint.h"

/** Shape of the recurrent kernels. */
typedef struct {
    int32_t timesteps;
    int32_t features;
    int32_t units;
    /** Non-zero: the output is `[timesteps, units]`, every step's state; zero: `[units]`, the last. */
    int32_t return_sequences;
    /** Non-zero: process the sequence last to first. */
    int32_t go_backwards;
} tp_recurrent_s8_params;

/** The integer rescaling of a recurrent layer. */
typedef struct {
    /** Per gate channel: input product to Q3.12 (or to the hidden scale for a ReLU/linear SimpleRNN). */
    const int32_t *input_multipliers;
    const int8_t *input_shifts;
    /** Per gate channel: recurrent product, likewise. */
    const int32_t *recurrent_multipliers;
    const int8_t *recurrent_shifts;
    /** The product the hidden state is made of (Q0.15 or Q0.30) to the hidden scale. */
    int32_t output_multiplier;
    int32_t output_shift;
    /** LSTM: the cell state is int16 at scale `2^-cell_shift` (0..15). */
    int32_t cell_shift;
    /** The hidden state's zero point and clamp (a ReLU narrows it to the zero point). */
    int32_t output_zero_point;
    int32_t output_min;
    int32_t output_max;
} tp_recurrent_s8_quant;

/** Scratch bytes of every recurrent kernel: two int16 gate vectors, cell and reset vectors, the int8 state. */
#define TP_RECURRENT_S8_SCRATCH(gates, units) (4 * (gates) * (units) + 5 * (units))

/** `round(2^15 * sigmoid(-8 + i/16))`, the Q0.15 sigmoid at every 1/16 of [-8, 8]. */
static const int16_t tp_sigmoid_q15_table[257] = {
    11, 12, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22,
    23, 25, 26, 28, 30, 32, 34, 36, 38, 41, 43, 46,
    49, 52, 56, 59, 63, 67, 72, 76, 81, 86, 92, 98,
    104, 111, 118, 125, 133, 142, 151, 161, 171, 182, 194, 206,
    219, 233, 248, 264, 281, 299, 318, 338, 360, 383, 407, 433,
    461, 490, 521, 554, 589, 627, 666, 708, 753, 800, 851, 904,
    961, 1021, 1084, 1152, 1223, 1299, 1379, 1464, 1554, 1649, 1750, 1856,
    1969, 2088, 2213, 2346, 2486, 2633, 2789, 2952, 3124, 3306, 3496, 3696,
    3906, 4126, 4357, 4599, 4851, 5115, 5391, 5678, 5978, 6289, 6613, 6949,
    7297, 7658, 8031, 8416, 8813, 9221, 9641, 10072, 10513, 10964, 11424, 11894,
    12371, 12856, 13348, 13845, 14347, 14852, 15361, 15872, 16384, 16896, 17407, 17916,
    18421, 18923, 19420, 19912, 20397, 20874, 21344, 21804, 22255, 22696, 23127, 23547,
    23955, 24352, 24737, 25110, 25471, 25819, 26155, 26479, 26790, 27090, 27377, 27653,
    27917, 28169, 28411, 28642, 28862, 29072, 29272, 29462, 29644, 29816, 29979, 30135,
    30282, 30422, 30555, 30680, 30799, 30912, 31018, 31119, 31214, 31304, 31389, 31469,
    31545, 31616, 31684, 31747, 31807, 31864, 31917, 31968, 32015, 32060, 32102, 32141,
    32179, 32214, 32247, 32278, 32307, 32335, 32361, 32385, 32408, 32430, 32450, 32469,
    32487, 32504, 32520, 32535, 32549, 32562, 32574, 32586, 32597, 32607, 32617, 32626,
    32635, 32643, 32650, 32657, 32664, 32670, 32676, 32682, 32687, 32692, 32696, 32701,
    32705, 32709, 32712, 32716, 32719, 32722, 32725, 32727, 32730, 32732, 32734, 32736,
    32738, 32740, 32742, 32743, 32745, 32746, 32747, 32749, 32750, 32751, 32752, 32753,
    32754, 32755, 32756, 32756, 32757
};

/** `round(2^15 * tanh(-8 + i/16))` clamped to int16, the Q0.15 tanh likewise. */
static const int16_t tp_tanh_q15_table[257] = {
    -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768,
    -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768,
    -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768, -32767, -32767,
    -32767, -32767, -32767, -32767, -32767, -32767, -32767, -32766, -32766, -32766, -32766, -32765,
    -32765, -32765, -32764, -32764, -32763, -32762, -32762, -32761, -32760, -32759, -32758, -32756,
    -32755, -32753, -32751, -32749, -32746, -32743, -32740, -32736, -32732, -32727, -32721, -32715,
    -32708, -32700, -32691, -32681, -32670, -32657, -32642, -32625, -32606, -32584, -32560, -32532,
    -32501, -32466, -32426, -32381, -32329, -32271, -32206, -32132, -32048, -31953, -31846, -31726,
    -31589, -31435, -31262, -31067, -30847, -30600, -30322, -30010, -29660, -29268, -28830, -28341,
    -27797, -27191, -26519, -25776, -24956, -24054, -23066, -21986, -20813, -19542, -18173, -16706,
    -15143, -13486, -11743, -9919, -8025, -6073, -4075, -2045, 0, 2045, 4075, 6073,
    8025, 9919, 11743, 13486, 15143, 16706, 18173, 19542, 20813, 21986, 23066, 24054,
    24956, 25776, 26519, 27191, 27797, 28341, 28830, 29268, 29660, 30010, 30322, 30600,
    30847, 31067, 31262, 31435, 31589, 31726, 31846, 31953, 32048, 32132, 32206, 32271,
    32329, 32381, 32426, 32466, 32501, 32532, 32560, 32584, 32606, 32625, 32642, 32657,
    32670, 32681, 32691, 32700, 32708, 32715, 32721, 32727, 32732, 32736, 32740, 32743,
    32746, 32749, 32751, 32753, 32755, 32756, 32758, 32759, 32760, 32761, 32762, 32762,
    32763, 32764, 32764, 32765, 32765, 32765, 32766, 32766, 32766, 32766, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767
};

/** `x` clamped to the int16 range. */
static inline int32_t tp_saturate_s16(int32_t x)
{
    return x < -32768 ? -32768 : (x > 32767 ? 32767 : x);
}

/** `table` at Q3.12 `x`: entry `(x + 2^15) >> 8` and the next, weighed by the low 8 bits of
 *  `x`, rounded half up; a Q0.15 result. */
static inline int32_t tp_q15_lookup(const int16_t *table, int32_t x)
{
    const int32_t offset = x + 32768;
    const int32_t index = offset >> 8;
    const int32_t low = table[index];
    const int32_t high = table[index + 1];
    return low + (((high - low) * (offset & 255) + 128) >> 8);
}

/** `sat16(multiply_by_quantized_multiplier(bias[c] + rows[c] . x))` for every row: one of a gate
 *  channel's two products, rescaled. */
static inline void tp_recurrent_project_s8(int32_t rows, int32_t length, const int8_t *weights, const int32_t *bias,
                                           const int32_t *multipliers, const int8_t *shifts, const int8_t *x,
                                           int16_t *out)
{
    int32_t c, k;
    for (c = 0; c < rows; ++c) {
        const int8_t *w = weights + (size_t)c * (size_t)length;
        int32_t acc = bias[c];
        for (k = 0; k < length; ++k) {
            acc += (int32_t)w[k] * (int32_t)x[k];
        }
        out[c] = (int16_t)tp_saturate_s16(tp_multiply_by_quantized_multiplier(acc, multipliers[c], shifts[c]));
    }
}

/** The int16 gate vectors, cell and reset vectors and the int8 state carved from `scratch`;
 *  the state starts at the hidden zero point (real zero), the cell at zero. */
typedef struct {
    int16_t *gx;
    int16_t *gh;
    int16_t *c;
    int16_t *rh;
    int8_t *h;
} tp_recurrent_s8_state;

static inline tp_recurrent_s8_state tp_recurrent_begin_s8(const tp_recurrent_s8_params *params,
                                                          const tp_recurrent_s8_quant *quant, int32_t width,
                                                          void *scratch)
{
    tp_recurrent_s8_state s;
    int32_t j;
    s.gx = (int16_t *)scratch;
    s.gh = s.gx + width;
    s.c = s.gh + width;
    s.rh = s.c + params->units;
    s.h = (int8_t *)(s.rh + params->units);
    for (j = 0; j < params->units; ++j) {
        s.c[j] = 0;
        s.h[j] = (int8_t)quant->output_zero_point;
    }
    return s;
}

/** Both products of every gate channel for the timestep processed at position `step`. */
static inline void tp_recurrent_products_s8(const tp_recurrent_s8_params *params, const tp_recurrent_s8_quant *quant,
                                            int32_t width, int32_t recurrent_rows, int32_t step, const int8_t *input,
                                            const int8_t *kernel, const int8_t *recurrent_kernel,
                                            const int32_t *input_bias, const int32_t *recurrent_bias,
                                            const tp_recurrent_s8_state *s)
{
    const int32_t t = params->go_backwards ? params->timesteps - 1 - step : step;
    tp_recurrent_project_s8(width, params->features, kernel, input_bias, quant->input_multipliers, quant->input_shifts,
                            input + (size_t)t * (size_t)params->features, s->gx);
    tp_recurrent_project_s8(recurrent_rows, params->units, recurrent_kernel, recurrent_bias,
                            quant->recurrent_multipliers, quant->recurrent_shifts, s->h, s->gh);
}

/** Writes the state after processing position `step`: a row of the sequence, or the last state. */
static inline void tp_recurrent_emit_s8(const tp_recurrent_s8_params *params, int32_t step, const int8_t *h,
                                        int8_t *output)
{
    int32_t j;
    if (params->return_sequences) {
        output += (size_t)step * (size_t)params->units;
    } else if (step != params->timesteps - 1) {
        return;
    }
    for (j = 0; j < params->units; ++j) {
        output[j] = h[j];
    }
}

/** `zero_point + multiply_by_quantized_multiplier(value)` clamped to the hidden state's range. */
static inline int8_t tp_recurrent_hidden_s8(const tp_recurrent_s8_quant *quant, int32_t value)
{
    return tp_requantize(value, quant->output_multiplier, quant->output_shift, quant->output_zero_point,
                         quant->output_min, quant->output_max);
}

/** `SimpleRNN`: `h = act(x . W + b + h . U)`, act tanh (`saturating` non-zero: Q3.12 through
 *  the table) or ReLU/linear (the products already at the hidden scale, clamped). */
static inline void tp_simple_rnn_s8(const tp_recurrent_s8_params *params, const tp_recurrent_s8_quant *quant,
                                    int32_t saturating, const int8_t *input, const int8_t *kernel,
                                    const int8_t *recurrent_kernel, const int32_t *input_bias,
                                    const int32_t *recurrent_bias, int8_t *output, void *scratch)
{
    const int32_t u = params->units;
    tp_recurrent_s8_state s = tp_recurrent_begin_s8(params, quant, u, scratch);
    int32_t step, j;
    for (step = 0; step < params->timesteps; ++step) {
        tp_recurrent_products_s8(params, quant, u, u, step, input, kernel, recurrent_kernel, input_bias,
                                 recurrent_bias, &s);
        for (j = 0; j < u; ++j) {
            const int32_t z = tp_saturate_s16((int32_t)s.gx[j] + (int32_t)s.gh[j]);
            if (saturating) {
                s.h[j] = tp_recurrent_hidden_s8(quant, tp_q15_lookup(tp_tanh_q15_table, z));
            } else {
                const int32_t v = z + quant->output_zero_point;
                s.h[j] = (int8_t)(v < quant->output_min ? quant->output_min : (v > quant->output_max ? quant->output_max : v));
            }
        }
        tp_recurrent_emit_s8(params, step, s.h, output);
    }
}

/** `LSTM`: `c = f * c + i * tanh(z_c)`, `h = o * tanh(c)`, gates `i, f, o` by sigmoid. */
static inline void tp_lstm_s8(const tp_recurrent_s8_params *params, const tp_recurrent_s8_quant *quant,
                              const int8_t *input, const int8_t *kernel, const int8_t *recurrent_kernel,
                              const int32_t *input_bias, const int32_t *recurrent_bias, int8_t *output, void *scratch)
{
    const int32_t u = params->units;
    const int32_t cs = quant->cell_shift;
    tp_recurrent_s8_state s = tp_recurrent_begin_s8(params, quant, 4 * u, scratch);
    int32_t step, j;
    for (step = 0; step < params->timesteps; ++step) {
        tp_recurrent_products_s8(params, quant, 4 * u, 4 * u, step, input, kernel, recurrent_kernel, input_bias,
                                 recurrent_bias, &s);
        for (j = 0; j < u; ++j) {
            const int32_t i = tp_q15_lookup(tp_sigmoid_q15_table, tp_saturate_s16((int32_t)s.gx[j] + s.gh[j]));
            const int32_t f = tp_q15_lookup(tp_sigmoid_q15_table, tp_saturate_s16((int32_t)s.gx[u + j] + s.gh[u + j]));
            const int32_t g = tp_q15_lookup(tp_tanh_q15_table, tp_saturate_s16((int32_t)s.gx[2 * u + j] + s.gh[2 * u + j]));
            const int32_t o = tp_q15_lookup(tp_sigmoid_q15_table, tp_saturate_s16((int32_t)s.gx[3 * u + j] + s.gh[3 * u + j]));
            const int32_t c = tp_saturate_s16(tp_rounding_divide_by_power_of_two(f * s.c[j], 15) +
                                              tp_rounding_divide_by_power_of_two(i * g, 30 - cs));
            const int32_t c12 = cs >= 12 ? tp_rounding_divide_by_power_of_two(c, cs - 12)
                                         : tp_saturate_s16(c * (1 << (12 - cs)));
            s.c[j] = (int16_t)c;
            s.h[j] = tp_recurrent_hidden_s8(quant, o * tp_q15_lookup(tp_tanh_q15_table, c12));
        }
        tp_recurrent_emit_s8(params, step, s.h, output);
    }
}

/** The GRU update `h = z * h + (1 - z) * candidate`: `z * (h - zp)` at `s_h * 2^-15` plus
 *  `(1 - z) * candidate` (Q0.30) rescaled there, then divided by `2^15`. */
static inline int8_t tp_gru_update_s8(const tp_recurrent_s8_quant *quant, int32_t z, int32_t candidate, int8_t h)
{
    const int32_t kept = z * ((int32_t)h - quant->output_zero_point);
    const int32_t added = tp_multiply_by_quantized_multiplier((32768 - z) * candidate, quant->output_multiplier,
                                                             quant->output_shift);
    const int32_t v = tp_rounding_divide_by_power_of_two(kept + added, 15) + quant->output_zero_point;
    return (int8_t)(v < quant->output_min ? quant->output_min : (v > quant->output_max ? quant->output_max : v));
}

/** `GRU` with `reset_after` (Keras 3's default): `candidate = tanh(x_h + r * (h . U_h + b_h))`. */
static inline void tp_gru_s8(const tp_recurrent_s8_params *params, const tp_recurrent_s8_quant *quant,
                             const int8_t *input, const int8_t *kernel, const int8_t *recurrent_kernel,
                             const int32_t *input_bias, const int32_t *recurrent_bias, int8_t *output, void *scratch)
{
    const int32_t u = params->units;
    tp_recurrent_s8_state s = tp_recurrent_begin_s8(params, quant, 3 * u, scratch);
    int32_t step, j;
    for (step = 0; step < params->timesteps; ++step) {
        tp_recurrent_products_s8(params, quant, 3 * u, 3 * u, step, input, kernel, recurrent_kernel, input_bias,
                                 recurrent_bias, &s);
        for (j = 0; j < u; ++j) {
            const int32_t z = tp_q15_lookup(tp_sigmoid_q15_table, tp_saturate_s16((int32_t)s.gx[j] + s.gh[j]));
            const int32_t r = tp_q15_lookup(tp_sigmoid_q15_table, tp_saturate_s16((int32_t)s.gx[u + j] + s.gh[u + j]));
            const int32_t reset = tp_rounding_divide_by_power_of_two(r * s.gh[2 * u + j], 15);
            const int32_t candidate =
                tp_q15_lookup(tp_tanh_q15_table, tp_saturate_s16((int32_t)s.gx[2 * u + j] + reset));
            s.h[j] = tp_gru_update_s8(quant, z, candidate, s.h[j]);
        }
        tp_recurrent_emit_s8(params, step, s.h, output);
    }
}

/** `GRU` with `reset_after = false`: `candidate = tanh(x_h + (r * h) . U_h)`, `r * (h - zp)` kept
 *  in int16 at the hidden scale. */
static inline void tp_gru_reset_before_s8(const tp_recurrent_s8_params *params, const tp_recurrent_s8_quant *quant,
                                          const int8_t *input, const int8_t *kernel, const int8_t *recurrent_kernel,
                                          const int32_t *input_bias, const int32_t *recurrent_bias, int8_t *output,
                                          void *scratch)
{
    const int32_t u = params->units;
    tp_recurrent_s8_state s = tp_recurrent_begin_s8(params, quant, 3 * u, scratch);
    int32_t step, j, k;
    for (step = 0; step < params->timesteps; ++step) {
        tp_recurrent_products_s8(params, quant, 3 * u, 2 * u, step, input, kernel, recurrent_kernel, input_bias,
                                 recurrent_bias, &s);
        for (j = 0; j < u; ++j) {
            const int32_t r = tp_q15_lookup(tp_sigmoid_q15_table, tp_saturate_s16((int32_t)s.gx[u + j] + s.gh[u + j]));
            s.gh[j] = (int16_t)tp_q15_lookup(tp_sigmoid_q15_table, tp_saturate_s16((int32_t)s.gx[j] + s.gh[j]));
            s.rh[j] = (int16_t)tp_rounding_divide_by_power_of_two(r * ((int32_t)s.h[j] - quant->output_zero_point), 15);
        }
        for (j = 0; j < u; ++j) {
            const int8_t *w = recurrent_kernel + (size_t)(2 * u + j) * (size_t)u;
            int32_t acc = recurrent_bias[2 * u + j];
            int32_t candidate;
            for (k = 0; k < u; ++k) {
                acc += (int32_t)w[k] * (int32_t)s.rh[k];
            }
            acc = tp_saturate_s16(tp_multiply_by_quantized_multiplier(acc, quant->recurrent_multipliers[2 * u + j],
                                                                      quant->recurrent_shifts[2 * u + j]));
            candidate = tp_q15_lookup(tp_tanh_q15_table, tp_saturate_s16((int32_t)s.gx[2 * u + j] + acc));
            s.gx[j] = (int16_t)candidate;
        }
        for (j = 0; j < u; ++j) {
            s.h[j] = tp_gru_update_s8(quant, s.gh[j], s.gx[j], s.h[j]);
        }
        tp_recurrent_emit_s8(params, step, s.h, output);
    }
}

#endif /* TP_RECURRENT_S8_H */
