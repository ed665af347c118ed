/* Time: the TSC, calibrated against the PIT at boot, is the monotonic clock;
 * each CPU's local-APIC timer ticks at CLOCK_TICK_HZ for preemption and
 * sleep wake-ups. */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <stdint.h>
#include <kernel/spinlock.h>

enum { CLOCK_TICK_HZ = 250 };

/* Set the TSC rate (Hz); the monotonic clock starts at 0 now. */
void clock_init(uint64_t tsc_hz);
/* Nanoseconds since clock_init; monotonic on each CPU and across CPUs
 * (the TSCs of one machine run in step). Any context. */
uint64_t clock_now_ns(void);
uint64_t clock_tsc_hz(void);
/* The wall clock: clock_wall_init reads the RTC once (at boot, after clock_init); clock_wall_ns
 * is then nanoseconds since 1970-01-01 UTC: the RTC's second at that moment plus the monotonic
 * clock since. Any context after clock_wall_init. */
void clock_wall_init(void);
uint64_t clock_wall_ns(void);
/* TSC ticks to nanoseconds. */
uint64_t clock_tsc_to_ns(uint64_t ticks);
/* The deadline timeout_ns from now (UINT64_MAX when that overflows, so
 * NC_SYS_TIMEOUT_INFINITE means never; that case is inline). */
uint64_t clock_deadline_after_finite(uint64_t timeout_ns);
static inline uint64_t clock_deadline_after(uint64_t timeout_ns)
{
	return timeout_ns == UINT64_MAX ? UINT64_MAX : clock_deadline_after_finite(timeout_ns);
}
/* Busy-wait at least ns (boot-time delays). */
void clock_delay_ns(uint64_t ns);
/* Timer interrupt on this CPU: wakes sleepers that are due. */
void clock_tick(void);
/* Block the current thread until clock_now_ns() >= deadline_ns. */
void clock_sleep_until(uint64_t deadline_ns);
/* Timed block on an object's condition: the caller holds held (taken with
 * spin_lock, giving flags), has put itself on the object's wait queue and
 * found its condition false. Blocks until a waker (holding held) calls
 * thread_wake, or until deadline_ns (UINT64_MAX: no deadline), whichever comes
 * first (at once when its process is dying: thread_mark_blocked); returns with
 * held released and interrupts restored to flags. The caller re-checks its
 * condition, its process's dying flag and the clock. Lock order: held, then the
 * clock's lock. */
void clock_block_until(spinlock_t *held, uint64_t flags, uint64_t deadline_ns);

#endif
