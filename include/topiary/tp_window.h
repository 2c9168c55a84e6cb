/**
 * @file tp_window.h
 * @brief Geometry of a sliding window (convolution or pooling) over a channels-last map.
 *
 * A 1D layer is a 2D one of height 1 (`input_h = output_h = kernel_h = 1`). Padding is given
 * as the number of positions before the first input element on each axis, computed offline
 * with TensorFlow's rules ('same' puts the smaller half first, 'causal' pads only before);
 * taps falling in the padding are skipped, never read.
 */
#ifndef TP_WINDOW_H
#define TP_WINDOW_H

#include "topiary.h"

/** Where a window reads: input `[input_h, input_w, channels]`, output `[output_h, output_w, ...]`. */
typedef struct {
    int32_t input_h;
    int32_t input_w;
    int32_t channels;
    int32_t output_h;
    int32_t output_w;
    int32_t kernel_h;
    int32_t kernel_w;
    int32_t stride_h;
    int32_t stride_w;
    int32_t dilation_h;
    int32_t dilation_w;
    /** Padding positions before the first row. */
    int32_t pad_top;
    /** Padding positions before the first column. */
    int32_t pad_left;
} tp_window;

/**
 * The input pixel (`y * input_w + x`) that tap `(ky, kx)` of output position `(oy, ox)`
 * reads, or -1 when the tap falls in the padding.
 */
static inline int32_t tp_window_pixel(const tp_window *w, int32_t oy, int32_t ox, int32_t ky, int32_t kx)
{
    const int32_t y = oy * w->stride_h - w->pad_top + ky * w->dilation_h;
    const int32_t x = ox * w->stride_w - w->pad_left + kx * w->dilation_w;
    if (y < 0 || y >= w->input_h || x < 0 || x >= w->input_w) {
        return -1;
    }
    return y * w->input_w + x;
}

/** The taps of one output position that lie inside the input: `rows × columns` of them, a
 *  rectangle of the kernel (`rows` or `columns` 0 when every tap is in the padding). */
typedef struct {
    /** The input pixel (`y * input_w + x`) and the tap (`ky * kernel_w + kx`) of the first. */
    int32_t pixel;
    int32_t tap;
    int32_t rows;
    int32_t columns;
} tp_window_inside;

/** The taps `[*first, first + count)` along one axis whose inputs `origin + k * dilation` lie
 *  inside `[0, size)`: always one run. */
static inline int32_t tp_window_axis_inside(int32_t origin, int32_t kernel, int32_t dilation, int32_t size, int32_t *first)
{
    int32_t begin = 0, end = kernel;
    while (begin < kernel && origin + begin * dilation < 0) {
        ++begin;
    }
    while (end > begin && origin + (end - 1) * dilation >= size) {
        --end;
    }
    *first = begin;
    return end - begin;
}

/**
 * The taps of output position `(oy, ox)` inside the input, so that a kernel may loop over
 * them in order (row by row, as `tp_window_pixel` would find them) without testing each.
 */
static inline tp_window_inside tp_window_taps_inside(const tp_window *w, int32_t oy, int32_t ox)
{
    const int32_t y0 = oy * w->stride_h - w->pad_top, x0 = ox * w->stride_w - w->pad_left;
    int32_t ky, kx;
    tp_window_inside inside;
    inside.rows = tp_window_axis_inside(y0, w->kernel_h, w->dilation_h, w->input_h, &ky);
    inside.columns = tp_window_axis_inside(x0, w->kernel_w, w->dilation_w, w->input_w, &kx);
    inside.pixel = (y0 + ky * w->dilation_h) * w->input_w + x0 + kx * w->dilation_w;
    inside.tap = ky * w->kernel_w + kx;
    return inside;
}

#endif /* TP_WINDOW_H */
