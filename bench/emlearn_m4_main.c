/* Times emlearn's float C for a digits MLP on the emulated Cortex-M4 (bench/digits_m4.py): the
   SysTick counter is read around each `digits_predict` call, and the class it returns printed
   beside the ticks. Under qemu-system-arm -icount shift=0 a tick is 40 instructions. */
#include <stdint.h>
#include <stdio.h>

#include "digits_emlearn.h"
#include "digits_inputs.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

int main(void)
{
    int s;
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0;
    SYST_CSR = 5; /* processor clock, no interrupt: one inference is far below a wrap */
    while (SYST_CVR == 0) {
        /* wait for the first reload */
    }
    for (s = 0; s < DIGITS_SAMPLES; ++s) {
        const uint32_t before = SYST_CVR;
        const int32_t predicted = digits_predict(digits_inputs[s], 64);
        const uint32_t after = SYST_CVR;
        printf("sample %d class %ld ticks %lu\n", s, (long)predicted, (unsigned long)(before - after));
    }
    return 0;
}
