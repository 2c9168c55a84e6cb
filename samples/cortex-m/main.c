/* Runs a Topiary-generated model (converted with --name model) on every sample of a .npy
   file read from the host over semihosting, and prints each sample's outputs, one line per
   sample, as the hexadecimal bit patterns of the float32 values (exact, unlike decimals).

   After each sample's outputs it prints `instructions N`, the instructions model_predict
   executed: under QEMU's -icount shift=0 (the Makefile's QEMU) the emulated clock advances
   one nanosecond per instruction, and SysTick on the processor clock of the MPS2 boards
   (25 MHz) counts down once every 40 of them, so N is exact to 40 instructions. The 24-bit
   counter wraps after 671 M instructions, far beyond one inference of a microcontroller model.

   Input: the float32, C-order .npy at INPUT_PATH, shaped [samples, MODEL_INPUT_SIZE...].
   Exit status: 0 on success, 1 on a read error or a failing model_predict. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

#ifndef INPUT_PATH
#define INPUT_PATH "build/input.npy" /* relative to where QEMU runs */
#endif

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_RELOAD 0xFFFFFFu
/* Instructions per SysTick count under -icount shift=0 (1 GHz emulated, 25 MHz SysTick). */
#define INSTRUCTIONS_PER_TICK 40u

static float input[MODEL_INPUT_SIZE];
static float output[MODEL_OUTPUT_SIZE];

/* Reads the .npy header and returns the number of samples, or -1 if the file is not a
   little-endian float32 C-order array of whole samples. */
static long read_npy_header(FILE *file) {
    unsigned char preamble[12];
    if (fread(preamble, 1, 10, file) != 10 || memcmp(preamble, "\x93NUMPY", 6) != 0) return -1;
    unsigned long header_length = preamble[8] | ((unsigned long)preamble[9] << 8);
    if (preamble[6] >= 2) {
        if (fread(preamble + 10, 1, 2, file) != 2) return -1;
        header_length |= ((unsigned long)preamble[10] << 16) | ((unsigned long)preamble[11] << 24);
    }
    static char header[4096];
    if (header_length >= sizeof header || fread(header, 1, header_length, file) != header_length) return -1;
    header[header_length] = 0;
    if (!strstr(header, "'<f4'") || !strstr(header, "'fortran_order': False")) return -1;
    const char *shape = strstr(header, "'shape': (");
    if (!shape) return -1;
    long samples = 0;
    for (shape += 10; *shape >= '0' && *shape <= '9'; shape++) samples = samples * 10 + (*shape - '0');
    return samples;
}

int main(void) {
    FILE *file = fopen(INPUT_PATH, "rb");
    if (!file) {
        printf("error: cannot open %s on the host\n", INPUT_PATH);
        return 1;
    }
    long samples = read_npy_header(file);
    if (samples < 0) {
        printf("error: %s is not a float32 C-order .npy file\n", INPUT_PATH);
        return 1;
    }
    SYST_RVR = SYST_RELOAD;
    SYST_CVR = 0;
    SYST_CSR = 5; /* processor clock, no interrupt, enabled */
    /* The cost of two timer reads, taken off every count. */
    const uint32_t first = SYST_CVR, second = SYST_CVR, overhead = first - second;
    for (long sample = 0; sample < samples; sample++) {
        if (fread(input, sizeof(float), MODEL_INPUT_SIZE, file) != MODEL_INPUT_SIZE) {
            printf("error: %s ends inside sample %ld\n", INPUT_PATH, sample);
            return 1;
        }
        const uint32_t start = SYST_CVR;
        const int status = model_predict(input, output);
        const uint32_t ticks = ((start - SYST_CVR) & SYST_RELOAD) - overhead;
        if (status != 0) {
            printf("error: model_predict failed on sample %ld\n", sample);
            return 1;
        }
        for (int i = 0; i < MODEL_OUTPUT_SIZE; i++) {
            uint32_t bits;
            memcpy(&bits, &output[i], sizeof bits);
            printf(i ? " %08lx" : "%08lx", (unsigned long)bits);
        }
        printf("\ninstructions %lu\n", (unsigned long)(ticks * INSTRUCTIONS_PER_TICK));
    }
    fclose(file);
    return 0;
}
