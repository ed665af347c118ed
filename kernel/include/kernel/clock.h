/* Time: the TSC, calibrated against the PIT at boot, is the monotonic clock;
 * each CPU's local-APIC timer ticks at CLOCK_TICK_HZ for preemption and
 * sleep wake-ups. */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <stdint.h>

enum { CLOCK_TICK_HZ = 250 };

/* Set the TSC rate (Hz); the monotonic clock starts at 0 now. */
void clock_init(uint64_t tsc_hz);
/* Nanoseconds since clock_init; monotonic on each CPU and across CPUs
 * (the TSCs of one machine run in step). Any context. */
uint64_t clock_now_ns(void);
uint64_t clock_tsc_hz(void);
/* TSC ticks to nanoseconds. */
uint64_t clock_tsc_to_ns(uint64_t ticks);
/* Busy-wait at least ns (boot-time delays). */
void clock_delay_ns(uint64_t ns);
/* Timer interrupt on this CPU: wakes sleepers that are due. */
void clock_tick(void);
/* Block the current thread until clock_now_ns() >= deadline_ns. */
void clock_sleep_until(uint64_t deadline_ns);

#endif
