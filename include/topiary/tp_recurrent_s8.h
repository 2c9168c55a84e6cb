/**
 * @file tp_recurrent_s8.h
 * @brief Integer recurrent layers over int8 `[timesteps, features]`: `SimpleRNN`, `GRU`
 *        (both `reset_after` variants) and `LSTM`, starting from zero state, with no
 *        floating point.
 *
 * The scheme follows TensorFlow Lite's integer LSTM ("8x8_16"): int8 input and hidden state
 * (the layer's output encoding), int8 weights with a scale per gate channel, int32 biases
 * into which the input's zero point is folded. A gate channel's input and recurrent products
 * share one accumulator: the kernel and the recurrent kernel of channel `c` are quantized at
 * scales `t[c] / s_x` and `t[c] / s_h`, so both products count in steps of `t[c]`, and one
 * multiplier takes the sum to int16 Q3.12. Sigmoid maps Q3.12 to Q0.15 through a 65-entry
 * table over [0, 8] with linear interpolation (and `sigmoid(-x) = 1 - sigmoid(x)`), and
 * `tanh(x) = 2 sigmoid(2x) - 1`; gates may instead take a hard sigmoid, a clamped line. The LSTM cell state is
 * int16 at scale `2^-cell_shift`. The hidden state is kept centred (`h - zero_point`, int16)
 * so that the recurrent product needs no zero-point term. A SimpleRNN with a ReLU or linear
 * activation rescales straight to the hidden state instead of Q3.12.
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

#include "tp_s8.h"

/** Shape of the recurrent kernels. */
typedef tp_recurrent_shape tp_recurrent_s8_params;

/** The integer rescaling of a recurrent layer. */
typedef struct {
    /** The accumulator of gate channel `c` to Q3.12 (to the hidden scale for a ReLU/linear
     *  SimpleRNN): the Q31 multiplier `multipliers[c] << 15` and the layer's one `shift` (the
     *  channels' weight scales are fitted to that grid). */
    const uint16_t *multipliers;
    int32_t shift;
    /** The product the hidden state is made of (Q0.15 or Q0.30) to the hidden scale. */
    int32_t output_multiplier;
    int32_t output_shift;
    /** LSTM: the cell state is int16 at scale `2^-cell_shift` (0..15). */
    int32_t cell_shift;
    /** The hidden state's zero point and clamp (a ReLU narrows it to the zero point). */
    int32_t output_zero_point;
    int32_t output_min;
    int32_t output_max;
    /** The gates' activation: 0 for the sigmoid, else the hard sigmoid `clamp(1/2 + x / divisor)`
     *  (6 for Keras 3's `relu6(x + 3) / 6`, 5 for Keras 2's `0.2 x + 0.5`). */
    int32_t hard_sigmoid_divisor;
} tp_recurrent_s8_quant;

/** Scratch bytes of every recurrent kernel: the int16 gates, and three int16 vectors of `units`
 *  (the centred hidden state, the cell state, a GRU's reset product). */
#define TP_RECURRENT_S8_SCRATCH(gates, units) (2 * (gates) * (units) + 6 * (units))

/** `round(2^15 * sigmoid(i/8))`: the Q0.15 sigmoid at every 1/8 of [0, 8] (`sigmoid(-x) = 1 - sigmoid(x)`). */
static const int16_t tp_sigmoid_q15_table[65] = {
    16384, 17407, 18421, 19420, 20397, 21344, 22255, 23127, 23955, 24737, 25471, 26155,
    26790, 27377, 27917, 28411, 28862, 29272, 29644, 29979, 30282, 30555, 30799, 31018,
    31214, 31389, 31545, 31684, 31807, 31917, 32015, 32102, 32179, 32247, 32307, 32361,
    32408, 32450, 32487, 32520, 32549, 32574, 32597, 32617, 32635, 32650, 32664, 32676,
    32687, 32696, 32705, 32712, 32719, 32725, 32730, 32734, 32738, 32742, 32745, 32747,
    32750, 32752, 32754, 32756, 32757
};

/** `x` clamped to the int16 range. */
static inline int32_t tp_saturate_s16(int32_t x)
{
    return x < -32768 ? -32768 : (x > 32767 ? 32767 : x);
}

/** Sigmoid of Q3.12 `x` as Q0.15: at `a = |x|` (32767 for -32768), table entries `a >> 9` and the next
 *  weighed by the low 9 bits of `a`, rounded half up; `2^15 - sigmoid(a)` for a negative `x`. */
static inline int32_t tp_sigmoid_q15(int32_t x)
{
    const int32_t a = x < 0 ? (x == -32768 ? 32767 : -x) : x;
    const int32_t low = tp_sigmoid_q15_table[a >> 9];
    const int32_t high = tp_sigmoid_q15_table[(a >> 9) + 1];
    const int32_t y = low + (((high - low) * (a & 511) + 256) >> 9);
    return x < 0 ? 32768 - y : y;
}

/** Tanh of Q3.12 `x` as Q0.15: `2 sigmoid(2x) - 1`, `2x` saturated to int16. */
static inline int32_t tp_tanh_q15(int32_t x)
{
    return 2 * tp_sigmoid_q15(tp_saturate_s16(2 * x)) - 32768;
}

/** Hard sigmoid of Q3.12 `x` as Q0.15: `16384 + 8x / divisor`, rounded half away from zero,
 *  clamped to [0, 32768]. */
static inline int32_t tp_hard_sigmoid_q15(int32_t x, int32_t divisor)
{
    const int32_t p = 8 * x;
    const int32_t y = 16384 + (p >= 0 ? p + divisor / 2 : p - divisor / 2) / divisor;
    return y < 0 ? 0 : (y > 32768 ? 32768 : y);
}

/** A gate's activation, the sigmoid or the hard sigmoid, as Q0.15. */
static inline int32_t tp_recurrent_gate_activation_s8(const tp_recurrent_s8_quant *quant, int32_t x)
{
    return quant->hard_sigmoid_divisor == 0 ? tp_sigmoid_q15(x) : tp_hard_sigmoid_q15(x, quant->hard_sigmoid_divisor);
}

/** `sat16(multiply_by_quantized_multiplier(acc))` with gate channel `c`'s multiplier. */
static inline int16_t tp_recurrent_gate_s8(const tp_recurrent_s8_quant *quant, int32_t c, int32_t acc)
{
    const int32_t multiplier = (int32_t)((uint32_t)quant->multipliers[c] << 15);
    return (int16_t)tp_saturate_s16(tp_multiply_by_quantized_multiplier(acc, multiplier, quant->shift));
}

/** `acc + w . x` over `n` int8 inputs: the features of a timestep, too few in the models this
 *  serves for a DSP body to pay for its code. */
static inline int32_t tp_recurrent_dot_s8(int32_t n, const int8_t *w, const int8_t *x, int32_t acc)
{
    int32_t k;
    for (k = 0; k < n; ++k) {
        acc += (int32_t)w[k] * (int32_t)x[k];
    }
    return acc;
}

/** `acc + w . x` over `n` int16 inputs (the centred hidden state, a GRU's reset product); on the
 *  DSP extension four at a time: the weight word widened to `(w0, w2)` and `(w1, w3)` meets the
 *  inputs packed the same way from two words, in two `__smlad`. */
static inline int32_t tp_recurrent_dot_s16(int32_t n, const int8_t *w, const int16_t *x, int32_t acc)
{
    int32_t k = 0;
#if defined(TP_USE_DSP)
    for (; k + 4 <= n; k += 4) {
        const uint32_t weights = tp_read_s8x4(w + k);
        uint32_t x01, x23;
        memcpy(&x01, x + k, sizeof x01);
        memcpy(&x23, x + k + 2, sizeof x23);
        acc = __smlad(__sxtb16(weights), (int32_t)((x01 & 0xFFFFu) | (x23 << 16)), acc);
        acc = __smlad(tp_sxtb16_odd(weights), (int32_t)((x01 >> 16) | (x23 & 0xFFFF0000u)), acc);
    }
#endif
    for (; k < n; ++k) {
        acc += (int32_t)w[k] * (int32_t)x[k];
    }
    return acc;
}

/** Gate channels `first..last-1`: `bias[c] + kernel[c] . x + recurrent_kernel[c] . h`, rescaled. From
 *  channel `split` on (a reset-after GRU's candidate) the two products are rescaled apart: the input
 *  one into `gates[c]`, the recurrent one plus `recurrent_bias[c - split]` into `reset[c - split]`. */
static inline void tp_recurrent_gates_s8(const tp_recurrent_s8_params *params, const tp_recurrent_s8_quant *quant,
                                  int32_t first, int32_t last, int32_t split, const int8_t *x, const int16_t *h,
                                  const int8_t *kernel, const int8_t *recurrent_kernel, const int32_t *bias,
                                  const int32_t *recurrent_bias, int16_t *gates, int16_t *reset)
{
    const int32_t f = params->features, u = params->units;
    int32_t c;
    for (c = first; c < last; ++c) {
        const int32_t input = tp_recurrent_dot_s8(f, kernel + (size_t)c * (size_t)f, x, bias[c]);
        const int32_t apart = c >= split;
        const int32_t recurrent =
            tp_recurrent_dot_s16(u, recurrent_kernel + (size_t)c * (size_t)u, h, apart ? recurrent_bias[c - split] : 0);
        if (apart) {
            reset[c - split] = tp_recurrent_gate_s8(quant, c, recurrent);
            gates[c] = tp_recurrent_gate_s8(quant, c, input);
        } else {
            gates[c] = tp_recurrent_gate_s8(quant, c, input + recurrent);
        }
    }
}

/** The working vectors carved from `scratch`; the centred state and the cell start at zero. */
typedef struct {
    int16_t *gates;
    int16_t *h;
    int16_t *c;
    int16_t *reset;
} tp_recurrent_s8_state;

static inline tp_recurrent_s8_state tp_recurrent_begin_s8(const tp_recurrent_s8_params *params, int32_t width,
                                                          void *scratch)
{
    tp_recurrent_s8_state s;
    int32_t j;
    s.gates = (int16_t *)scratch;
    s.h = s.gates + width;
    s.c = s.h + params->units;
    s.reset = s.c + params->units;
    for (j = 0; j < params->units; ++j) {
        s.h[j] = 0;
        s.c[j] = 0;
    }
    return s;
}

/** The input of the timestep processed at position `step`, honouring `go_backwards`. */
static inline const int8_t *tp_recurrent_input_s8(const tp_recurrent_s8_params *params, const int8_t *input,
                                                  int32_t step)
{
    return input + (size_t)tp_recurrent_timestep(params, step) * (size_t)params->features;
}

/** Writes the state after processing position `step`: a row of the sequence, or the last state. */
static inline void tp_recurrent_emit_s8(const tp_recurrent_s8_params *params, const tp_recurrent_s8_quant *quant,
                                        int32_t step, const int16_t *h, int8_t *output)
{
    const int32_t row = tp_recurrent_output_row(params, step);
    int32_t j;
    if (row < 0) {
        return;
    }
    output += (size_t)row * (size_t)params->units;
    for (j = 0; j < params->units; ++j) {
        output[j] = (int8_t)(h[j] + quant->output_zero_point);
    }
}

/** `value` (int8 after the zero point is added) clamped to the hidden state's range, centred again. */
static inline int16_t tp_recurrent_clamp_s8(const tp_recurrent_s8_quant *quant, int32_t value)
{
    const int32_t low = quant->output_min - quant->output_zero_point;
    const int32_t high = quant->output_max - quant->output_zero_point;
    return (int16_t)(value < low ? low : (value > high ? high : value));
}

/** The centred hidden state from a Q0.15 or Q0.30 `product`. */
static inline int16_t tp_recurrent_hidden_s8(const tp_recurrent_s8_quant *quant, int32_t product)
{
    return tp_recurrent_clamp_s8(
        quant, tp_multiply_by_quantized_multiplier(product, quant->output_multiplier, quant->output_shift));
}

/** `SimpleRNN`: `h = act(x . W + b + h . U)`, act tanh (`saturating` non-zero) or ReLU/linear (the
 *  gate already at the hidden scale, clamped). */
static inline void tp_simple_rnn_s8(const tp_recurrent_s8_params *params, const tp_recurrent_s8_quant *quant,
                                    int32_t saturating, const int8_t *input, const int8_t *kernel,
                                    const int8_t *recurrent_kernel, const int32_t *bias, int8_t *output,
                                    void *scratch)
{
    const int32_t u = params->units;
    tp_recurrent_s8_state s = tp_recurrent_begin_s8(params, u, scratch);
    int32_t step, j;
    for (step = 0; step < params->timesteps; ++step) {
        tp_recurrent_gates_s8(params, quant, 0, u, u, tp_recurrent_input_s8(params, input, step), s.h, kernel,
                              recurrent_kernel, bias, NULL, s.gates, NULL);
        for (j = 0; j < u; ++j) {
            s.h[j] = saturating ? tp_recurrent_hidden_s8(quant, tp_tanh_q15(s.gates[j]))
                                : tp_recurrent_clamp_s8(quant, s.gates[j]);
        }
        tp_recurrent_emit_s8(params, quant, step, s.h, output);
    }
}

/** `LSTM`: `c = f * c + i * tanh(z_c)`, `h = o * tanh(c)`, gates `i, f, o` by sigmoid. */
static inline void tp_lstm_s8(const tp_recurrent_s8_params *params, const tp_recurrent_s8_quant *quant,
                              const int8_t *input, const int8_t *kernel, const int8_t *recurrent_kernel,
                              const int32_t *bias, int8_t *output, void *scratch)
{
    const int32_t u = params->units;
    const int32_t cs = quant->cell_shift;
    tp_recurrent_s8_state s = tp_recurrent_begin_s8(params, 4 * u, scratch);
    int32_t step, j;
    for (step = 0; step < params->timesteps; ++step) {
        tp_recurrent_gates_s8(params, quant, 0, 4 * u, 4 * u, tp_recurrent_input_s8(params, input, step), s.h,
                              kernel, recurrent_kernel, bias, NULL, s.gates, NULL);
        for (j = 0; j < u; ++j) {
            const int32_t i = tp_recurrent_gate_activation_s8(quant, s.gates[j]);
            const int32_t f = tp_recurrent_gate_activation_s8(quant, s.gates[u + j]);
            const int32_t g = tp_tanh_q15(s.gates[2 * u + j]);
            const int32_t o = tp_recurrent_gate_activation_s8(quant, s.gates[3 * u + j]);
            const int32_t c = tp_saturate_s16(tp_rounding_divide_by_power_of_two(f * s.c[j], 15) +
                                              tp_rounding_divide_by_power_of_two(i * g, 30 - cs));
            const int32_t c12 = cs >= 12 ? tp_rounding_divide_by_power_of_two(c, cs - 12)
                                         : tp_saturate_s16(c * (1 << (12 - cs)));
            s.c[j] = (int16_t)c;
            s.h[j] = tp_recurrent_hidden_s8(quant, o * tp_tanh_q15(c12));
        }
        tp_recurrent_emit_s8(params, quant, step, s.h, output);
    }
}

/** The GRU update `h = z * h + (1 - z) * candidate`: `z * h` at `s_h * 2^-15` plus `(1 - z) *
 *  candidate` (Q0.30) rescaled there, divided by `2^15`. */
static inline int16_t tp_gru_update_s8(const tp_recurrent_s8_quant *quant, int32_t z, int32_t candidate, int32_t h)
{
    const int32_t added =
        tp_multiply_by_quantized_multiplier((32768 - z) * candidate, quant->output_multiplier, quant->output_shift);
    return tp_recurrent_clamp_s8(quant, tp_rounding_divide_by_power_of_two(z * h + added, 15));
}

/** `GRU` with `reset_after` (Keras 3's default): `candidate = tanh(x_h + b_h + r * (h . U_h + b_rh))`;
 *  `recurrent_bias` holds `b_rh`, one per unit. */
static inline void tp_gru_s8(const tp_recurrent_s8_params *params, const tp_recurrent_s8_quant *quant,
                             const int8_t *input, const int8_t *kernel, const int8_t *recurrent_kernel,
                             const int32_t *bias, const int32_t *recurrent_bias, int8_t *output, void *scratch)
{
    const int32_t u = params->units;
    tp_recurrent_s8_state s = tp_recurrent_begin_s8(params, 3 * u, scratch);
    int32_t step, j;
    for (step = 0; step < params->timesteps; ++step) {
        tp_recurrent_gates_s8(params, quant, 0, 3 * u, 2 * u, tp_recurrent_input_s8(params, input, step), s.h, kernel,
                              recurrent_kernel, bias, recurrent_bias, s.gates, s.reset);
        for (j = 0; j < u; ++j) {
            const int32_t z = tp_recurrent_gate_activation_s8(quant, s.gates[j]);
            const int32_t r = tp_recurrent_gate_activation_s8(quant, s.gates[u + j]);
            const int32_t reset = tp_rounding_divide_by_power_of_two(r * s.reset[j], 15);
            const int32_t candidate = tp_tanh_q15(tp_saturate_s16(s.gates[2 * u + j] + reset));
            s.h[j] = tp_gru_update_s8(quant, z, candidate, s.h[j]);
        }
        tp_recurrent_emit_s8(params, quant, step, s.h, output);
    }
}

/** `GRU` with `reset_after = false`: `candidate = tanh(x_h + b_h + (r * h) . U_h)`, `r * h` kept in
 *  int16 at the hidden scale. */
static inline void tp_gru_reset_before_s8(const tp_recurrent_s8_params *params, const tp_recurrent_s8_quant *quant,
                                          const int8_t *input, const int8_t *kernel, const int8_t *recurrent_kernel,
                                          const int32_t *bias, int8_t *output, void *scratch)
{
    const int32_t u = params->units;
    tp_recurrent_s8_state s = tp_recurrent_begin_s8(params, 3 * u, scratch);
    int32_t step, j;
    for (step = 0; step < params->timesteps; ++step) {
        const int8_t *x = tp_recurrent_input_s8(params, input, step);
        tp_recurrent_gates_s8(params, quant, 0, 2 * u, 3 * u, x, s.h, kernel, recurrent_kernel, bias, NULL, s.gates, NULL);
        for (j = 0; j < u; ++j) {
            s.reset[j] = (int16_t)tp_rounding_divide_by_power_of_two(tp_recurrent_gate_activation_s8(quant, s.gates[u + j]) * s.h[j], 15);
        }
        tp_recurrent_gates_s8(params, quant, 2 * u, 3 * u, 3 * u, x, s.reset, kernel, recurrent_kernel, bias, NULL,
                              s.gates, NULL);
        for (j = 0; j < u; ++j) {
            const int32_t z = tp_recurrent_gate_activation_s8(quant, s.gates[j]);
            s.h[j] = tp_gru_update_s8(quant, z, tp_tanh_q15(s.gates[2 * u + j]), s.h[j]);
        }
        tp_recurrent_emit_s8(params, quant, step, s.h, output);
    }
}

#endif /* TP_RECURRENT_S8_H */
