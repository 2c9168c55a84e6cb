/**
 * @file tp_layer_norm_f32.h
 * @brief Float `LayerNormalization` over any set of axes.
 *
 * The tensor is seen as groups (one per position of the axes that are not normalised), each
 * holding `count` values (the positions of the normalised axes). A value's offset is its
 * group's offset plus its offset within the group, each computed from the lengths and strides
 * of its own axes, so any choice of axes needs no index table.
 */
#ifndef TP_LAYER_NORM_F32_H
#define TP_LAYER_NORM_F32_H

#include <math.h>

#include "topiary.h"

/** Parameters of `tp_layer_norm_f32`. */
typedef struct {
    /** The axes that are not normalised: their count, lengths and strides (in elements). */
    int32_t group_rank;
    int32_t group_shape[TP_MAX_RANK];
    int32_t group_stride[TP_MAX_RANK];
    /** The normalised axes, likewise. */
    int32_t norm_rank;
    int32_t norm_shape[TP_MAX_RANK];
    int32_t norm_stride[TP_MAX_RANK];
    float epsilon;
} tp_layer_norm_f32_params;

/** The offset of the `index`-th multi-index (row-major) of `shape[rank]` with `stride`. */
static inline int32_t tp_layer_norm_offset(int32_t rank, const int32_t *shape, const int32_t *stride, int32_t index)
{
    int32_t offset = 0;
    int32_t axis;
    for (axis = rank - 1; axis >= 0; --axis) {
        offset += (index % shape[axis]) * stride[axis];
        index /= shape[axis];
    }
    return offset;
}

/**
 * `(x - mean) / sqrt(variance + epsilon) * gamma + beta` per group.
 *
 * @param gamma   one value per normalised position, or NULL for 1
 * @param beta    one value per normalised position, or NULL for 0
 * @param output  may be `input`
 */
static inline void tp_layer_norm_f32(const tp_layer_norm_f32_params *params, const float *input, const float *gamma,
                                     const float *beta, float *output)
{
    const int32_t groups = tp_shape_count(params->group_rank, params->group_shape);
    const int32_t count = tp_shape_count(params->norm_rank, params->norm_shape);
    int32_t g, k;
    for (g = 0; g < groups; ++g) {
        const int32_t base = tp_layer_norm_offset(params->group_rank, params->group_shape, params->group_stride, g);
        float mean = 0.0f;
        float variance = 0.0f;
        float inverse;
        for (k = 0; k < count; ++k) {
            mean += input[base + tp_layer_norm_offset(params->norm_rank, params->norm_shape, params->norm_stride, k)];
        }
        mean /= (float)count;
        for (k = 0; k < count; ++k) {
            const float d = input[base + tp_layer_norm_offset(params->norm_rank, params->norm_shape, params->norm_stride, k)] - mean;
            variance += d * d;
        }
        variance /= (float)count;
        inverse = 1.0f / sqrtf(variance + params->epsilon);
        for (k = 0; k < count; ++k) {
            const int32_t at = base + tp_layer_norm_offset(params->norm_rank, params->norm_shape, params->norm_stride, k);
            const float scale = gamma != NULL ? gamma[k] : 1.0f;
            const float shift = beta != NULL ? beta[k] : 0.0f;
            output[at] = (input[at] - mean) * inverse * scale + shift;
        }
    }
}

#endif /* TP_LAYER_NORM_F32_H */
