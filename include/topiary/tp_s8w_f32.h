/**
 * @file tp_s8w_f32.h
 * @brief Float Dense and convolution layers whose weights are stored as int8 with one float
 *        scale per output channel (`topiary convert --quantize int8-weights`): a quarter of
 *        the flash of float32 weights, float arithmetic.
 *
 * Each weight is used as `(float)q * scale[c]`, exactly the value the Swift reference
 * computes with, in the same order as the float kernels (`tp_dense_f32.h`, `tp_conv_f32.h`),
 * so the results are the reference's to the last bit.
 */
#ifndef TP_S8W_F32_H
#define TP_S8W_F32_H

#include "topiary.h"
#include "tp_activation_f32.h"
#include "tp_conv_f32.h"
#include "tp_dense_f32.h"
#include "tp_matmul_f32.h"
#include "tp_window.h"

/** `out[r, :] += x[r, :] · W` for int8 `W [inner, w_stride]` whose column `c` has scale `scales[c]`. */
static inline void tp_matmul_acc_s8w_f32(int32_t rows, int32_t inner, int32_t columns, const float *x, const int8_t *w,
                                         const float *scales, int32_t w_stride, float *out)
{
    int32_t r, k, c;
    for (r = 0; r < rows; ++r) {
        float *out_row = out + (size_t)r * (size_t)columns;
        const float *x_row = x + (size_t)r * (size_t)inner;
        for (k = 0; k < inner; ++k) {
            const float a = x_row[k];
            const int8_t *w_row;
            if (a == 0.0f) {
                continue;
            }
            w_row = w + (size_t)k * (size_t)w_stride;
            for (c = 0; c < columns; ++c) {
                out_row[c] += a * ((float)w_row[c] * scales[c]);
            }
        }
    }
}

/** `tp_dense_f32` with an int8 kernel `[input_width, units]` and `scales[units]`. */
static inline void tp_dense_s8w_f32(const tp_dense_f32_params *params, const float *input, const int8_t *kernel,
                                    const float *scales, const float *bias, float *output)
{
    tp_fill_rows_f32(params->rows, params->units, bias, output);
    tp_matmul_acc_s8w_f32(params->rows, params->input_width, params->units, input, kernel, scales, params->units, output);
    tp_activation_f32(&params->activation, output, params->rows * params->units);
}

/** `tp_conv2d_f32` with an int8 kernel `[kernel_h, kernel_w, channels, filters]` and `scales[filters]`. */
static inline void tp_conv2d_s8w_f32(const tp_conv2d_f32_params *params, const float *input, const int8_t *kernel,
                                     const float *scales, const float *bias, float *output)
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
                    tp_matmul_acc_s8w_f32(1, cin, filters, input + (size_t)pixel * (size_t)cin,
                                          kernel + (size_t)tap * (size_t)cin * (size_t)filters, scales, filters, out_row);
                }
            }
        }
    }
    tp_activation_f32(&params->activation, output, positions * filters);
}

/** `tp_depthwise_filter_f32` with an int8 kernel and `scales[channels · multiplier]`. */
static inline void tp_depthwise_filter_s8w_f32(const tp_window *w, int32_t multiplier, const float *input,
                                               const int8_t *kernel, const float *scales, const float *bias, float *output)
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
                    const int8_t *w_row;
                    if (pixel < 0) {
                        continue;
                    }
                    x_row = input + (size_t)pixel * (size_t)cin;
                    w_row = kernel + (size_t)(ky * w->kernel_w + kx) * (size_t)width;
                    for (c = 0; c < cin; ++c) {
                        const float a = x_row[c];
                        for (j = 0; j < multiplier; ++j) {
                            const int32_t k = c * multiplier + j;
                            out_row[k] += a * ((float)w_row[k] * scales[k]);
                        }
                    }
                }
            }
        }
    }
}

/** `tp_depthwise_conv2d_f32` with an int8 kernel `[kernel_h, kernel_w, channels, multiplier]`. */
static inline void tp_depthwise_conv2d_s8w_f32(const tp_depthwise_conv2d_f32_params *params, const float *input,
                                               const int8_t *kernel, const float *scales, const float *bias, float *output)
{
    const tp_window *w = &params->window;
    tp_depthwise_filter_s8w_f32(w, params->multiplier, input, kernel, scales, bias, output);
    tp_activation_f32(&params->activation, output, w->output_h * w->output_w * w->channels * params->multiplier);
}

/** `tp_separable_conv2d_f32` with int8 depthwise and pointwise kernels and their scales. */
static inline void tp_separable_conv2d_s8w_f32(const tp_separable_conv2d_f32_params *params, const float *input,
                                               const int8_t *depthwise, const float *depthwise_scales,
                                               const int8_t *pointwise, const float *pointwise_scales, const float *bias,
                                               float *output, float *scratch)
{
    const tp_window *w = &params->window;
    const int32_t positions = w->output_h * w->output_w;
    const int32_t width = w->channels * params->multiplier;
    tp_depthwise_filter_s8w_f32(w, params->multiplier, input, depthwise, depthwise_scales, NULL, scratch);
    tp_fill_rows_f32(positions, params->filters, bias, output);
    tp_matmul_acc_s8w_f32(positions, width, params->filters, scratch, pointwise, pointwise_scales, params->filters, output);
    tp_activation_f32(&params->activation, output, positions * params->filters);
}

#endif /* TP_S8W_F32_H */
