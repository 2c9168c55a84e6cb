/**
 * @file tp_s8.h
 * @brief What every int8 weighted kernel shares: the per-channel output stage.
 *
 * An int8 Dense, convolution, depthwise convolution or per-channel affine accumulates
 * `bias[c] + sum(w * x)` in int32 (the input zero point is already folded into `bias`
 * offline), then rescales with a per-channel fixed-point multiplier and shift
 * (`tp_requantize`, gemmlowp rounding), adds the output zero point and clamps, the clamp
 * doubling as a fused ReLU or ReLU6.
 *
 * Multipliers and shifts are stored once per channel, or once for the whole layer when every
 * channel has the same value (`multiplier_step` / `shift_step` 0), which saves flash exactly.
 *
 * Dense weights and inputs meet in `tp_dot_s8` and `tp_dot2_s8` (one and two rows), the inner
 * loops of the convolutions and of a Dense layer's last units (its blocks of four units have
 * `tp_dot4_s8`), each with a body for the Cortex-M DSP extension and a portable one; on the
 * DSP extension the convolutions widen the inputs of four positions once (`tp_widen_s8`) and
 * multiply every filter by them (`tp_conv_block_s8` in tp_conv_s8.h).
 */
#ifndef TP_S8_H
#define TP_S8_H

#include "topiary.h"
#include "tp_fixedpoint.h"

/** The output stage of a weighted int8 layer. */
typedef struct {
    /** `[channels]`: int32 bias at scale `s_in * s_w[c]`, with `-zp_in * sum(w[c])` folded in. */
    const int32_t *bias;
    /** Q31 multipliers: `[channels]`, or one value when `multiplier_step` is 0. */
    const int32_t *multiplier;
    /** Shifts in -31..30: `[channels]`, or one value when `shift_step` is 0. */
    const int8_t *shift;
    /** 1 when there is one multiplier per channel, 0 when one is shared. */
    int32_t multiplier_step;
    /** 1 when there is one shift per channel, 0 when one is shared. */
    int32_t shift_step;
    int32_t output_zero_point;
    /** Clamp of the output, within -128..127 (a fused ReLU raises the floor to the zero point). */
    int32_t output_min;
    int32_t output_max;
} tp_channel_output_s8;

/** Output value of channel `c` from its accumulated `acc` (bias already included). */
static inline int8_t tp_channel_output(const tp_channel_output_s8 *o, int32_t c, int32_t acc)
{
    return tp_requantize(acc, o->multiplier[o->multiplier_step != 0 ? c : 0], (int32_t)o->shift[o->shift_step != 0 ? c : 0],
                         o->output_zero_point, o->output_min, o->output_max);
}

/** `tp_channel_output` of channel `c` for two accumulators (two positions), its multiplier
 *  and shift looked up once, into `*y0` and `*y1`. Always inlined (`TP_LOOP_BODY`): in the
 *  kernel's loop over channels the output stage's fields stay in registers. */
TP_LOOP_BODY void tp_channel_output2(const tp_channel_output_s8 *o, int32_t c, int32_t acc0, int32_t acc1, int8_t *y0, int8_t *y1)
{
    const int32_t multiplier = o->multiplier[c * o->multiplier_step], shift = (int32_t)o->shift[c * o->shift_step];
    if (shift < 0) {
        /* The same two calls as below: here the compiler knows the shift is negative and keeps
         * only the right shift's path, tested once for both values. */
        *y0 = tp_requantize(acc0, multiplier, shift, o->output_zero_point, o->output_min, o->output_max);
        *y1 = tp_requantize(acc1, multiplier, shift, o->output_zero_point, o->output_min, o->output_max);
    } else {
        *y0 = tp_requantize(acc0, multiplier, shift, o->output_zero_point, o->output_min, o->output_max);
        *y1 = tp_requantize(acc1, multiplier, shift, o->output_zero_point, o->output_min, o->output_max);
    }
}

/*
 * The DSP extension (Cortex-M4, M7, M33 with DSP): two 16x16 multiply-adds per instruction
 * (`__smlad`) on int8 values widened two at a time (`__sxtb16` takes bytes 0 and 2 of a
 * word, and bytes 1 and 3 after a shift right by 8 bits), through the ACLE intrinsics of
 * <arm_acle.h>. Both orders of pairing sum the same int32 products, so the DSP bodies give
 * exactly the results of the portable ones. TOPIARY_NO_DSP keeps the portable bodies.
 */
#if defined(__ARM_FEATURE_DSP) && !defined(TOPIARY_NO_DSP)
#define TP_USE_DSP 1
#endif

/* The inner loops that must keep every operand in a register are compiled as functions of
 * their own where the compiler allows it: inlined into a kernel they share the registers
 * with the kernel's outer loops, and GCC then spills the widened words to the stack, which
 * costs more per multiply-add than one call per row costs per row. */
#if defined(TP_USE_DSP) && defined(__GNUC__)
#define TP_LOOP_FUNCTION static __attribute__((noinline, unused))
#else
#define TP_LOOP_FUNCTION static inline
#endif

/* Code that several paths of a kernel share and that runs seldom enough (once per entry of a
 * table, or on a kernel's general path) for a call to cost nothing that counts: one copy out of
 * line, where GCC would inline one per use. */
#if defined(__GNUC__)
#define TP_SHARED_FUNCTION static __attribute__((noinline, unused))
#else
#define TP_SHARED_FUNCTION static inline
#endif

/** Positions whose widened inputs a column holds side by side (see `tp_widen_s8`, on the DSP extension): the
 *  blocked products of the convolutions (`tp_conv_block_s8`) read each widened weight word
 *  once for this many positions. */
#define TP_BLOCK_POSITIONS 4

#if defined(TP_USE_DSP)
#include <arm_acle.h>
#include <string.h>

/** Four consecutive int8 values as one word (the Armv7E-M `LDR` allows any alignment). */
static inline uint32_t tp_read_s8x4(const int8_t *p)
{
    uint32_t word;
    memcpy(&word, p, sizeof word);
    return word;
}

/** Bytes 1 and 3 of an int8 word, sign-extended into two int16 halves: `__sxtb16` of the
 *  word rotated by 8 bits. `SXTB16` rotates its operand for free, but ACLE's `__sxtb16` has no
 *  rotation argument and GCC (unlike clang) leaves the rotation as an instruction of its own,
 *  one more per widened word in every inner loop; for GCC the one instruction is written out. */
static inline int32_t tp_sxtb16_odd(uint32_t word)
{
#if defined(__GNUC__) && !defined(__clang__)
    int32_t pairs;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(pairs) : "r"(word));
    return pairs;
#else
    return __sxtb16((word >> 8) | (word << 24));
#endif
}

/** The low halves of `u` and `v` in one word, `u`'s low (`PKHBT`), or with `high` (a constant
 *  where inlined) their high halves, `u`'s low (`PKHTB`). GCC makes each of these packs two or
 *  three instructions, and its ACLE has no intrinsic; for GCC the one instruction is written
 *  out. */
static inline uint32_t tp_pack_halves(uint32_t u, uint32_t v, int high)
{
#if defined(__GNUC__) && !defined(__clang__)
    uint32_t packed;
    if (high) {
        __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(packed) : "r"(v), "r"(u));
    } else {
        __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(packed) : "r"(u), "r"(v));
    }
    return packed;
#else
    return high ? (v & 0xFFFF0000u) | (u >> 16) : (u & 0xFFFFu) | (v << 16);
#endif
}

/** `acc` plus the four products of the int8 word `w` with four int8 values widened into
 *  `even` (values 0 and 2) and `odd` (1 and 3), in two `__smlad`. */
static inline int32_t tp_smlad_widened_s8x4(uint32_t w, int32_t even, int32_t odd, int32_t acc)
{
    return __smlad(tp_sxtb16_odd(w), odd, __smlad(__sxtb16(w), even, acc));
}

/** `acc` plus the four products of the int8 words `a` and `b`. */
static inline int32_t tp_smlad_s8x4(uint32_t a, uint32_t b, int32_t acc)
{
    return tp_smlad_widened_s8x4(a, __sxtb16(b), tp_sxtb16_odd(b), acc);
}

/** Stores `even` and `odd` at `column[0]` and `column[1]`; returns `column + 8` (the next group
 *  of the same position, see `tp_widen_s8`). GCC stores them with two `STR` and a pointer add,
 *  so for GCC the one post-incrementing `STRD` is written out: two instructions fewer for
 *  every four values widened. */
static inline int32_t *tp_store_pair(int32_t *column, int32_t even, int32_t odd)
{
#if defined(__GNUC__) && !defined(__clang__)
    __asm__("strd %3, %4, [%0], #32" : "+r"(column), "=m"(column[0]), "=m"(column[1]) : "r"(even), "r"(odd));
    return column;
#else
    column[0] = even;
    column[1] = odd;
    return column + 2 * TP_BLOCK_POSITIONS;
#endif
}

/** Widens the int8 values `x[0..n)` (`n` a multiple of 4) for `tp_conv_block_s8`: each four
 *  values `x0..x3` become the int16 pairs `(x0, x2)` and `(x1, x3)` (what `__sxtb16` and
 *  `tp_sxtb16_odd` make of a weight word), stored in `column[0]` and `column[1]`, then the
 *  next four at `column + 8`: the six words between belong to the block's other positions
 *  (position `k` of a block starts at `columns + 2k`). Returns the column after the last
 *  pair. */
static inline int32_t *tp_widen_s8(const int8_t *x, int32_t n, int32_t *column)
{
    const int8_t *const end = x + n;
    while (x != end) {
        const uint32_t word = tp_read_s8x4(x);
        column = tp_store_pair(column, __sxtb16(word), tp_sxtb16_odd(word));
        x += 4;
    }
    return column;
}
#endif

/** `sum(a[i] * b[i])` over `n` int8 pairs; four products per iteration, which halves the
 *  loop overhead of the dense kernels' inner loops. */
static inline int32_t tp_dot_s8(const int8_t *a, const int8_t *b, int32_t n)
{
    int32_t sum = 0, i = 0;
#if defined(TP_USE_DSP)
    for (; i + 4 <= n; i += 4) sum = tp_smlad_s8x4(tp_read_s8x4(a + i), tp_read_s8x4(b + i), sum);
#else
    for (; i + 4 <= n; i += 4) {
        sum += (int32_t)a[i] * (int32_t)b[i] + (int32_t)a[i + 1] * (int32_t)b[i + 1] +
               (int32_t)a[i + 2] * (int32_t)b[i + 2] + (int32_t)a[i + 3] * (int32_t)b[i + 3];
    }
#endif
    for (; i < n; ++i) sum += (int32_t)a[i] * (int32_t)b[i];
    return sum;
}

/** The dot products of two weight rows `w0`, `w1` with one input `x`, added to `*acc0` and
 *  `*acc1`: each input word is read and widened once for both rows, the block that makes a
 *  Dense layer about a third cheaper per multiply-add than one row at a time. */
TP_LOOP_FUNCTION void tp_dot2_s8(const int8_t *w0, const int8_t *w1, const int8_t *x, int32_t n, int32_t *acc0, int32_t *acc1)
{
    int32_t sum0 = *acc0, sum1 = *acc1;
    const int8_t *const end = x + n;
#if defined(TP_USE_DSP)
    /* A count of words: the compiler keeps it, the sums, the pointers and the widened words in
     * registers, where an end pointer per loop spilled to the stack. */
    int32_t k;
    for (k = n >> 2; k > 0; --k) {
        const uint32_t words = tp_read_s8x4(x), a = tp_read_s8x4(w0), b = tp_read_s8x4(w1);
        const int32_t even = __sxtb16(words), odd = tp_sxtb16_odd(words);
        x += 4;
        w0 += 4;
        w1 += 4;
        sum0 = tp_smlad_widened_s8x4(a, even, odd, sum0);
        sum1 = tp_smlad_widened_s8x4(b, even, odd, sum1);
    }
#else
    const int8_t *const pairs_end = x + (n & ~(int32_t)1);
    while (x != pairs_end) {
        const int32_t x0 = x[0], x1 = x[1];
        sum0 += (int32_t)w0[0] * x0 + (int32_t)w0[1] * x1;
        sum1 += (int32_t)w1[0] * x0 + (int32_t)w1[1] * x1;
        x += 2;
        w0 += 2;
        w1 += 2;
    }
#endif
    while (x != end) {
        sum0 += (int32_t)(*w0++) * (int32_t)*x;
        sum1 += (int32_t)(*w1++) * (int32_t)*x;
        ++x;
    }
    *acc0 = sum0;
    *acc1 = sum1;
}

#endif /* TP_S8_H */
