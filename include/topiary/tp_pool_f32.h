/**
 * @file tp_pool_f32.h
 * @brief Float pooling: `MaxPooling1D/2D`, `AveragePooling1D/2D` ('valid' or 'same') and the
 *        global poolings.
 *
 * Padding positions never take part: max pooling ignores them, and 'same' average pooling
 * divides by the number of in-bounds positions of each window, as TensorFlow does.
 */
#ifndef TP_POOL_F32_H
#define TP_POOL_F32_H

#include <math.h>

#include "topiary.h"
#include "tp_window.h"

/** Parameters of `tp_max_pool2d_f32` and `tp_avg_pool2d_f32`. */
typedef struct {
    tp_window window;
} tp_pool2d_f32_params;

/**
 * Max pooling.
 *
 * @param params  geometry (`dilation` 1)
 * @param input   `[input_h, input_w, channels]`
 * @param output  `[output_h, output_w, channels]`; must not overlap `input`
 */
static inline void tp_max_pool2d_f32(const tp_pool2d_f32_params *params, const float *input, float *output)
{
    const tp_window *w = &params->window;
    const int32_t channels = w->channels;
    int32_t oy, ox, ky, kx, c;
    for (oy = 0; oy < w->output_h; ++oy) {
        for (ox = 0; ox < w->output_w; ++ox) {
            float *out_row = output + (size_t)(oy * w->output_w + ox) * (size_t)channels;
            for (c = 0; c < channels; ++c) {
                out_row[c] = -INFINITY;
            }
            for (ky = 0; ky < w->kernel_h; ++ky) {
                for (kx = 0; kx < w->kernel_w; ++kx) {
                    const int32_t pixel = tp_window_pixel(w, oy, ox, ky, kx);
                    const float *in_row;
                    if (pixel < 0) {
                        continue;
                    }
                    in_row = input + (size_t)pixel * (size_t)channels;
                    for (c = 0; c < channels; ++c) {
                        out_row[c] = tp_maxf(out_row[c], in_row[c]);
                    }
                }
            }
        }
    }
}

/**
 * Average pooling over the in-bounds positions of each window.
 *
 * @param params  geometry (`dilation` 1)
 * @param input   `[input_h, input_w, channels]`
 * @param output  `[output_h, output_w, channels]`; must not overlap `input`
 */
static inline void tp_avg_pool2d_f32(const tp_pool2d_f32_params *params, const float *input, float *output)
{
    const tp_window *w = &params->window;
    const int32_t channels = w->channels;
    int32_t oy, ox, ky, kx, c;
    for (oy = 0; oy < w->output_h; ++oy) {
        for (ox = 0; ox < w->output_w; ++ox) {
            float *out_row = output + (size_t)(oy * w->output_w + ox) * (size_t)channels;
            int32_t count = 0;
            float divisor;
            for (c = 0; c < channels; ++c) {
                out_row[c] = 0.0f;
            }
            for (ky = 0; ky < w->kernel_h; ++ky) {
                for (kx = 0; kx < w->kernel_w; ++kx) {
                    const int32_t pixel = tp_window_pixel(w, oy, ox, ky, kx);
                    const float *in_row;
                    if (pixel < 0) {
                        continue;
                    }
                    count += 1;
                    in_row = input + (size_t)pixel * (size_t)channels;
                    for (c = 0; c < channels; ++c) {
                        out_row[c] += in_row[c];
                    }
                }
            }
            divisor = (float)(count > 1 ? count : 1);
            for (c = 0; c < channels; ++c) {
                out_row[c] /= divisor;
            }
        }
    }
}

/** Parameters of the global poolings: the input is `[positions, channels]`. */
typedef struct {
    int32_t positions;
    int32_t channels;
} tp_global_pool_f32_params;

/**
 * Global max pooling: one value per channel over every spatial position.
 *
 * @param input   `[positions, channels]` (any spatial shape, flattened)
 * @param output  `[channels]`
 */
static inline void tp_global_max_pool_f32(const tp_global_pool_f32_params *params, const float *input, float *output)
{
    int32_t p, c;
    for (c = 0; c < params->channels; ++c) {
        output[c] = -INFINITY;
    }
    for (p = 0; p < params->positions; ++p) {
        const float *row = input + (size_t)p * (size_t)params->channels;
        for (c = 0; c < params->channels; ++c) {
            output[c] = tp_maxf(output[c], row[c]);
        }
    }
}

/**
 * Global average pooling: the mean of each channel over every spatial position.
 *
 * @param input   `[positions, channels]` (any spatial shape, flattened)
 * @param output  `[channels]`
 */
static inline void tp_global_avg_pool_f32(const tp_global_pool_f32_params *params, const float *input, float *output)
{
    int32_t p, c;
    const float divisor = (float)(params->positions > 1 ? params->positions : 1);
    for (c = 0; c < params->channels; ++c) {
        output[c] = 0.0f;
    }
    for (p = 0; p < params->positions; ++p) {
        const float *row = input + (size_t)p * (size_t)params->channels;
        for (c = 0; c < params->channels; ++c) {
            output[c] += row[c];
        }
    }
    for (c = 0; c < params->channels; ++c) {
        output[c] /= divisor;
    }
}

#endif /* TP_POOL_F32_H */
