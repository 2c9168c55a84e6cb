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

/** Starts `channels` running maxima (`take_max`) or sums. */
static inline void tp_pool_start_f32(int32_t channels, int take_max, float *out_row)
{
    int32_t c;
    for (c = 0; c < channels; ++c) {
        out_row[c] = take_max ? -INFINITY : 0.0f;
    }
}

/** Folds one input row into the running maxima (`take_max`) or sums, channel by channel. */
static inline void tp_pool_fold_f32(int32_t channels, int take_max, const float *in_row, float *out_row)
{
    int32_t c;
    if (take_max) {
        for (c = 0; c < channels; ++c) {
            out_row[c] = tp_maxf(out_row[c], in_row[c]);
        }
    } else {
        for (c = 0; c < channels; ++c) {
            out_row[c] += in_row[c];
        }
    }
}

/** Turns `channels` sums of `count` rows into means; an empty window keeps its zero sum. */
static inline void tp_pool_mean_f32(int32_t channels, int32_t count, float *out_row)
{
    const float divisor = (float)(count > 1 ? count : 1);
    int32_t c;
    for (c = 0; c < channels; ++c) {
        out_row[c] /= divisor;
    }
}

/**
 * Max (`take_max`) or average pooling: both walk the same windows, and choosing per tap
 * rather than per value keeps the channel loops as tight as separate kernels would.
 */
static inline void tp_pool2d_f32(const tp_window *w, int take_max, const float *input, float *output)
{
    const int32_t channels = w->channels;
    int32_t oy, ox, ky, kx;
    for (oy = 0; oy < w->output_h; ++oy) {
        for (ox = 0; ox < w->output_w; ++ox) {
            float *out_row = output + (size_t)(oy * w->output_w + ox) * (size_t)channels;
            int32_t count = 0;
            tp_pool_start_f32(channels, take_max, out_row);
            for (ky = 0; ky < w->kernel_h; ++ky) {
                for (kx = 0; kx < w->kernel_w; ++kx) {
                    const int32_t pixel = tp_window_pixel(w, oy, ox, ky, kx);
                    if (pixel < 0) {
                        continue;
                    }
                    count += 1;
                    tp_pool_fold_f32(channels, take_max, input + (size_t)pixel * (size_t)channels, out_row);
                }
            }
            if (!take_max) {
                tp_pool_mean_f32(channels, count, out_row);
            }
        }
    }
}

/**
 * Max pooling.
 *
 * @param params  geometry (`dilation` 1)
 * @param input   `[input_h, input_w, channels]`
 * @param output  `[output_h, output_w, channels]`; must not overlap `input`
 */
static inline void tp_max_pool2d_f32(const tp_pool2d_f32_params *params, const float *input, float *output)
{
    tp_pool2d_f32(&params->window, 1, input, output);
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
    tp_pool2d_f32(&params->window, 0, input, output);
}

/** Parameters of the global poolings: the input is `[positions, channels]`. */
typedef struct {
    int32_t positions;
    int32_t channels;
} tp_global_pool_f32_params;

/** Global max (`take_max`) or average pooling: one window covering every position. */
static inline void tp_global_pool_f32(const tp_global_pool_f32_params *params, int take_max, const float *input,
                                      float *output)
{
    int32_t p;
    tp_pool_start_f32(params->channels, take_max, output);
    for (p = 0; p < params->positions; ++p) {
        tp_pool_fold_f32(params->channels, take_max, input + (size_t)p * (size_t)params->channels, output);
    }
    if (!take_max) {
        tp_pool_mean_f32(params->channels, params->positions, output);
    }
}

/**
 * Global max pooling: one value per channel over every spatial position.
 *
 * @param input   `[positions, channels]` (any spatial shape, flattened)
 * @param output  `[channels]`
 */
static inline void tp_global_max_pool_f32(const tp_global_pool_f32_params *params, const float *input, float *output)
{
    tp_global_pool_f32(params, 1, input, output);
}

/**
 * Global average pooling: the mean of each channel over every spatial position.
 *
 * @param input   `[positions, channels]` (any spatial shape, flattened)
 * @param output  `[channels]`
 */
static inline void tp_global_avg_pool_f32(const tp_global_pool_f32_params *params, const float *input, float *output)
{
    tp_global_pool_f32(params, 0, input, output);
}

#endif /* TP_POOL_F32_H */
