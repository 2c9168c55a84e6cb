/**
 * @file tp_s8w_f32.h
 * @brief Float Dense and convolution layers whose weights are stored as int8 with one float
 *        scale per output channel (`topiary convert --quantize int8-weights`): a quarter of
 *        the flash of float32 weights, float arithmetic.
 *
 * Each weight is used as `(float)q * scale[c]`, exactly the value the Swift reference
 * computes with. The loops are the float kernels' own (`tp_dense_f32.h`, `tp_conv_f32.h`),
 * given the int8 storage as a constant, so the additions come in the same order and the
 * results are the reference's to the last bit.
 */
#ifndef TP_S8W_F32_H
#define TP_S8W_F32_H

#include "topiary.h"
#include "tp_activation_f32.h"
#include "tp_conv_f32.h"
#include "tp_dense_f32.h"
#include "tp_matmul_f32.h"
#include "tp_window.h"

/** `tp_dense_f32` with an int8 kernel `[input_width, units]` and `scales[units]`. */
static inline void tp_dense_s8w_f32(const tp_dense_f32_params *params, const float *input, const int8_t *kernel,
                                    const float *scales, const float *bias, float *output)
{
    tp_dense_stored_f32(TP_WEIGHTS_S8W, params, input, kernel, scales, bias, output);
}

/** `tp_conv2d_f32` with an int8 kernel `[kernel_h, kernel_w, channels, filters]` and `scales[filters]`. */
static inline void tp_conv2d_s8w_f32(const tp_conv2d_f32_params *params, const float *input, const int8_t *kernel,
                                     const float *scales, const float *bias, float *output)
{
    tp_conv2d_stored_f32(TP_WEIGHTS_S8W, params, input, kernel, scales, bias, output);
}

/** `tp_depthwise_conv2d_f32` with an int8 kernel `[kernel_h, kernel_w, channels, multiplier]`. */
static inline void tp_depthwise_conv2d_s8w_f32(const tp_depthwise_conv2d_f32_params *params, const float *input,
                                               const int8_t *kernel, const float *scales, const float *bias, float *output)
{
    const tp_window *w = &params->window;
    tp_depthwise_filter_stored_f32(TP_WEIGHTS_S8W, w, params->multiplier, input, kernel, scales, bias, output);
    tp_activation_f32(&params->activation, output, w->output_h * w->output_w * w->channels * params->multiplier);
}

/** `tp_separable_conv2d_f32` with int8 depthwise and pointwise kernels and their scales. */
static inline void tp_separable_conv2d_s8w_f32(const tp_separable_conv2d_f32_params *params, const float *input,
                                               const int8_t *depthwise, const float *depthwise_scales,
                                               const int8_t *pointwise, const float *pointwise_scales, const float *bias,
                                               float *output, float *scratch)
{
    tp_separable_conv2d_stored_f32(TP_WEIGHTS_S8W, params, input, depthwise, depthwise_scales, pointwise, pointwise_scales,
                                   bias, output, scratch);
}

#endif /* TP_S8W_F32_H */
