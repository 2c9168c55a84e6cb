/**
 * @file tp_pool_s8.h
 * @brief int8 max and average pooling, windowed and global. The output keeps the input's
 *        quantization, so no rescaling is needed: the largest value, or the mean rounded half
 *        away from zero over the positions inside the input (padding never takes part).
 */
#ifndef TP_POOL_S8_H
#define TP_POOL_S8_H

#include "tp_fixedpoint.h"
#include "tp_window.h"

/**
 * Windowed pooling.
 * @param average 0 for max pooling, 1 for average pooling
 * @param input   `[input_h, input_w, channels]`
 * @param output  `[output_h, output_w, channels]`; must not overlap `input`
 */
static inline void tp_pool2d_s8(const tp_window *w, int32_t average, const int8_t *input, int8_t *output)
{
    int32_t oy, ox, ky, kx, c;
    for (oy = 0; oy < w->output_h; ++oy) {
        for (ox = 0; ox < w->output_w; ++ox) {
            int8_t *out = output + (size_t)(oy * w->output_w + ox) * (size_t)w->channels;
            for (c = 0; c < w->channels; ++c) {
                int32_t value = average ? 0 : -128;
                int32_t count = 0;
                for (ky = 0; ky < w->kernel_h; ++ky) {
                    for (kx = 0; kx < w->kernel_w; ++kx) {
                        const int32_t pixel = tp_window_pixel(w, oy, ox, ky, kx);
                        int32_t x;
                        if (pixel < 0) {
                            continue;
                        }
                        x = (int32_t)input[(size_t)pixel * (size_t)w->channels + (size_t)c];
                        ++count;
                        if (average) {
                            value += x;
                        } else if (x > value) {
                            value = x;
                        }
                    }
                }
                out[c] = (int8_t)(average ? (count > 0 ? tp_rounded_division(value, count) : 0) : value);
            }
        }
    }
}

/**
 * Global pooling over `positions` pixels of `channels` values.
 * @param average 0 for max, 1 for the rounded mean
 */
static inline void tp_global_pool_s8(int32_t positions, int32_t channels, int32_t average, const int8_t *input,
                                     int8_t *output)
{
    int32_t c, p;
    for (c = 0; c < channels; ++c) {
        int32_t value = average ? 0 : -128;
        for (p = 0; p < positions; ++p) {
            const int32_t x = (int32_t)input[(size_t)p * (size_t)channels + (size_t)c];
            if (average) {
                value += x;
            } else if (x > value) {
                value = x;
            }
        }
        output[c] = (int8_t)(average ? (positions > 0 ? tp_rounded_division(value, positions) : 0) : value);
    }
}

#endif /* TP_POOL_S8_H */
