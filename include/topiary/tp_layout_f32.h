/**
 * @file tp_layout_f32.h
 * @brief Float kernels that move data without arithmetic: `Permute`, `ZeroPadding1D/2D/3D`,
 *        `Cropping1D/2D/3D`, `UpSampling1D/2D/3D`, `Concatenate`, and the reversal of a time axis
 *        (the backward half of `Bidirectional`).
 *
 * Index arithmetic is done with per-axis counters, so no index table is stored in flash.
 */
#ifndef TP_LAYOUT_F32_H
#define TP_LAYOUT_F32_H

#include "topiary.h"

/** Parameters of `tp_permute_f32`. */
typedef struct {
    int32_t rank;
    /** The output's shape. */
    int32_t output_shape[TP_MAX_RANK];
    /** For each output axis, the input stride (in elements) of the input axis it comes from. */
    int32_t input_stride[TP_MAX_RANK];
} tp_permute_f32_params;

/**
 * Transposes `input` so that output axis `i` is input axis `dims[i]`.
 *
 * @param input   the input tensor, row-major
 * @param output  the permuted tensor `output_shape`; must not overlap `input`
 */
static inline void tp_permute_f32(const tp_permute_f32_params *params, const float *input, float *output)
{
    int32_t index[TP_MAX_RANK] = {0};
    const int32_t count = tp_shape_count(params->rank, params->output_shape);
    int32_t j, axis;
    for (j = 0; j < count; ++j) {
        int32_t source = 0;
        for (axis = 0; axis < params->rank; ++axis) {
            source += index[axis] * params->input_stride[axis];
        }
        output[j] = input[source];
        tp_index_next(params->rank, params->output_shape, index);
    }
}

/** Parameters of `tp_resample_f32`: padding, cropping or up-sampling of each spatial axis. */
typedef struct {
    /** Spatial axes (1 to 3). */
    int32_t rank;
    int32_t channels;
    int32_t input_shape[TP_MAX_RANK];
    int32_t output_shape[TP_MAX_RANK];
    /**
     * Output position `o` of an axis reads input position `(o + offset) / size`: `offset` is
     * `-before` for padding, `+before` for cropping and 0 for up-sampling; `size` is the
     * up-sampling factor, 1 otherwise. Positions outside the input are zero.
     */
    int32_t offset[TP_MAX_RANK];
    int32_t size[TP_MAX_RANK];
} tp_resample_f32_params;

/**
 * Zero padding, cropping and nearest-neighbour up-sampling of the spatial axes of a
 * channels-last tensor: each output position copies the channels of one input position, or
 * is zero.
 *
 * @param input   `[input_shape..., channels]`
 * @param output  `[output_shape..., channels]`; must not overlap `input`
 */
static inline void tp_resample_f32(const tp_resample_f32_params *params, const float *input, float *output)
{
    int32_t position[TP_MAX_RANK] = {0};
    const int32_t positions = tp_shape_count(params->rank, params->output_shape);
    const int32_t channels = params->channels;
    int32_t p, axis, c;
    for (p = 0; p < positions; ++p) {
        int32_t source = 0;
        int inside = 1;
        float *out_row = output + (size_t)p * (size_t)channels;
        for (axis = 0; axis < params->rank; ++axis) {
            const int32_t size = params->size[axis];
            int32_t i = position[axis] + params->offset[axis];
            if (i < 0 || i >= params->input_shape[axis] * size) {
                inside = 0;
                break;
            }
            if (size != 1) {
                i /= size;
            }
            source = source * params->input_shape[axis] + i;
        }
        if (inside) {
            tp_copy_f32(channels, input + (size_t)source * (size_t)channels, out_row);
        } else {
            for (c = 0; c < channels; ++c) {
                out_row[c] = 0.0f;
            }
        }
        tp_index_next(params->rank, params->output_shape, position);
    }
}

/** Parameters of `tp_concatenate_f32`. */
typedef struct {
    int32_t count;
    /** Product of the axes before the concatenation axis. */
    int32_t outer;
    /** For each input, the elements it contributes per outer index (its axis length times the inner size). */
    const int32_t *blocks;
} tp_concatenate_f32_params;

/**
 * Concatenation: for every outer index, the inputs' blocks are appended in input order.
 *
 * @param inputs  `count` tensors
 * @param output  the concatenation; must not overlap any input
 */
static inline void tp_concatenate_f32(const tp_concatenate_f32_params *params, const float *const *inputs, float *output)
{
    int32_t o, n;
    float *out = output;
    for (o = 0; o < params->outer; ++o) {
        for (n = 0; n < params->count; ++n) {
            const int32_t block = params->blocks[n];
            tp_copy_f32(block, inputs[n] + (size_t)o * (size_t)block, out);
            out += block;
        }
    }
}

/** Parameters of `tp_reverse_f32`. */
typedef struct {
    /** Product of the axes before the reversed one. */
    int32_t outer;
    /** Length of the reversed axis. */
    int32_t length;
    /** Product of the axes after it: the elements moved as one row. */
    int32_t inner;
} tp_reverse_f32_params;

/**
 * Reverses the order of the rows along one axis.
 *
 * @param output  must not overlap `input`
 */
static inline void tp_reverse_f32(const tp_reverse_f32_params *params, const float *input, float *output)
{
    int32_t o, i;
    const size_t inner = (size_t)params->inner;
    for (o = 0; o < params->outer; ++o) {
        const float *in = input + (size_t)o * (size_t)params->length * inner;
        float *out = output + (size_t)o * (size_t)params->length * inner;
        for (i = 0; i < params->length; ++i) {
            tp_copy_f32(params->inner, in + (size_t)(params->length - 1 - i) * inner, out + (size_t)i * inner);
        }
    }
}

#endif /* TP_LAYOUT_F32_H */
