/**
 * @file tp_embedding_f32.h
 * @brief Float `Embedding`: each input element, an integer-valued token id, is replaced by
 *        its row of the table.
 */
#ifndef TP_EMBEDDING_F32_H
#define TP_EMBEDDING_F32_H

#include "topiary.h"

/** Parameters of `tp_embedding_f32`. */
typedef struct {
    /** Input elements (token ids). */
    int32_t count;
    /** Vocabulary size: rows of the table. */
    int32_t input_dim;
    /** Row width. */
    int32_t output_dim;
} tp_embedding_f32_params;

/**
 * Looks up rows of `table`. Ids arrive as floats and are truncated toward zero, as Keras's
 * cast does. An id outside `0 .. input_dim - 1` (or NaN) is refused rather than clamped,
 * because a clamped token gives a plausible but wrong answer.
 *
 * @param input   `[count]` token ids
 * @param table   `[input_dim, output_dim]`
 * @param output  `[count, output_dim]`; must not overlap `input`
 * @return `TP_OK`, or `TP_ERROR_BAD_INPUT` for an id out of range (the output is then incomplete)
 */
static inline tp_status tp_embedding_f32(const tp_embedding_f32_params *params, const float *input,
                                         const float *table, float *output)
{
    int32_t position, j;
    for (position = 0; position < params->count; ++position) {
        const float value = input[position];
        const float *row;
        float *out_row = output + (size_t)position * (size_t)params->output_dim;
        if (!(value > -1.0f && value < (float)params->input_dim)) {
            return TP_ERROR_BAD_INPUT;
        }
        row = table + (size_t)(int32_t)value * (size_t)params->output_dim;
        for (j = 0; j < params->output_dim; ++j) {
            out_row[j] = row[j];
        }
    }
    return TP_OK;
}

#endif /* TP_EMBEDDING_F32_H */
