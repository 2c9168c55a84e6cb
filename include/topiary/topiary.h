/**
 * @file topiary.h
 * @brief Definitions shared by every Topiary kernel and by the code Topiary generates.
 *
 * Kernels are C99 `static inline` functions: a generated model includes only the headers of
 * the kernels it calls, and the compiler keeps only what is used. Nothing here allocates,
 * prints or recurses; every buffer is owned by the caller.
 *
 * Tensors are flat, row-major and channels-last, without a batch axis: a 2D feature map is
 * `[H, W, C]`, a 1D one `[W, C]` (handled as `[1, W, C]`), a sequence `[T, F]`.
 *
 * A layer kernel takes its arguments in one order, as CMSIS-NN does: its parameters (a
 * `..._params` struct where there are several), then the quantization, the input(s), the
 * constant data it reads (weights, tables), the bias, the output and last any scratch.
 * Helpers that are not layers (`tp_fixedpoint.h`, the conversions of
 * `tp_quantize_f32.h`, the functions below) spell their names out and take what they need.
 */
#ifndef TOPIARY_H
#define TOPIARY_H

#include <stddef.h>
#include <stdint.h>

/** Version of the kernel headers; generated files record the tool version separately. */
#define TOPIARY_KERNELS_VERSION 1

/**
 * Placement of the constant weight arrays, e.g.
 * `#define TOPIARY_WEIGHTS_SECTION __attribute__((section(".qspi_rodata")))`.
 * Defaults to nothing: the weights go wherever the toolchain puts `static const` data.
 */
#ifndef TOPIARY_WEIGHTS_SECTION
#define TOPIARY_WEIGHTS_SECTION
#endif

/**
 * Placement of a model's static activation arena (the one its entry points without `_arena`
 * use), e.g. in a faster RAM bank. Defaults to nothing.
 */
#ifndef TOPIARY_ARENA_SECTION
#define TOPIARY_ARENA_SECTION
#endif

/**
 * Extra alignment for the arena and weights, e.g. `__attribute__((aligned(16)))` for DMA or
 * vector loads. Defaults to nothing; the arena is always aligned for `float` and `double`.
 */
#ifndef TOPIARY_ALIGN
#define TOPIARY_ALIGN(bytes)
#endif

/**
 * Profiling hook, placed in every generated `*_run` at its start (`-1`) and after each
 * layer's code (the layer's node index). Empty, so a normal build carries no profiling code;
 * `topiary profile` defines it to read the SysTick timer between layers.
 */
#ifndef TOPIARY_PROFILE_MARK
#define TOPIARY_PROFILE_MARK(node) ((void)0)
#endif

/**
 * A body inlined wherever it is called, whatever the compiler's size heuristics say: written
 * once for several variants and given its variant as a constant argument (a weight storage,
 * `tp_weight_storage`, a per-element formula, or a flag of an int8 loop), so that inlined into
 * each kernel it becomes one loop per variant, as fast as a loop written for that variant
 * alone; or a step of a kernel's loop whose loads must stay hoisted. Compilers without
 * `always_inline` get `static inline`: where they do not inline, the body tests its variant
 * at every element and runs slower, with the same results.
 */
#if defined(__GNUC__)
#define TP_LOOP_BODY static inline __attribute__((always_inline, unused))
#else
#define TP_LOOP_BODY static inline
#endif

/**
 * The line before each generated `_arena` entry point: out of line, so that the entry points
 * that call it (the ones without `_arena`, and the single-input forms of the `_multi` ones)
 * are each one call or jump instead of an inlined copy of its pointer checks, which saves
 * flash and no time that counts (one call per inference).
 */
#if defined(__GNUC__)
#define TP_ENTRY_POINT __attribute__((noinline))
#else
#define TP_ENTRY_POINT
#endif

/** Largest tensor rank (batch excluded) the shape kernels accept. */
#define TP_MAX_RANK 6

/** Result of a kernel that can fail on its input data, and of a generated `*_predict*`. */
typedef enum {
    /** Success. */
    TP_OK = 0,
    /** An input value cannot be used, e.g. an embedding index outside the vocabulary. */
    TP_ERROR_BAD_INPUT = 1,
    /** A null pointer was passed where a buffer is required. */
    TP_ERROR_NULL = 2,
    /** A caller-owned arena is not aligned to the model's `NAME_ARENA_ALIGN` bytes. */
    TP_ERROR_ARENA_ALIGNMENT = 3
} tp_status;

/** The shape of a recurrent layer, float (`tp_recurrent_f32.h`) or int8 (`tp_recurrent_s8.h`). */
typedef struct {
    int32_t timesteps;
    int32_t features;
    int32_t units;
    /** Non-zero: the output is `[timesteps, units]`, every step's state; zero: `[units]`, the last. */
    int32_t return_sequences;
    /** Non-zero: process the sequence last to first. */
    int32_t go_backwards;
} tp_recurrent_shape;

/** The timestep processed at position `step`: last to first with `go_backwards`. */
static inline int32_t tp_recurrent_timestep(const tp_recurrent_shape *shape, int32_t step)
{
    return shape->go_backwards ? shape->timesteps - 1 - step : step;
}

/**
 * The output row the state after position `step` is written to: row `step` of the sequence,
 * row 0 for the last state alone, or -1 when the step writes nothing.
 */
static inline int32_t tp_recurrent_output_row(const tp_recurrent_shape *shape, int32_t step)
{
    if (shape->return_sequences) {
        return step;
    }
    return step == shape->timesteps - 1 ? 0 : -1;
}

/**
 * `max(x, y)` with the same answer as the reference engine in every case, `-0.0` and NaN
 * included: `y` when `y >= x`, else `x`.
 */
static inline float tp_maxf(float x, float y)
{
    return y >= x ? y : x;
}

/** `min(x, y)`: `y` when `y < x`, else `x` (the reference engine's choice for ties and NaN). */
static inline float tp_minf(float x, float y)
{
    return y < x ? y : x;
}

/** Copies `count` floats from `input` to `output` (which may be the same buffer). */
static inline void tp_copy_f32(int32_t count, const float *input, float *output)
{
    int32_t i;
    if (input == output) {
        return;
    }
    for (i = 0; i < count; ++i) {
        output[i] = input[i];
    }
}

/** Elements of a tensor of shape `shape[rank]`. */
static inline int32_t tp_shape_count(int32_t rank, const int32_t *shape)
{
    int32_t count = 1;
    int32_t axis;
    for (axis = 0; axis < rank; ++axis) {
        count *= shape[axis];
    }
    return count;
}

/**
 * Steps the multi-index `index[rank]` to the next element of `shape` in row-major order, so
 * that kernels walking a tensor element by element need no division and no index table.
 */
static inline void tp_index_next(int32_t rank, const int32_t *shape, int32_t *index)
{
    int32_t axis;
    for (axis = rank - 1; axis >= 0; --axis) {
        index[axis] += 1;
        if (index[axis] < shape[axis]) {
            return;
        }
        index[axis] = 0;
    }
}

#endif /* TOPIARY_H */
