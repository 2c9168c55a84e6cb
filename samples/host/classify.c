/*
 * classify: reads an 8x8 handwritten digit (64 whitespace-separated pixel values 0..16,
 * row by row; lines starting with '#' are comments) and prints the digit a model generated
 * by `topiary convert --name digits` sees, with its scores.
 *
 *     classify digit7.txt
 *
 * The pixels are scaled by 1/16 like the training data (samples/make_data.py). Exit status:
 * 0 on success, 1 for a file that cannot be read, 2 for a usage error, 3 if the model fails.
 */
#include <stdio.h>
#include <stdlib.h>

#include "digits.h"

#define PIXELS 64

/* The model must take one 8x8 image (as [64] or [8, 8, 1]) and give ten scores. */
typedef char digits_input_is_64_pixels[(DIGITS_INPUT_SIZE == PIXELS) ? 1 : -1];
typedef char digits_output_is_10_scores[(DIGITS_OUTPUT_SIZE == 10) ? 1 : -1];

/* Reads PIXELS values 0..16 into `pixels`; returns 0 on success. */
static int read_digit(FILE *file, const char *path, float *pixels)
{
    int count = 0;
    int c;
    while (count < PIXELS && (c = fgetc(file)) != EOF) {
        int value;
        if (c == '#') {
            while ((c = fgetc(file)) != EOF && c != '\n') {
            }
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            continue;
        }
        ungetc(c, file);
        if (fscanf(file, "%d", &value) != 1 || value < 0 || value > 16) {
            fprintf(stderr, "%s: pixel %d is not a whole number from 0 to 16\n", path, count + 1);
            return 1;
        }
        pixels[count++] = (float)value / 16.0f;
    }
    if (count < PIXELS) {
        fprintf(stderr, "%s: found %d pixel values, expected %d\n", path, count, PIXELS);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    float pixels[DIGITS_INPUT_SIZE];
    float scores[DIGITS_OUTPUT_SIZE];
    FILE *file;
    int best = 0;
    int status;
    int i;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DIGIT.txt\n", argv[0]);
        return 2;
    }
    file = fopen(argv[1], "r");
    if (file == NULL) {
        fprintf(stderr, "%s: cannot open\n", argv[1]);
        return 1;
    }
    status = read_digit(file, argv[1], pixels);
    fclose(file);
    if (status != 0) {
        return 1;
    }
    status = digits_predict(pixels, scores);
    if (status != 0) {
        fprintf(stderr, "digits_predict failed with status %d\n", status);
        return 3;
    }
    for (i = 1; i < DIGITS_OUTPUT_SIZE; ++i) {
        if (scores[i] > scores[best]) {
            best = i;
        }
    }
    printf("digit: %d\n", best);
    for (i = 0; i < DIGITS_OUTPUT_SIZE; ++i) {
        printf("  %d: %.4f\n", i, (double)scores[i]);
    }
    return 0;
}
