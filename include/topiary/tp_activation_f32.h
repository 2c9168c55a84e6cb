/**
 * @file tp_activation_f32.h
 * @brief Float activations: every activation Keras offers, computed exactly as Topiary's
 *        Swift reference engine computes them (same formulas, same libm calls, same order),
 *        so generated code and reference agree to the last bit on the same libm.
 */
#ifndef TP_ACTIVATION_F32_H
#define TP_ACTIVATION_F32_H

#include <math.h>

#include "topiary.h"

/** Which activation a layer applies. */
typedef enum {
    TP_ACT_LINEAR = 0,
    /** `max(x, 0)`, capped at `max_value` when `has_max`. */
    TP_ACT_RELU,
    /** `x >= max_value ? max_value : x >= threshold ? x : alpha * (x - threshold)`. */
    TP_ACT_RELU_GENERAL,
    TP_ACT_SIGMOID,
    /** Keras 3: `relu6(x + 3) / 6`. */
    TP_ACT_HARD_SIGMOID,
    /** Keras 2: `clip(0.2 x + 0.5, 0, 1)`. */
    TP_ACT_HARD_SIGMOID_KERAS2,
    TP_ACT_TANH,
    /** Along one axis: see `tp_activation::outer`, `length`, `inner`. */
    TP_ACT_SOFTMAX,
    TP_ACT_LOG_SOFTMAX,
    /** `x > 0 ? x : alpha * (exp(x) - 1)`. */
    TP_ACT_ELU,
    TP_ACT_SELU,
    TP_ACT_SOFTPLUS,
    TP_ACT_SOFTSIGN,
    /** `x * sigmoid(x)` (also `silu`). */
    TP_ACT_SWISH,
    /** `0.5 x (1 + erf(x / sqrt 2))`. */
    TP_ACT_GELU,
    /** `0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))`. */
    TP_ACT_GELU_TANH,
    TP_ACT_EXPONENTIAL,
    /** `x * relu6(x + 3) / 6`. */
    TP_ACT_HARD_SWISH,
    /** `x * tanh(softplus(x))`. */
    TP_ACT_MISH
} tp_activation_kind;

/**
 * An activation and its parameters.
 *
 * Softmax and log-softmax normalise along one axis of the tensor they are applied to, seen as
 * `[outer, length, inner]` with the axis in the middle; the other kinds ignore the layout.
 */
typedef struct {
    tp_activation_kind kind;
    /** Relu: negative slope; ELU: alpha. */
    float alpha;
    /** Relu: the cap, used when `has_max` is non-zero. */
    float max_value;
    /** Relu: values below it take the negative slope. */
    float threshold;
    int32_t has_max;
    /** Softmax layout: `outer * length * inner` elements, normalised along `length`. */
    int32_t outer;
    int32_t length;
    int32_t inner;
} tp_activation;

/** The logistic function, without overflow on either side. */
static inline float tp_sigmoid_f32(float x)
{
    float e;
    if (x >= 0.0f) {
        return 1.0f / (1.0f + expf(-x));
    }
    e = expf(x);
    return e / (1.0f + e);
}

/** `log(1 + exp(x))` without overflow for large `x` or loss for very negative `x`. */
static inline float tp_softplus_f32(float x)
{
    return tp_maxf(x, 0.0f) + log1pf(expf(-fabsf(x)));
}

/** The general rectifier: cap, threshold and negative slope. */
static inline float tp_relu_general_f32(const tp_activation *act, float x)
{
    if (act->has_max && x >= act->max_value) {
        return act->max_value;
    }
    if (x >= act->threshold) {
        return x;
    }
    return act->alpha * (x - act->threshold);
}

/**
 * The activation of one value (what recurrent cells apply to their gates). Softmax and
 * log-softmax have no per-value form and return `x` unchanged, as the reference does.
 */
static inline float tp_activation_scalar_f32(const tp_activation *act, float x)
{
    switch (act->kind) {
    case TP_ACT_LINEAR:
    case TP_ACT_SOFTMAX:
    case TP_ACT_LOG_SOFTMAX:
        return x;
    case TP_ACT_RELU:
    case TP_ACT_RELU_GENERAL:
        return tp_relu_general_f32(act, x);
    case TP_ACT_SIGMOID:
        return tp_sigmoid_f32(x);
    case TP_ACT_HARD_SIGMOID:
        return tp_minf(tp_maxf(x + 3.0f, 0.0f), 6.0f) / 6.0f;
    case TP_ACT_HARD_SIGMOID_KERAS2:
        return tp_minf(tp_maxf(0x1.99999ap-3f * x + 0.5f, 0.0f), 1.0f);
    case TP_ACT_TANH:
        return tanhf(x);
    case TP_ACT_ELU:
        return x > 0.0f ? x : act->alpha * expm1f(x);
    case TP_ACT_SELU: {
        /* 1.0507009873554805 and 1.6732632423543772, rounded to float. */
        const float scale = 0x1.0cfabep+0f;
        const float alpha = 0x1.ac5afap+0f;
        return x > 0.0f ? scale * x : scale * alpha * expm1f(x);
    }
    case TP_ACT_SOFTPLUS:
        return tp_softplus_f32(x);
    case TP_ACT_SOFTSIGN:
        return x / (1.0f + fabsf(x));
    case TP_ACT_SWISH:
        return x * tp_sigmoid_f32(x);
    case TP_ACT_GELU:
        /* 1 / sqrt(2), rounded to float. */
        return 0.5f * x * (1.0f + erff(x * 0x1.6a09e6p-1f));
    case TP_ACT_GELU_TANH:
        /* sqrt(2 / pi) and 0.044715, rounded to float. */
        return 0.5f * x * (1.0f + tanhf(0x1.988454p-1f * (x + 0x1.6e4e26p-5f * x * x * x)));
    case TP_ACT_EXPONENTIAL:
        return expf(x);
    case TP_ACT_HARD_SWISH:
        return x * tp_minf(tp_maxf(x + 3.0f, 0.0f), 6.0f) / 6.0f;
    case TP_ACT_MISH:
        return x * tanhf(tp_softplus_f32(x));
    }
    return x;
}

/**
 * Softmax (or log-softmax) of `data`, laid out `[outer, length, inner]`, along `length`:
 * the maximum is subtracted first, as Keras does, so large logits cannot overflow.
 */
static inline void tp_softmax_f32(const tp_activation *act, float *data)
{
    int32_t o, i, k;
    const int32_t length = act->length;
    const int32_t inner = act->inner;
    const int log_form = act->kind == TP_ACT_LOG_SOFTMAX;
    for (o = 0; o < act->outer; ++o) {
        for (i = 0; i < inner; ++i) {
            float *v = data + (int32_t)o * length * inner + i;
            float maximum = -INFINITY;
            float sum = 0.0f;
            for (k = 0; k < length; ++k) {
                maximum = tp_maxf(maximum, v[k * inner]);
            }
            for (k = 0; k < length; ++k) {
                const float e = expf(v[k * inner] - maximum);
                sum += e;
                if (!log_form) {
                    v[k * inner] = e;
                }
            }
            if (log_form) {
                const float log_sum = logf(sum);
                for (k = 0; k < length; ++k) {
                    v[k * inner] = v[k * inner] - maximum - log_sum;
                }
            } else {
                for (k = 0; k < length; ++k) {
                    v[k * inner] /= sum;
                }
            }
        }
    }
}

/**
 * Applies `act` in place to `count` values. Softmax uses the layout in `act`, whose
 * `outer * length * inner` must equal `count`.
 */
static inline void tp_activation_f32(const tp_activation *act, float *data, int32_t count)
{
    int32_t i;
    switch (act->kind) {
    case TP_ACT_LINEAR:
        return;
    case TP_ACT_SOFTMAX:
    case TP_ACT_LOG_SOFTMAX:
        tp_softmax_f32(act, data);
        return;
    case TP_ACT_RELU:
        if (act->has_max) {
            for (i = 0; i < count; ++i) {
                data[i] = tp_minf(tp_maxf(data[i], 0.0f), act->max_value);
            }
        } else {
            for (i = 0; i < count; ++i) {
                data[i] = tp_maxf(data[i], 0.0f);
            }
        }
        return;
    default:
        for (i = 0; i < count; ++i) {
            data[i] = tp_activation_scalar_f32(act, data[i]);
        }
        return;
    }
}

#endif /* TP_ACTIVATION_F32_H */
