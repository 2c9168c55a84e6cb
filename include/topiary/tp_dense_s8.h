/**
 * @file tp_dense_s8.h
 * @brief int8 Dense layers with dense weights (the sparse formats are in `tp_sparse_s8.h`).
 *
 * Weights are rows, one per output unit, over the inputs: `W[units][input_width]`. A rank>1
 * input `[rows, input_width]` is treated as `rows` independent vectors, as Keras does.
 */
#ifndef TP_DENSE_S8_H
#define TP_DENSE_S8_H

#include "tp_channel_scale_s8.h"

/** Parameters of the int8 Dense kernels. */
typedef struct {
    /** Independent input vectors (1 for a flat input). */
    int32_t rows;
    int32_t input_width;
    int32_t units;
    tp_channel_output_s8 output;
} tp_dense_s8_params;

/* The output stages `tp_dense_s8` builds. The generated C defines TP_DENSE_S8_SHORT_STAGE when
 * some Dense layer of the model takes the short stage of `tp_channel_scale_s8.h` (every shift -2
 * or below, the whole int8 range as its clamp), TP_DENSE_S8_GENERAL_STAGE when some does not:
 * with one of them alone the kernel holds that stage only and tests no layer, which keeps the
 * code of the other out of the model. With neither (the header used on its own) or both, it
 * tests each layer when called. */
#if defined(TP_DENSE_S8_SHORT_STAGE) && !defined(TP_DENSE_S8_GENERAL_STAGE)
#define TP_DENSE_S8_TAKES_SHORT_STAGE(output, units) 1
#elif defined(TP_DENSE_S8_GENERAL_STAGE) && !defined(TP_DENSE_S8_SHORT_STAGE)
#define TP_DENSE_S8_TAKES_SHORT_STAGE(output, units) 0
#else
#define TP_DENSE_S8_TAKES_SHORT_STAGE(output, units) tp_channel_scale_s8_applies(output, units)
#endif

/*
 * Dense weights are stored for the kernel in blocks of four units, so that each input word,
 * read and widened once, meets four weight words that follow one another: per group of four
 * inputs `k`, the 16 bytes `w[u][4k..4k+3]` of units `u = c..c+3`, then per unit of the block
 * its last `input_width % 4` weights. Units after the last full block keep their rows.
 */

/** The sums of a block of four units (`sums[0..3]`, from their biases `bias[0..3]`) with the
 *  input `x` over `groups` groups of four inputs, `w` at the block's first group: per group one
 *  input word widened once and four weight words, 8 `__smlad` for 5 loads and 5 widenings. */
TP_LOOP_FUNCTION void tp_dot4_s8(const int8_t *w, const int8_t *x, int32_t groups, const int32_t *bias, int32_t *sums)
{
    int32_t s0 = bias[0], s1 = bias[1], s2 = bias[2], s3 = bias[3], k;
#if defined(TP_USE_DSP)
    for (k = groups; k > 0; --k) {
        const uint32_t words = tp_read_s8x4(x);
        const int32_t even = __sxtb16(words), odd = tp_sxtb16_odd(words);
        uint32_t a = tp_read_s8x4(w), b = tp_read_s8x4(w + 4);
        x += 4;
        s0 = tp_smlad_widened_s8x4(a, even, odd, s0);
        s1 = tp_smlad_widened_s8x4(b, even, odd, s1);
        a = tp_read_s8x4(w + 8);
        b = tp_read_s8x4(w + 12);
        w += 16;
        s2 = tp_smlad_widened_s8x4(a, even, odd, s2);
        s3 = tp_smlad_widened_s8x4(b, even, odd, s3);
    }
#else
    for (k = groups; k > 0; --k) {
        const int32_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
        s0 += (int32_t)w[0] * x0 + (int32_t)w[1] * x1 + (int32_t)w[2] * x2 + (int32_t)w[3] * x3;
        s1 += (int32_t)w[4] * x0 + (int32_t)w[5] * x1 + (int32_t)w[6] * x2 + (int32_t)w[7] * x3;
        s2 += (int32_t)w[8] * x0 + (int32_t)w[9] * x1 + (int32_t)w[10] * x2 + (int32_t)w[11] * x3;
        s3 += (int32_t)w[12] * x0 + (int32_t)w[13] * x1 + (int32_t)w[14] * x2 + (int32_t)w[15] * x3;
        x += 4;
        w += 16;
    }
#endif
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}

/** `sum(w[i] * x[i])` over the few products the blocks leave: a block's inputs after its last
 *  group of four, and the rows of the units after the last block (at most three). One plain
 *  loop serves both, which keeps the kernel's code small. */
static inline int32_t tp_dense_rest_s8(const int8_t *w, const int8_t *x, int32_t n)
{
    int32_t sum = 0, i;
    for (i = 0; i < n; ++i) sum += (int32_t)w[i] * (int32_t)x[i];
    return sum;
}

/**
 * Dense weights, in blocks of four units (above). Out of line (`TP_SHARED_FUNCTION`): one body
 * for every Dense layer of a model, where GCC at -O2 inlined it into the model's run and grew the
 * autoencoder's code by 216 bytes for 0.7% fewer instructions.
 * @param input   `[rows, input_width]`
 * @param weights `[units * input_width]`, blocked
 * @param output  `[rows, units]`
 */
TP_SHARED_FUNCTION void tp_dense_s8(const tp_dense_s8_params *p, const int8_t *input, const int8_t *weights, int8_t *output)
{
    /* A block's four sums go through the output stage together, the short one of
     * `tp_channel_scale_s8.h` when the layer takes it; the units after the last block (at most
     * three) each take one row through the plain loop of the blocks' last inputs, which keeps
     * the kernel's code small. */
    const int32_t width = p->input_width, units = p->units, rows = p->rows;
    const int32_t groups = width >> 2, rest = width & 3, blocked = units & ~(int32_t)3;
    const int fast = TP_DENSE_S8_TAKES_SHORT_STAGE(&p->output, units);
    int32_t r, c, j;
    for (r = 0; r < rows; ++r) {
        const int8_t *x = input + (size_t)r * (size_t)width;
        const int8_t *w = weights;
        int8_t *y = output + (size_t)r * (size_t)units;
        int32_t sums[4], count;
        for (c = 0; c < units; c += count) {
            if (c < blocked) {
                count = 4;
                tp_dot4_s8(w, x, groups, p->output.bias + c, sums);
                if (rest != 0) {
                    const int8_t *tail = w + 16 * groups;
                    for (j = 0; j < 4; ++j) sums[j] += tp_dense_rest_s8(tail + j * rest, x + 4 * groups, rest);
                }
            } else {
                count = 1;
                sums[0] = p->output.bias[c] + tp_dense_rest_s8(w, x, width);
            }
            w += (size_t)count * (size_t)width;
            if (fast) {
                tp_channel_scale_s8_outputs(&p->output, c, count, sums, y);
            } else {
                for (j = 0; j < count; ++j) y[c + j] = tp_channel_output(&p->output, c + j, sums[j]);
            }
        }
    }
}

#endif /* TP_DENSE_S8_H */
