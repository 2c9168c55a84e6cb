/**
 * @file tp_conv_f32.h
 * @brief Float convolutions: `Conv1D/2D`, `DepthwiseConv1D/2D` and `SeparableConv1D/2D`,
 *        any stride and dilation, 'valid', 'same' or 'causal' padding.
 */
#ifndef TP_CONV_F32_H
#define TP_CONV_F32_H

#include "topiary.h"
#include "tp_activation_f32.h"
#include "tp_matmul_f32.h"
#include "tp_window.h"

/** Parameters of `tp_conv2d_f32`. */
typedef struct {
    tp_window window;
    int32_t filters;
    /** Applied to the whole output. */
    tp_activation activation;
} tp_conv2d_f32_params;

/**
 * Convolution with a kernel stored as `storage` (`scales [filters]` for int8, unused for
 * float32). The Keras kernel `[kh, kw, cin, filters]` is, flattened, the `[taps · cin, filters]`
 * matrix that multiplies an im2col patch, so each output position accumulates one `cin`-long
 * input slice per in-bounds tap; no patch is materialised.
 */
TP_LOOP_BODY void tp_conv2d_stored_f32(tp_weight_storage storage, const tp_conv2d_f32_params *params, const float *input,
                                           const void *kernel, const float *scales, const float *bias, float *output)
{
    const tp_window *w = &params->window;
    const int32_t cin = w->channels;
    const int32_t filters = params->filters;
    const int32_t positions = w->output_h * w->output_w;
    int32_t oy, ox, ky, kx;
    tp_fill_rows_f32(positions, filters, bias, output);
    for (oy = 0; oy < w->output_h; ++oy) {
        for (ox = 0; ox < w->output_w; ++ox) {
            float *out_row = output + (size_t)(oy * w->output_w + ox) * (size_t)filters;
            for (ky = 0; ky < w->kernel_h; ++ky) {
                for (kx = 0; kx < w->kernel_w; ++kx) {
                    const int32_t pixel = tp_window_pixel(w, oy, ox, ky, kx);
                    const int32_t tap = ky * w->kernel_w + kx;
                    if (pixel < 0) {
                        continue;
                    }
                    tp_matmul_acc_of_f32(storage, 1, cin, filters, input + (size_t)pixel * (size_t)cin,
                                         tp_weights_from(storage, kernel, (size_t)tap * (size_t)cin * (size_t)filters),
                                         scales, filters, out_row);
                }
            }
        }
    }
    tp_activation_f32(&params->activation, output, positions * filters);
}

/**
 * Convolution.
 *
 * @param params  geometry, filters, activation
 * @param input   `[input_h, input_w, channels]`
 * @param kernel  `[kernel_h, kernel_w, channels, filters]`
 * @param bias    `[filters]`, or null
 * @param output  `[output_h, output_w, filters]`; must not overlap `input`
 */
static inline void tp_conv2d_f32(const tp_conv2d_f32_params *params, const float *input,
                                 const float *kernel, const float *bias, float *output)
{
    tp_conv2d_stored_f32(TP_WEIGHTS_F32, params, input, kernel, NULL, bias, output);
}

/** Parameters of `tp_depthwise_conv2d_f32`. */
typedef struct {
    tp_window window;
    /** Output channels per input channel. */
    int32_t multiplier;
    /** Applied to the whole output. */
    tp_activation activation;
} tp_depthwise_conv2d_f32_params;

/**
 * Depthwise filtering plus bias, without the activation, with a kernel stored as `storage`
 * (`scales [channels · multiplier]` for int8, unused for float32): output channel
 * `c · multiplier + m` filters input channel `c`. Flattened, the kernel is
 * `[taps, channels · multiplier]` in the output's channel order, so each tap is one contiguous
 * multiply-add.
 */
TP_LOOP_BODY void tp_depthwise_filter_stored_f32(tp_weight_storage storage, const tp_window *w, int32_t multiplier,
                                                     const float *input, const void *kernel, const float *scales,
                                                     const float *bias, float *output)
{
    const int32_t cin = w->channels;
    const int32_t width = cin * multiplier;
    int32_t oy, ox, ky, kx, c, j;
    tp_fill_rows_f32(w->output_h * w->output_w, width, bias, output);
    for (oy = 0; oy < w->output_h; ++oy) {
        for (ox = 0; ox < w->output_w; ++ox) {
            float *out_row = output + (size_t)(oy * w->output_w + ox) * (size_t)width;
            for (ky = 0; ky < w->kernel_h; ++ky) {
                for (kx = 0; kx < w->kernel_w; ++kx) {
                    const int32_t pixel = tp_window_pixel(w, oy, ox, ky, kx);
                    const float *x_row;
                    const void *w_row;
                    if (pixel < 0) {
                        continue;
                    }
                    x_row = input + (size_t)pixel * (size_t)cin;
                    w_row = tp_weights_from(storage, kernel, (size_t)(ky * w->kernel_w + kx) * (size_t)width);
                    if (multiplier == 1) {
                        for (c = 0; c < cin; ++c) {
                            out_row[c] += x_row[c] * tp_weight_f32(storage, w_row, scales, c);
                        }
                    } else {
                        for (c = 0; c < cin; ++c) {
                            const float a = x_row[c];
                            for (j = 0; j < multiplier; ++j) {
                                const int32_t k = c * multiplier + j;
                                out_row[k] += a * tp_weight_f32(storage, w_row, scales, k);
                            }
                        }
                    }
                }
            }
        }
    }
}

/** `tp_depthwise_filter_stored_f32` for a float32 kernel. */
static inline void tp_depthwise_filter_f32(const tp_window *w, int32_t multiplier, const float *input,
                                           const float *kernel, const float *bias, float *output)
{
    tp_depthwise_filter_stored_f32(TP_WEIGHTS_F32, w, multiplier, input, kernel, NULL, bias, output);
}

/**
 * Depthwise convolution.
 *
 * @param params  geometry, multiplier, activation
 * @param input   `[input_h, input_w, channels]`
 * @param kernel  `[kernel_h, kernel_w, channels, multiplier]`
 * @param bias    `[channels · multiplier]`, or null
 * @param output  `[output_h, output_w, channels · multiplier]`; must not overlap `input`
 */
static inline void tp_depthwise_conv2d_f32(const tp_depthwise_conv2d_f32_params *params, const float *input,
                                           const float *kernel, const float *bias, float *output)
{
    const tp_window *w = &params->window;
    tp_depthwise_filter_f32(w, params->multiplier, input, kernel, bias, output);
    tp_activation_f32(&params->activation, output,
                      w->output_h * w->output_w * w->channels * params->multiplier);
}

/** Parameters of `tp_separable_conv2d_f32`. */
typedef struct {
    tp_window window;
    int32_t multiplier;
    int32_t filters;
    /** Applied to the whole output. */
    tp_activation activation;
} tp_separable_conv2d_f32_params;

/** Floats of scratch memory `tp_separable_conv2d_f32` needs: the depthwise result. */
#define TP_SEPARABLE_CONV2D_F32_SCRATCH(output_h, output_w, channels, multiplier) \
    ((output_h) * (output_w) * (channels) * (multiplier))

/**
 * Separable convolution with kernels stored as `storage` (for int8, `depthwise_scales
 * [channels · multiplier]` and `pointwise_scales [filters]`; unused for float32): a depthwise
 * filter without bias into `scratch`, then a 1×1 pointwise convolution with the layer's bias
 * and activation, as Keras computes it.
 */
TP_LOOP_BODY void tp_separable_conv2d_stored_f32(tp_weight_storage storage, const tp_separable_conv2d_f32_params *params,
                                                     const float *input, const void *depthwise, const float *depthwise_scales,
                                                     const void *pointwise, const float *pointwise_scales,
                                                     const float *bias, float *output, float *scratch)
{
    const tp_window *w = &params->window;
    const int32_t positions = w->output_h * w->output_w;
    const int32_t width = w->channels * params->multiplier;
    tp_depthwise_filter_stored_f32(storage, w, params->multiplier, input, depthwise, depthwise_scales, NULL, scratch);
    tp_fill_rows_f32(positions, params->filters, bias, output);
    tp_matmul_acc_of_f32(storage, positions, width, params->filters, scratch, pointwise, pointwise_scales, params->filters,
                         output);
    tp_activation_f32(&params->activation, output, positions * params->filters);
}

/**
 * Separable convolution with float32 kernels.
 *
 * @param params     geometry, multiplier, filters, activation
 * @param input      `[input_h, input_w, channels]`
 * @param depthwise  `[kernel_h, kernel_w, channels, multiplier]`
 * @param pointwise  `[channels · multiplier, filters]`
 * @param bias       `[filters]`, or null
 * @param output     `[output_h, output_w, filters]`; overlaps neither `input` nor `scratch`
 * @param scratch    `TP_SEPARABLE_CONV2D_F32_SCRATCH(...)` floats
 */
static inline void tp_separable_conv2d_f32(const tp_separable_conv2d_f32_params *params, const float *input,
                                           const float *depthwise, const float *pointwise, const float *bias,
                                           float *output, float *scratch)
{
    tp_separable_conv2d_stored_f32(TP_WEIGHTS_F32, params, input, depthwise, NULL, pointwise, NULL, bias, output, scratch);
}

#endif /* TP_CONV_F32_H */
