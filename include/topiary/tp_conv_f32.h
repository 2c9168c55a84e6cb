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
 * input slice per in-bounds tap; no patch is materialised. Each position's filters take
 * `tp_matmul_columns_f32` eight at a time over the whole window (the taps inside the input,
 * `tp_window_taps_inside`), the last few `tp_matmul_acc_of_f32` tap by tap: the same sums, in
 * the same order, either way.
 */
TP_LOOP_BODY void tp_conv2d_stored_f32(tp_weight_storage storage, const tp_conv2d_f32_params *params, const float *input,
                                           const void *kernel, const float *scales, const float *bias, float *output)
{
    const tp_window *w = &params->window;
    const int32_t cin = w->channels;
    const int32_t filters = params->filters;
    const int32_t positions = w->output_h * w->output_w;
    const int32_t blocked = filters - filters % TP_MATMUL_F32_COLUMNS;
    const int32_t x_row = w->dilation_h * w->input_w * cin, x_tap = w->dilation_w * cin;
    const int32_t w_tap = cin, w_row = w->kernel_w * cin;
    int32_t oy, ox, ky, kx, c;
    tp_fill_rows_f32(positions, filters, bias, output);
    for (oy = 0; oy < w->output_h; ++oy) {
        for (ox = 0; ox < w->output_w; ++ox) {
            const tp_window_inside inside = tp_window_taps_inside(w, oy, ox);
            float *out_row = output + (size_t)(oy * w->output_w + ox) * (size_t)filters;
            /* Undilated, a kernel row's taps inside the input are one run of inputs and of
             * weight rows: one loop over them all (a first layer's few channels make short taps). */
            const int32_t taps = w->dilation_w == 1 ? 1 : inside.columns;
            const int32_t inner = w->dilation_w == 1 ? inside.columns * cin : cin;
            const float *first;
            const void *weights;
            if (inside.rows == 0 || inside.columns == 0) {
                continue;
            }
            first = input + (size_t)inside.pixel * (size_t)cin;
            weights = tp_weights_from(storage, kernel, (size_t)inside.tap * (size_t)cin * (size_t)filters);
            for (c = 0; c < blocked; c += TP_MATMUL_F32_COLUMNS) {
                tp_matmul_columns_f32(storage, first, x_row, x_tap, inside.rows, taps, inner,
                                      tp_weights_from(storage, weights, (size_t)c), w_row, w_tap, filters,
                                      scales ? scales + c : NULL, out_row + c);
            }
            for (ky = 0; ky < inside.rows && blocked < filters; ++ky) {
                for (kx = 0; kx < inside.columns; ++kx) {
                    const size_t tap = (size_t)(inside.tap + ky * w->kernel_w + kx) * (size_t)cin * (size_t)filters;
                    tp_matmul_acc_of_f32(storage, 1, cin, filters - blocked, first + ky * x_row + kx * x_tap,
                                         tp_weights_from(storage, kernel, tap + (size_t)blocked),
                                         scales ? scales + blocked : NULL, filters, out_row + blocked);
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

/** Channels `tp_depthwise_position_f32` sums at once, each in a register of its own. */
#define TP_DEPTHWISE_F32_BLOCK 8

/**
 * One output position of a depthwise filter of depth multiplier 1: adds to each of the
 * `channels` values of `out` (the bias) the products of the `rows × columns` taps inside the
 * input, tap by tap, row by row, as the Swift reference adds them (so the same float sums),
 * `TP_DEPTHWISE_F32_BLOCK` channels at a time held in registers across the taps rather than
 * read and written back in memory per tap.
 * `x` and `taps` are the input and the weights of the first tap inside; `x_row`, `x_tap`,
 * `w_row` the floats (weights) between two taps' rows and columns (one tap's weights are
 * `channels` apart).
 */
TP_LOOP_BODY void tp_depthwise_position_f32(tp_weight_storage storage, int32_t channels, const float *x, int32_t x_row,
                                            int32_t x_tap, const void *taps, int32_t w_row, int32_t rows, int32_t columns,
                                            const float *scales, float *out)
{
    int32_t c = 0, ky, kx;
    /* Eight sums written out one by one: compilers keep named scalars in registers, where
     * they may leave an array of them in memory. */
    for (; c + TP_DEPTHWISE_F32_BLOCK <= channels; c += TP_DEPTHWISE_F32_BLOCK) {
        const float *const s = scales ? scales + c : NULL;
        float a0 = out[c], a1 = out[c + 1], a2 = out[c + 2], a3 = out[c + 3];
        float a4 = out[c + 4], a5 = out[c + 5], a6 = out[c + 6], a7 = out[c + 7];
        for (ky = 0; ky < rows; ++ky) {
            for (kx = 0; kx < columns; ++kx) {
                const float *t = x + ky * x_row + kx * x_tap + c;
                const void *k = tp_weights_from(storage, taps, (size_t)(ky * w_row + kx * channels + c));
                a0 += t[0] * tp_weight_f32(storage, k, s, 0);
                a1 += t[1] * tp_weight_f32(storage, k, s, 1);
                a2 += t[2] * tp_weight_f32(storage, k, s, 2);
                a3 += t[3] * tp_weight_f32(storage, k, s, 3);
                a4 += t[4] * tp_weight_f32(storage, k, s, 4);
                a5 += t[5] * tp_weight_f32(storage, k, s, 5);
                a6 += t[6] * tp_weight_f32(storage, k, s, 6);
                a7 += t[7] * tp_weight_f32(storage, k, s, 7);
            }
        }
        out[c] = a0;
        out[c + 1] = a1;
        out[c + 2] = a2;
        out[c + 3] = a3;
        out[c + 4] = a4;
        out[c + 5] = a5;
        out[c + 6] = a6;
        out[c + 7] = a7;
    }
    for (; c < channels; ++c) {
        float acc = out[c];
        for (ky = 0; ky < rows; ++ky) {
            for (kx = 0; kx < columns; ++kx) {
                const void *weights = tp_weights_from(storage, taps, (size_t)(ky * w_row + kx * channels));
                acc += x[ky * x_row + kx * x_tap + c] * tp_weight_f32(storage, weights, scales, c);
            }
        }
        out[c] = acc;
    }
}

/**
 * Depthwise filtering plus bias, without the activation, with a kernel stored as `storage`
 * (`scales [channels · multiplier]` for int8, unused for float32): output channel
 * `c · multiplier + m` filters input channel `c`. Flattened, the kernel is
 * `[taps, channels · multiplier]` in the output's channel order, so each tap is one contiguous
 * multiply-add. Depth multiplier 1 (every DepthwiseConv2D and SeparableConv2D of the usual
 * networks) takes `tp_depthwise_position_f32` per output position.
 */
TP_LOOP_BODY void tp_depthwise_filter_stored_f32(tp_weight_storage storage, const tp_window *w, int32_t multiplier,
                                                     const float *input, const void *kernel, const float *scales,
                                                     const float *bias, float *output)
{
    const int32_t cin = w->channels;
    const int32_t width = cin * multiplier;
    int32_t oy, ox, ky, kx, c, j;
    tp_fill_rows_f32(w->output_h * w->output_w, width, bias, output);
    if (multiplier == 1) {
        const int32_t x_row = w->dilation_h * w->input_w * cin, x_tap = w->dilation_w * cin, w_row = w->kernel_w * cin;
        for (oy = 0; oy < w->output_h; ++oy) {
            for (ox = 0; ox < w->output_w; ++ox) {
                const tp_window_inside inside = tp_window_taps_inside(w, oy, ox);
                if (inside.rows == 0 || inside.columns == 0) {
                    continue; /* Every tap in the padding: the bias alone. */
                }
                tp_depthwise_position_f32(storage, cin, input + (size_t)inside.pixel * (size_t)cin, x_row, x_tap,
                                          tp_weights_from(storage, kernel, (size_t)inside.tap * (size_t)cin), w_row,
                                          inside.rows, inside.columns, scales,
                                          output + (size_t)(oy * w->output_w + ox) * (size_t)width);
            }
        }
        return;
    }
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
