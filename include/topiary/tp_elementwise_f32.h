/**
 * @file tp_elementwise_f32.h
 * @brief Float element-wise kernels: the merge layers (`Add`, `Subtract`, `Multiply`,
 *        `Average`, `Maximum`, `Minimum`), per-channel affine maps (`BatchNormalization`,
 *        `Rescaling`), `Normalization`, `PReLU` and standalone activations.
 *
 * Every kernel here reads element `i` of its inputs before writing element `i` of its output,
 * so the output may be the same buffer as the (first) input: the memory planner runs these
 * layers in place when the input is not needed afterwards.
 */
#ifndef TP_ELEMENTWISE_F32_H
#define TP_ELEMENTWISE_F32_H

#include "topiary.h"
#include "tp_activation_f32.h"

/** How a merge layer combines its inputs. */
typedef enum {
    TP_MERGE_ADD = 0,
    TP_MERGE_SUBTRACT,
    TP_MERGE_MULTIPLY,
    /** The sum divided by the number of inputs. */
    TP_MERGE_AVERAGE,
    TP_MERGE_MAXIMUM,
    TP_MERGE_MINIMUM
} tp_merge_kind;

/** Parameters of `tp_merge_f32`. */
typedef struct {
    tp_merge_kind kind;
    /** Number of inputs (2 for subtract). */
    int32_t count;
    /** Elements of each input and of the output. */
    int32_t size;
} tp_merge_f32_params;

/**
 * Combines `count` tensors of one shape element by element, left to right.
 *
 * @param inputs  `count` tensors of `size` elements
 * @param output  `size` elements; may be any of the inputs
 */
static inline void tp_merge_f32(const tp_merge_f32_params *params, const float *const *inputs, float *output)
{
    int32_t i, n;
    for (i = 0; i < params->size; ++i) {
        float acc = inputs[0][i];
        for (n = 1; n < params->count; ++n) {
            const float x = inputs[n][i];
            switch (params->kind) {
            case TP_MERGE_ADD:
            case TP_MERGE_AVERAGE:
                acc += x;
                break;
            case TP_MERGE_SUBTRACT:
                acc -= x;
                break;
            case TP_MERGE_MULTIPLY:
                acc *= x;
                break;
            case TP_MERGE_MAXIMUM:
                acc = tp_maxf(acc, x);
                break;
            case TP_MERGE_MINIMUM:
                acc = tp_minf(acc, x);
                break;
            }
        }
        if (params->kind == TP_MERGE_AVERAGE) {
            acc /= (float)params->count;
        }
        output[i] = acc;
    }
}

/** A tensor seen as `[outer, length, inner]` around the axis a per-channel op acts along. */
typedef struct {
    int32_t outer;
    int32_t length;
    int32_t inner;
} tp_axis_f32_params;

/** What `tp_per_index_f32` computes of a value `x` and the two parameters `p`, `q` of its index. */
typedef enum {
    /** `x · p + q` */
    TP_PER_INDEX_AFFINE,
    /** `(x − p) / q` */
    TP_PER_INDEX_NORMALIZE
} tp_per_index_map;

/**
 * `output = map(input, first[k], second[k])`, `k` the index along the axis. `map` is a
 * constant at every call, so that, inlined, each map has a loop of its own.
 */
TP_LOOP_BODY void tp_per_index_f32(tp_per_index_map map, const tp_axis_f32_params *params, const float *input,
                                       const float *first, const float *second, float *output)
{
    int32_t o, k, i;
    size_t index = 0;
    for (o = 0; o < params->outer; ++o) {
        for (k = 0; k < params->length; ++k) {
            const float p = first[k];
            const float q = second[k];
            for (i = 0; i < params->inner; ++i) {
                output[index] = map == TP_PER_INDEX_AFFINE ? input[index] * p + q : (input[index] - p) / q;
                index += 1;
            }
        }
    }
}

/**
 * `output = input · scale[k] + shift[k]`, `k` the index along the axis: inference-time
 * `BatchNormalization` (folded offline to one scale and shift per channel, as TensorFlow
 * does) and `Rescaling`.
 *
 * @param input   `[outer, length, inner]`
 * @param scale   `[length]`
 * @param shift   `[length]`
 * @param output  like `input`; may be `input`
 */
static inline void tp_affine_f32(const tp_axis_f32_params *params, const float *input, const float *scale,
                                 const float *shift, float *output)
{
    tp_per_index_f32(TP_PER_INDEX_AFFINE, params, input, scale, shift, output);
}

/**
 * Keras `Normalization`: `(input − mean[k]) / deviation[k]`, the deviation being
 * `max(sqrt(variance), 1e-7)` computed offline; computed in Keras's order (subtract, then
 * divide) rather than as an affine map so the results match Keras's.
 *
 * @param input   `[outer, length, inner]`
 * @param mean    `[length]`
 * @param deviation `[length]`
 * @param output  like `input`; may be `input`
 */
static inline void tp_normalize_f32(const tp_axis_f32_params *params, const float *input, const float *mean,
                                    const float *deviation, float *output)
{
    tp_per_index_f32(TP_PER_INDEX_NORMALIZE, params, input, mean, deviation, output);
}

/**
 * The inverse of `tp_normalize_f32` (Keras `Normalization(invert=True)`): `mean[k] + input · deviation[k]`,
 * which is `tp_affine_f32` to the bit because a float sum does not depend on the order of its two terms.
 */
static inline void tp_denormalize_f32(const tp_axis_f32_params *params, const float *input, const float *mean,
                                      const float *deviation, float *output)
{
    tp_affine_f32(params, input, deviation, mean, output);
}

/** Parameters of `tp_prelu_f32`. */
typedef struct {
    int32_t rank;
    /** The input's shape. */
    int32_t shape[TP_MAX_RANK];
    /** Stride of `alpha` along each input axis: 0 along the shared (broadcast) axes. */
    int32_t alpha_stride[TP_MAX_RANK];
} tp_prelu_f32_params;

/**
 * `PReLU`: `x > 0 ? x : alpha · x`, `alpha` broadcast over the shared axes.
 *
 * @param input   the input tensor, `shape`
 * @param alpha   the slopes, in Keras's layout with the shared axes of size 1
 * @param output  like `input`; may be `input`
 */
static inline void tp_prelu_f32(const tp_prelu_f32_params *params, const float *input, const float *alpha,
                                float *output)
{
    int32_t position[TP_MAX_RANK] = {0};
    const int32_t count = tp_shape_count(params->rank, params->shape);
    int32_t j, axis;
    for (j = 0; j < count; ++j) {
        const float x = input[j];
        if (x <= 0.0f) {
            int32_t source = 0;
            for (axis = 0; axis < params->rank; ++axis) {
                source += position[axis] * params->alpha_stride[axis];
            }
            output[j] = x * alpha[source];
        } else {
            output[j] = x;
        }
        tp_index_next(params->rank, params->shape, position);
    }
}

/** Parameters of `tp_activation_layer_f32`. */
typedef struct {
    int32_t size;
    tp_activation activation;
} tp_activation_layer_f32_params;

/**
 * A standalone activation layer (`Activation`, `ReLU`, `Softmax`, …).
 *
 * @param input   `size` elements
 * @param output  `size` elements; may be `input`
 */
static inline void tp_activation_layer_f32(const tp_activation_layer_f32_params *params, const float *input,
                                           float *output)
{
    tp_copy_f32(params->size, input, output);
    tp_activation_f32(&params->activation, output, params->size);
}

#endif /* TP_ELEMENTWISE_F32_H */
