/**
 * @file tp_pointwise_csr_s8.h
 * @brief int8 convolutions of one group whose filters are stored as CSR rows with tabled row
 *        data (`tp_dense_csr_table_s8.h`), run four output positions per pass over the rows:
 *        1x1 convolutions, and wider ones over each position's patch.
 *
 * A 1x1 convolution is a Dense layer over each output position's input pixel; a wider one is
 * the same over each position's patch (im2col: its `kernel_h * kernel_w * channels` inputs in
 * the order of a filter row, the input zero point for a tap in the padding, which the bias
 * fold cancels). Pruned filters keep a few entries per row (about six of 64 on a
 * keyword-spotting network at 90% sparsity), and running the rows once per position, or per
 * pair of positions (`tp_conv2d_csr_s8`), pays each row's loop and output stage for every one
 * or two outputs. Here the patches of four positions are first gathered as int16 pairs
 * (`tp_gather_pairs_s8`), per patch value the pair of positions 0 and 1 beside the pair of
 * positions 2 and 3, and each entry's index and value, read once, serve four multiply-adds:
 * on the DSP extension one `LDRD` of both pairs and `SMLABB`, `SMLABT` for each, about two
 * instructions per multiply-add. The row data (entry count and shift bytes, bias and
 * multiplier words) is read once for four outputs, which go through the folded output stage
 * of the CSR table rows where the layer takes it.
 *
 * Where a patch lies inside the input and the taps of its rows are adjacent (dilation 1 along
 * a row, or one tap), each of its rows (the `kernel_w` taps of one kernel row) is a run of
 * `kernel_w * channels` input bytes, paired in place; the rows of any other patch are first
 * copied into a staging row of the scratch, the input zero point at the taps in the padding.
 *
 * A patch of more than `TP_CSR_SEGMENT` values (a 3x3 window over 29 channels or more) is cut
 * into segments as a Dense row is: each row sums the entries of its segments one after
 * another, the entries of a segment indexing its part of the gathered pairs, and goes through
 * the same output stage once. A layer of one segment per row runs a body without that loop.
 *
 * Layout: that of `tp_dense_csr_table_s8` (`constants`, `heads`, `indices`, `values`), a row
 * per output channel over the patch.
 */
#ifndef TP_POINTWISE_CSR_S8_H
#define TP_POINTWISE_CSR_S8_H

#include "tp_dense_csr_table_s8.h"
#include "tp_sparse_s8.h"
#include "tp_window.h"

/** A one-group convolution of CSR rows with tabled row data. */
typedef struct {
    /** Any window, stride, dilation and padding. */
    tp_window window;
    /** What a tap in the padding reads. */
    int32_t input_zero_point;
    /** The rows: `rows` the output positions, `input_width` the patch
     *  (`kernel_h * kernel_w * channels`), `units` the output channels. */
    tp_dense_csr_table_s8_params rows;
} tp_pointwise_csr_s8_params;

/** 1 when a row of some patch is not a run of input bytes: a tap reads padding, or the taps
 *  of a row are not adjacent (dilated along the row). Inlined before GCC's interprocedural
 *  passes, so that the kernel's test of it is folded away for constant parameters: as a
 *  plain `static inline` it was folded only after them, and a model with no padded layer
 *  still carried a copy of the staging gather. */
TP_LOOP_BODY int32_t tp_pointwise_csr_stages_rows(const tp_window *w)
{
    const int32_t bottom = (w->output_h - 1) * w->stride_h - w->pad_top + (w->kernel_h - 1) * w->dilation_h;
    const int32_t right = (w->output_w - 1) * w->stride_w - w->pad_left + (w->kernel_w - 1) * w->dilation_w;
    return w->pad_top > 0 || w->pad_left > 0 || bottom >= w->input_h || right >= w->input_w || (w->kernel_w > 1 && w->dilation_w > 1);
}

/** Bytes of the scratch of `tp_pointwise_conv2d_csr_s8`: four positions' patches as pairs, two
 *  words per patch value, then, where `tp_pointwise_csr_stages_rows`, two staging rows of
 *  `kernel_w * channels` bytes (rounded up to words). */
static inline int32_t tp_pointwise_conv2d_csr_s8_get_buffer_size(const tp_pointwise_csr_s8_params *q)
{
    const tp_window *w = &q->window;
    const int32_t run = w->kernel_w * w->channels;
    return 8 * w->kernel_h * run + (tp_pointwise_csr_stages_rows(w) ? (2 * run + 3) / 4 * 4 : 0);
}

/** The output stages of the four-position rows: `tp_requantize` (the portable body, and the
 *  DSP body's when the layer is not `folded`), the folded stage after a ReLU, the folded stage
 *  for any other zero point. */
enum { TP_POINTWISE_CSR_REQUANTIZED, TP_POINTWISE_CSR_POSITIVE, TP_POINTWISE_CSR_SIGNED };

/** `quad[0]` into `*low` and `quad[1]` into `*high`: under GCC one `LDRD`, which from C it
 *  emits as two loads (one with the index scaled, the other at an offset from a computed
 *  address), an instruction more per entry. Other compilers take the C. */
TP_LOOP_BODY void tp_pointwise_csr_quad(const int32_t *quad, int32_t *low, int32_t *high)
{
#if defined(TP_USE_DSP) && defined(__GNUC__) && !defined(__clang__)
    __asm__("ldrd %0, %1, [%2]" : "=r"(*low), "=r"(*high) : "r"(quad), "m"(*(const int32_t(*)[2])quad));
#else
    *low = quad[0];
    *high = quad[1];
#endif
}

/** `acc0..acc3` plus the next entry's value (`*values++`) times its input (`*indices++`) at
 *  positions 0 to 3, held as the two pairs `segment[2 * j]` (positions 0 and 1) and
 *  `segment[2 * j + 1]` (2 and 3) of the row's current segment: one computed address and one
 *  `LDRD` for both pairs, then four multiply-adds. */
#define TP_POINTWISE_CSR_ENTRY()                                                \
    do {                                                                        \
        const int32_t value = *values++;                                        \
        int32_t low, high;                                                      \
        tp_pointwise_csr_quad(segment + 2 * (int32_t)*indices++, &low, &high);  \
        acc0 = tp_mla_low(value, low, acc0);                                    \
        acc1 = tp_mla_high(value, low, acc1);                                   \
        acc2 = tp_mla_low(value, high, acc2);                                   \
        acc3 = tp_mla_high(value, high, acc3);                                  \
    } while (0)

/** `y0..y3` into `out[0]`, `out[step]`, `out[2 * step]` and `out[3 * step]`. Under GCC on the
 *  DSP extension the pointer is hidden from the optimizer after the first store (an empty
 *  `__asm__` that claims to change it): seen through, GCC kept a pointer per position,
 *  stepped each and spilled three of them, about four instructions more per row than the
 *  stores at offsets of `step` from one pointer. */
TP_LOOP_BODY void tp_pointwise_csr_store(int8_t *out, int32_t step, int8_t y0, int8_t y1, int8_t y2, int8_t y3)
{
    *out = y0;
#if defined(TP_USE_DSP) && defined(__GNUC__) && !defined(__clang__)
    __asm__("" : "+r"(out));
#endif
    out[step] = y1;
    out[2 * step] = y2;
    out[3 * step] = y3;
}

/** The rows over four positions' gathered inputs `quads` into `out[0..units)`,
 *  `out[step..step + units)`, `out[2 * step..)` and `out[3 * step..)`, each of `segments`
 *  segments, through the output stage `stage` (both constants where inlined; with one segment
 *  the loop over them folds away). A segment's entries on the DSP extension eight per turn of
 *  the loop, entered at the place that leaves `n % 8` for the first turn and ending on a
 *  pointer test, as in `tp_csr_table_entries8_s8`: GCC enters a switch of eight cases through
 *  a table of branches (`TBB`), and a switch of four through a chain of compares, about three
 *  instructions more per row (a pass over the rows of a 64-channel layer at 90% sparsity:
 *  about 2.5% fewer instructions, for about 150 bytes more of the body). */
TP_LOOP_BODY void tp_pointwise_csr_rows_s8(const tp_dense_csr_table_s8_params *p, int32_t segments, const uint8_t *indices,
                                           const int8_t *values, const int32_t *quads, int8_t *out, int32_t step, int stage)
{
    const int32_t *constants = p->constants;
    const uint8_t *heads = p->heads;
    const int32_t zero_point = p->output_zero_point, low = p->output_min, high = p->output_max;
    int8_t *const last = out + p->units;
#if defined(TP_USE_DSP)
    const uint32_t zero_point_word = tp_channel_scale_s8_zero_point_word(zero_point);
#else
    (void)stage;
#endif
    for (; out != last; ++out) {
        int32_t acc0, acc1, acc2, acc3, multiplier, code, shift, s = segments;
        const int32_t *segment = quads;
        tp_csr_table_next_pair(&constants, &acc0, &multiplier);
        acc1 = acc2 = acc3 = acc0;
        do {
            /* Read in C over several segments, as `tp_csr_table_folded_rows_s8` reads them. */
            const int32_t n = segments == 1 ? tp_csr_table_next_byte(&heads) : *heads++;
            const int8_t *const end = values + n;
#if defined(TP_USE_DSP)
            switch (n & 7) {
            case 0:
                while (values != end) {
                    TP_POINTWISE_CSR_ENTRY();
                    /* fall through */
                case 7:
                    TP_POINTWISE_CSR_ENTRY();
                    /* fall through */
                case 6:
                    TP_POINTWISE_CSR_ENTRY();
                    /* fall through */
                case 5:
                    TP_POINTWISE_CSR_ENTRY();
                    /* fall through */
                case 4:
                    TP_POINTWISE_CSR_ENTRY();
                    /* fall through */
                case 3:
                    TP_POINTWISE_CSR_ENTRY();
                    /* fall through */
                case 2:
                    TP_POINTWISE_CSR_ENTRY();
                    /* fall through */
                case 1:
                    TP_POINTWISE_CSR_ENTRY();
                }
            }
#else
            while (values != end) TP_POINTWISE_CSR_ENTRY();
#endif
            /* The next segment's pairs: two words per patch value. */
            segment += 2 * TP_CSR_SEGMENT;
        } while (--s != 0);
        code = tp_csr_table_next_byte(&heads);
#if defined(TP_USE_DSP)
        if (stage != TP_POINTWISE_CSR_REQUANTIZED) {
            const int32_t rounding = (int32_t)(zero_point_word << code);
            const int positive = stage == TP_POINTWISE_CSR_POSITIVE;
            tp_pointwise_csr_store(out, step, tp_csr_table_folded_output_s8(acc0, multiplier, code, rounding, positive),
                                   tp_csr_table_folded_output_s8(acc1, multiplier, code, rounding, positive),
                                   tp_csr_table_folded_output_s8(acc2, multiplier, code, rounding, positive),
                                   tp_csr_table_folded_output_s8(acc3, multiplier, code, rounding, positive));
            continue;
        }
#endif
        shift = -(int32_t)(int8_t)code - 2;
        tp_pointwise_csr_store(out, step, tp_requantize(acc0, multiplier, shift, zero_point, low, high),
                               tp_requantize(acc1, multiplier, shift, zero_point, low, high),
                               tp_requantize(acc2, multiplier, shift, zero_point, low, high),
                               tp_requantize(acc3, multiplier, shift, zero_point, low, high));
    }
}

#undef TP_POINTWISE_CSR_ENTRY

/** `tp_pointwise_csr_rows_s8` through the output stage `stage` as two functions,
 *  `tp_pointwise_csr_NAME_rows_s8` over rows of one segment and
 *  `tp_pointwise_csr_NAME_segments_s8` over rows of `segments`: one function each, so that a
 *  model's layers of one stage share one body, and a layer of one segment per row runs no loop
 *  over segments. */
#define TP_POINTWISE_CSR_STAGE_FUNCTIONS(name, stage)                                                                      \
    TP_LOOP_FUNCTION void tp_pointwise_csr_##name##_rows_s8(const tp_dense_csr_table_s8_params *p, const uint8_t *indices, \
                                                            const int8_t *values, const int32_t *quads, int8_t *out,      \
                                                            int32_t step)                                                 \
    {                                                                                                                      \
        tp_pointwise_csr_rows_s8(p, 1, indices, values, quads, out, step, stage);                                          \
    }                                                                                                                      \
    TP_LOOP_FUNCTION void tp_pointwise_csr_##name##_segments_s8(const tp_dense_csr_table_s8_params *p, int32_t segments,  \
                                                                const uint8_t *indices, const int8_t *values,            \
                                                                const int32_t *quads, int8_t *out, int32_t step)         \
    {                                                                                                                      \
        tp_pointwise_csr_rows_s8(p, segments, indices, values, quads, out, step, stage);                                   \
    }

TP_POINTWISE_CSR_STAGE_FUNCTIONS(requantized, TP_POINTWISE_CSR_REQUANTIZED)
#if defined(TP_USE_DSP)
TP_POINTWISE_CSR_STAGE_FUNCTIONS(positive, TP_POINTWISE_CSR_POSITIVE)
TP_POINTWISE_CSR_STAGE_FUNCTIONS(signed, TP_POINTWISE_CSR_SIGNED)
#endif

#undef TP_POINTWISE_CSR_STAGE_FUNCTIONS

/** Row `y` of a patch whose first tap reads column `x0`, of which the taps `[first, first +
 *  count)` read inside the input along the row: in place when the row lies inside the input
 *  with all its taps, adjacent; otherwise copied into `stage` (`kernel_w * channels` bytes),
 *  the input zero point at the taps in the padding. */
TP_LOOP_FUNCTION const int8_t *tp_pointwise_csr_stage_row_s8(const tp_window *w, const int8_t *input, int32_t y, int32_t x0,
                                                            int32_t first, int32_t count, int32_t zero_point, int8_t *stage)
{
    const int32_t channels = w->channels, kernel_w = w->kernel_w, dilation = w->dilation_w;
    int8_t *to = stage, *const end = stage + kernel_w * channels;
    const int8_t *row;
    int32_t kx, c;
    if (y >= 0 && y < w->input_h) {
        row = input + (size_t)y * (size_t)w->input_w * (size_t)channels;
        if (count == kernel_w && (kernel_w == 1 || dilation == 1)) return row + (size_t)x0 * (size_t)channels;
        for (c = 0; c < first * channels; ++c) *to++ = (int8_t)zero_point;
        for (kx = first; kx < first + count; ++kx) {
            const int8_t *from = row + (size_t)(x0 + kx * dilation) * (size_t)channels;
            for (c = 0; c < channels; ++c) *to++ = from[c];
        }
    }
    while (to != end) *to++ = (int8_t)zero_point;
    return stage;
}

/** 1 when every row of the patch whose first tap reads row `y0` and column `x0` is a run of
 *  input bytes, `dilation_h * input_w * channels` bytes after the one before: the patch lies
 *  inside the input and its rows' taps are adjacent. */
TP_LOOP_BODY int32_t tp_pointwise_csr_patch_inside(const tp_window *w, int32_t y0, int32_t x0)
{
    return y0 >= 0 && y0 + (w->kernel_h - 1) * w->dilation_h < w->input_h && x0 >= 0
           && x0 + (w->kernel_w - 1) * w->dilation_w < w->input_w && (w->kernel_w == 1 || w->dilation_w == 1);
}

/** The first row and column the patch of output position `at` reads (before the padding). */
TP_LOOP_BODY void tp_pointwise_csr_origin(const tp_window *w, int32_t at, int32_t *y0, int32_t *x0)
{
    *y0 = at / w->output_w * w->stride_h - w->pad_top;
    *x0 = at % w->output_w * w->stride_w - w->pad_left;
}

/** The `rows` runs of `run` bytes, `step` bytes apart, of the patches at `first` and `second`
 *  paired into every other word of `to`: one pair of positions at a time, so that only its two
 *  pointers stay live. */
TP_LOOP_BODY void tp_pointwise_csr_pair_rows_s8(const int8_t *first, const int8_t *second, int32_t *to, int32_t run, int32_t rows,
                                                int32_t step)
{
    do {
        tp_gather_pairs_s8(first, second, to, run, 2);
        first += step;
        second += step;
        to += 2 * run;
    } while (--rows);
}

/** The patches of output positions `position` to `position + 3` (with `lanes` 1, of
 *  `position` alone, four times), all inside the input, gathered as `quads`: per patch value
 *  `j` the pair of positions 0 and 1 at `quads[2 * j]`, of positions 2 and 3 at
 *  `quads[2 * j + 1]`, each kernel row a run of input bytes. One body for every layer: inlined
 *  at each layer's call, the two gathers took more flash than the rows. */
TP_LOOP_FUNCTION void tp_pointwise_csr_gather_s8(const tp_pointwise_csr_s8_params *p, const int8_t *input, int32_t position,
                                                 int32_t lanes, int32_t *quads)
{
    const tp_window *w = &p->window;
    const int8_t *from[4];
    int32_t s, run, step;
    for (s = 0; s < 4; ++s) {
        int32_t y0, x0;
        tp_pointwise_csr_origin(w, lanes == 4 ? position + s : position, &y0, &x0);
        from[s] = input + (y0 * w->input_w + x0) * w->channels;
    }
    run = w->kernel_w * w->channels;
    step = w->dilation_h * w->input_w * w->channels;
    /* A loop over the two pairs, not two calls: one inlined copy of the pairing, about 160
     * bytes less of a body every model with such a layer carries. */
    for (s = 0; s < 2; ++s) tp_pointwise_csr_pair_rows_s8(from[2 * s], from[2 * s + 1], quads + s, run, w->kernel_h, step);
}

/** `tp_pointwise_csr_gather_s8` for a layer some of whose patches are not inside the input
 *  (`tp_pointwise_csr_stages_rows`): where all four of a pass are, their rows paired in place
 *  as there (calling that gather, which finds the four patches again, cost about 40
 *  instructions a pass); otherwise the rows of those that are not staged one by one, the
 *  others paired in place. */
TP_LOOP_FUNCTION void tp_pointwise_csr_gather_staged_s8(const tp_pointwise_csr_s8_params *p, const int8_t *input, int32_t position,
                                                        int32_t lanes, int32_t *quads)
{
    const tp_window *w = &p->window;
    const int32_t run = w->kernel_w * w->channels, step = w->dilation_h * w->input_w * w->channels;
    int8_t *const stage = (int8_t *)(quads + 2 * w->kernel_h * run);
    const int8_t *row[4];
    int32_t top[4], left[4], first[4], count[4], s, ky;
    int32_t inside = 1;
    for (s = 0; s < 4; ++s) {
        tp_pointwise_csr_origin(w, lanes == 4 ? position + s : position, &top[s], &left[s]);
        row[s] = tp_pointwise_csr_patch_inside(w, top[s], left[s])
                     ? input + ((size_t)top[s] * (size_t)w->input_w + (size_t)left[s]) * (size_t)w->channels
                     : 0;
        inside &= row[s] != 0;
    }
    if (inside) {
        tp_pointwise_csr_pair_rows_s8(row[0], row[1], quads, run, w->kernel_h, step);
        tp_pointwise_csr_pair_rows_s8(row[2], row[3], quads + 1, run, w->kernel_h, step);
        return;
    }
    for (s = 0; s < 4; ++s) count[s] = tp_window_axis_inside(left[s], w->kernel_w, w->dilation_w, w->input_w, &first[s]);
    for (ky = 0; ky < w->kernel_h; ++ky, quads += 2 * run) {
        const int8_t *from[4];
        for (s = 0; s < 4; ++s) {
            from[s] = row[s] ? row[s] + ky * step
                             : tp_pointwise_csr_stage_row_s8(w, input, top[s] + ky * w->dilation_h, left[s], first[s], count[s],
                                                             p->input_zero_point, stage + (s & 1) * run);
            if (s & 1) tp_gather_pairs_s8(from[s - 1], from[s], quads + s / 2, run, 2);
        }
    }
}

/**
 * A one-group convolution of CSR rows with tabled row data, four output positions per pass:
 * their patches gathered as pairs into the scratch, then every row over all four. With four
 * positions or more, the last pass ends on the last position (it may compute again a
 * position an earlier pass wrote, to the same value); with fewer, each position takes a pass
 * of its own, its four sums the same.
 * @param indices per entry, its place in the patch (uint8)
 * @param values  per entry, the weight
 * @param output  may overlap `input` as long as each pass's outputs land only on inputs no later
 *                pass reads: the last pass reads again the positions it shares with the pass
 *                before (the order the arena plan models)
 * @param scratch `tp_pointwise_conv2d_csr_s8_get_buffer_size` bytes
 */
TP_LOOP_BODY void tp_pointwise_conv2d_csr_s8(const tp_pointwise_csr_s8_params *p, const int8_t *input, const uint8_t *indices,
                                             const int8_t *values, int8_t *output, int32_t *scratch)
{
    const tp_window *w = &p->window;
    const int32_t positions = w->output_h * w->output_w, units = p->rows.units;
    /* Positions a pass computes, and the distance between their outputs. */
    const int32_t lanes = positions < 4 ? 1 : 4, step = lanes == 4 ? units : 0;
    /* A constant where the kernel is inlined: a layer whose patches all lie inside the input
     * (a 1x1 or 'valid' one) tests none. */
    const int32_t stage = tp_pointwise_csr_stages_rows(w), segments = tp_csr_segments(p->rows.input_width);
    int32_t done;
    for (done = 0; done < positions; done += lanes) {
        const int32_t position = done + lanes <= positions ? done : positions - lanes;
        int8_t *out = output + (size_t)position * (size_t)units;
        if (stage) {
            tp_pointwise_csr_gather_staged_s8(p, input, position, lanes, scratch);
        } else {
            tp_pointwise_csr_gather_s8(p, input, position, lanes, scratch);
        }
        /* `segments`, `folded` and the zero point are constants where the kernel is inlined
         * (the parameters are constant), so a model carries only the bodies its layers take. */
        if (segments > 1) {
#if defined(TP_USE_DSP)
            if (p->rows.folded && p->rows.output_zero_point == -128) {
                tp_pointwise_csr_positive_segments_s8(&p->rows, segments, indices, values, scratch, out, step);
                continue;
            }
            if (p->rows.folded) {
                tp_pointwise_csr_signed_segments_s8(&p->rows, segments, indices, values, scratch, out, step);
                continue;
            }
#endif
            tp_pointwise_csr_requantized_segments_s8(&p->rows, segments, indices, values, scratch, out, step);
            continue;
        }
#if defined(TP_USE_DSP)
        if (p->rows.folded && p->rows.output_zero_point == -128) {
            tp_pointwise_csr_positive_rows_s8(&p->rows, indices, values, scratch, out, step);
            continue;
        }
        if (p->rows.folded) {
            tp_pointwise_csr_signed_rows_s8(&p->rows, indices, values, scratch, out, step);
            continue;
        }
#endif
        tp_pointwise_csr_requantized_rows_s8(&p->rows, indices, values, scratch, out, step);
    }
}

#endif /* TP_POINTWISE_CSR_S8_H */
