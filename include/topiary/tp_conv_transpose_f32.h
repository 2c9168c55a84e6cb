/**
 * @file tp_conv_transpose_f32.h
 * @brief Float transposed convolution (`Conv1DTranspose`, `Conv2DTranspose`), channels-last.
 *
 * Each input pixel scatters its channels through the kernel into the output window it maps
 * to: input position `i` adds into output position `i * stride + k - crop` for every kernel
 * tap `k`, positions outside the output being dropped. A 1D layer is a 2D one of height 1.
 */
#ifndef TP_CONV_TRANSPOSE_F32_H
#define TP_CONV_TRANSPOSE_F32_H

#include "tp_activation_f32.h"

/** Parameters of `tp_conv_transpose2d_f32`. */
typedef struct {
    int32_t input_height, input_width, channels;
    int32_t output_height, output_width, filters;
    int32_t kernel_height, kernel_width;
    int32_t stride_height, stride_width;
    /** Positions cut from the start of the full scatter (half the `same` surplus). */
    int32_t crop_height, crop_width;
    tp_activation activation;
} tp_conv_transpose2d_f32_params;

/**
 * Transposed convolution plus bias and activation.
 *
 * @param input   `[input_height, input_width, channels]`
 * @param kernel  Keras's layout `[kernel_height, kernel_width, filters, channels]`
 * @param bias    `[filters]`, or NULL
 * @param output  `[output_height, output_width, filters]`; must not overlap `input`
 */
static inline void tp_conv_transpose2d_f32(const tp_conv_transpose2d_f32_params *params, const float *input,
                                           const float *kernel, const float *bias, float *output)
{
    const int32_t cin = params->channels;
    const int32_t filters = params->filters;
    const int32_t count = params->output_height * params->output_width * filters;
    int32_t iy, ix, ky, kx, f, c, i;
    for (i = 0; i < count; ++i) {
        output[i] = 0.0f;
    }
    for (iy = 0; iy < params->input_height; ++iy) {
        for (ix = 0; ix < params->input_width; ++ix) {
            const float *pixel = input + ((size_t)iy * (size_t)params->input_width + (size_t)ix) * (size_t)cin;
            for (ky = 0; ky < params->kernel_height; ++ky) {
                const int32_t oy = iy * params->stride_height + ky - params->crop_height;
                if (oy < 0 || oy >= params->output_height) {
                    continue;
                }
                for (kx = 0; kx < params->kernel_width; ++kx) {
                    const int32_t ox = ix * params->stride_width + kx - params->crop_width;
                    float *target;
                    const float *tap;
                    if (ox < 0 || ox >= params->output_width) {
                        continue;
                    }
                    target = output + ((size_t)oy * (size_t)params->output_width + (size_t)ox) * (size_t)filters;
                    tap = kernel + ((size_t)ky * (size_t)params->kernel_width + (size_t)kx) * (size_t)filters * (size_t)cin;
                    for (f = 0; f < filters; ++f) {
                        float sum = 0.0f;
                        for (c = 0; c < cin; ++c) {
                            sum += pixel[c] * tap[(size_t)f * (size_t)cin + (size_t)c];
                        }
                        target[f] += sum;
                    }
                }
            }
        }
    }
    if (bias != NULL) {
        for (i = 0; i < count; ++i) {
            output[i] += bias[i % filters];
        }
    }
    tp_activation_f32(&params->activation, output, count);
}

#endif /* TP_CONV_TRANSPOSE_F32_H */
