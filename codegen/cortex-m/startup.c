/* Minimal start-up for the MPS2 Cortex-M boards under QEMU: vector table, copy .data,
   clear .bss, run constructors, open the semihosting channel, call main and report its
   status to the host. Faults end the emulation with a failure status instead of hanging. */
#include <stdint.h>
#include <stdlib.h>

extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end, __stack_top;
extern void __libc_init_array(void);
extern void initialise_monitor_handles(void);
extern int main(void);

void Reset_Handler(void);
void Fault_Handler(void);
/* A program that enables the SysTick interrupt (the profiling driver) defines its own. */
void SysTick_Handler(void) __attribute__((weak, alias("Fault_Handler")));

/* Semihosting SYS_EXIT with ADP_Stopped_RunTimeErrorUnknown: QEMU exits with status 1. */
static void semihosting_fail(void) {
    register uint32_t operation __asm__("r0") = 0x18;
    register uint32_t reason __asm__("r1") = 0x20023;
    __asm__ volatile("bkpt 0xab" : : "r"(operation), "r"(reason) : "memory");
    for (;;) {
    }
}

void Fault_Handler(void) { semihosting_fail(); }

/* The C library's init/fini hooks; this program has no constructors to run. */
void _init(void);
void _fini(void);
void _init(void) {}
void _fini(void) {}

/* The first entry is the initial stack pointer, the others handler addresses. */
typedef union {
    uint32_t *stack;
    void (*handler)(void);
} vector_entry;

__attribute__((section(".isr_vector"), used))
static const vector_entry vectors[16] = {
    {.stack = &__stack_top},
    {.handler = Reset_Handler},
    {.handler = Fault_Handler}, /* NMI */
    {.handler = Fault_Handler}, /* HardFault */
    {.handler = Fault_Handler}, /* MemManage */
    {.handler = Fault_Handler}, /* BusFault */
    {.handler = Fault_Handler}, /* UsageFault */
    {0}, {0}, {0}, {0},
    {.handler = Fault_Handler}, /* SVCall */
    {.handler = Fault_Handler}, /* DebugMon */
    {0},
    {.handler = Fault_Handler}, /* PendSV */
    {.handler = SysTick_Handler},
};

void Reset_Handler(void) {
    uint32_t *source = &__data_load;
    for (uint32_t *target = &__data_start; target < &__data_end;) *target++ = *source++;
    for (uint32_t *target = &__bss_start; target < &__bss_end;) *target++ = 0;
#if defined(__ARM_FP)
    /* Enable CP10/CP11 so code built for the FPU can run. */
    *(volatile uint32_t *)0xE000ED88 |= (0xFu << 20);
    __asm__ volatile("dsb\n isb");
#endif
    initialise_monitor_handles();
    __libc_init_array();
    exit(main());
}
