/**
 * @file tp_pointwise_csr_s8.h
 * @brief int8 1x1 convolutions of one group and at most 255 input channels whose filters are
 *        stored as CSR rows with tabled row data (`tp_dense_csr_table_s8.h`), run four output
 *        positions per pass over the rows.
 *
 * A 1x1 convolution is a Dense layer over each output position's input pixel. Its pruned
 * filters keep a few entries per row (about six of 64 on a keyword-spotting network at 90%
 * sparsity), and running the rows once per position, or per pair of positions
 * (`tp_conv2d_csr_s8`), pays each row's loop and output stage for every one or two outputs.
 * Here the inputs of four positions are first gathered as int16 pairs (`tp_gather_pairs_s8`),
 * per input channel the pair of positions 0 and 1 beside the pair of positions 2 and 3, and
 * each entry's index and value, read once, serve four multiply-adds: on the DSP extension one
 * `LDRD` of both pairs and `SMLABB`, `SMLABT` for each, about two instructions per
 * multiply-add. The row data (entry count
 * and shift bytes, bias and multiplier words) is read once for four outputs, which go through
 * the folded output stage of the CSR table rows where the layer takes it.
 *
 * Layout: that of `tp_dense_csr_table_s8` (`constants`, `heads`, `indices`, `values`), a row
 * per output channel over the input channels. No padding: a 1x1 window never reads any.
 */
#ifndef TP_POINTWISE_CSR_S8_H
#define TP_POINTWISE_CSR_S8_H

#include "tp_dense_csr_table_s8.h"
#include "tp_sparse_s8.h"
#include "tp_window.h"

/** A 1x1 convolution of CSR rows with tabled row data. */
typedef struct {
    /** A 1x1 window of any stride, without padding. */
    tp_window window;
    /** The rows: `rows` the output positions, `input_width` the input channels (at most 255),
     *  `units` the output channels. */
    tp_dense_csr_table_s8_params rows;
} tp_pointwise_csr_s8_params;

/** Bytes of the scratch of `tp_pointwise_conv2d_csr_s8`: four positions' inputs as pairs, two
 *  words per input channel. */
static inline int32_t tp_pointwise_conv2d_csr_s8_get_buffer_size(const tp_pointwise_csr_s8_params *q)
{
    return 8 * q->window.channels;
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
 *  positions 0 to 3, held as the two pairs `quads[2 * j]` (positions 0 and 1) and
 *  `quads[2 * j + 1]` (2 and 3): one computed address and one `LDRD` for both pairs, then four
 *  multiply-adds. */
#define TP_POINTWISE_CSR_ENTRY()                                              \
    do {                                                                      \
        const int32_t value = *values++;                                      \
        int32_t low, high;                                                    \
        tp_pointwise_csr_quad(quads + 2 * (int32_t)*indices++, &low, &high);  \
        acc0 = tp_mla_low(value, low, acc0);                                  \
        acc1 = tp_mla_high(value, low, acc1);                                 \
        acc2 = tp_mla_low(value, high, acc2);                                 \
        acc3 = tp_mla_high(value, high, acc3);                                \
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
 *  `out[step..step + units)`, `out[2 * step..)` and `out[3 * step..)`, through the output
 *  stage `stage` (a constant where inlined). A row's entries on the DSP extension eight per
 *  turn of the loop, entered at the place that leaves `n % 8` for the first turn and ending on
 *  a pointer test, as in `tp_csr_table_entries8_s8`: GCC enters a switch of eight cases
 *  through a table of branches (`TBB`), and a switch of four through a chain of compares,
 *  about three instructions more per row (a pass over the rows of a 64-channel layer at 90%
 *  sparsity: about 2.5% fewer instructions, for about 150 bytes more of the body). */
TP_LOOP_BODY void tp_pointwise_csr_rows_s8(const tp_dense_csr_table_s8_params *p, const uint8_t *indices, const int8_t *values,
                                           const int32_t *quads, int8_t *out, int32_t step, int stage)
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
        int32_t acc0, acc1, acc2, acc3, multiplier, code, shift;
        const int32_t n = tp_csr_table_next_byte(&heads);
        const int8_t *const end = values + n;
        tp_csr_table_next_pair(&constants, &acc0, &multiplier);
        acc1 = acc2 = acc3 = acc0;
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

/** `tp_pointwise_csr_rows_s8` through each output stage: one function each, so that a model's
 *  layers of one stage share one body. */
TP_LOOP_FUNCTION void tp_pointwise_csr_requantized_rows_s8(const tp_dense_csr_table_s8_params *p, const uint8_t *indices,
                                                           const int8_t *values, const int32_t *quads, int8_t *out, int32_t step)
{
    tp_pointwise_csr_rows_s8(p, indices, values, quads, out, step, TP_POINTWISE_CSR_REQUANTIZED);
}

#if defined(TP_USE_DSP)
TP_LOOP_FUNCTION void tp_pointwise_csr_positive_rows_s8(const tp_dense_csr_table_s8_params *p, const uint8_t *indices,
                                                        const int8_t *values, const int32_t *quads, int8_t *out, int32_t step)
{
    tp_pointwise_csr_rows_s8(p, indices, values, quads, out, step, TP_POINTWISE_CSR_POSITIVE);
}

TP_LOOP_FUNCTION void tp_pointwise_csr_signed_rows_s8(const tp_dense_csr_table_s8_params *p, const uint8_t *indices,
                                                      const int8_t *values, const int32_t *quads, int8_t *out, int32_t step)
{
    tp_pointwise_csr_rows_s8(p, indices, values, quads, out, step, TP_POINTWISE_CSR_SIGNED);
}
#endif

/** The inputs of output positions `position` to `position + 3` (with `lanes` 1, of `position`
 *  alone, four times) gathered as `quads`: per input channel `j` the pair of positions 0 and
 *  1 at `quads[2 * j]`, of positions 2 and 3 at `quads[2 * j + 1]`. One body for every
 *  layer: inlined at each layer's call, the two gathers took more flash than the rows. */
TP_LOOP_FUNCTION void tp_pointwise_csr_gather_s8(const tp_window *w, const int8_t *input, int32_t position, int32_t lanes,
                                                 int32_t *quads)
{
    const int8_t *from[4];
    int32_t s;
    for (s = 0; s < 4; ++s) {
        const int32_t at = lanes == 4 ? position + s : position;
        from[s] = input + (size_t)tp_window_pixel(w, at / w->output_w, at % w->output_w, 0, 0) * (size_t)w->channels;
    }
    tp_gather_pairs_s8(from[0], from[1], quads, w->channels, 2);
    tp_gather_pairs_s8(from[2], from[3], quads + 1, w->channels, 2);
}

/**
 * A 1x1 convolution of CSR rows with tabled row data, four output positions per pass: their
 * inputs gathered as pairs into the scratch, then every row over all four. With four
 * positions or more, the last pass ends on the last position (it may compute again a
 * position an earlier pass wrote, to the same value); with fewer, each position takes a pass
 * of its own, its four sums the same.
 * @param indices per entry, the input channel (uint8)
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
    int32_t done;
    for (done = 0; done < positions; done += lanes) {
        const int32_t position = done + lanes <= positions ? done : positions - lanes;
        int8_t *out = output + (size_t)position * (size_t)units;
        tp_pointwise_csr_gather_s8(w, input, position, lanes, scratch);
#if defined(TP_USE_DSP)
        /* `folded` and the zero point are constants where the kernel is inlined (the
         * parameters are constant), so a model carries only the bodies its layers take. */
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
