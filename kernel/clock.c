/* The monotonic clock and sleeping (see kernel/clock.h). ns = ticks * mult
 * >> 32 with mult = 1e9 * 2^32 / tsc_hz, in 128-bit arithmetic so it never
 * overflows. Sleepers sit on one list sorted by deadline; every CPU's tick
 * wakes the due ones. */
#include <stddef.h>
#include <kernel/clock.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <kernel/arch.h>
#include <arch/cpu.h>

static uint64_t tsc_base, tsc_rate, mult;
static uint64_t wall_base_ns; /* the wall clock at monotonic 0 */
static spinlock_t lock = SPINLOCK_INIT;
static thread_t *sleepers;   /* sorted by sleep_deadline_ns; guarded by lock */

void clock_init(uint64_t tsc_hz)
{
	tsc_rate = tsc_hz;
	mult = (uint64_t)(((unsigned __int128)1000000000u << 32) / tsc_hz);
	tsc_base = cpu_rdtsc();
}

uint64_t clock_tsc_hz(void) { return tsc_rate; }

uint64_t clock_tsc_to_ns(uint64_t ticks)
{
	return (uint64_t)(((unsigned __int128)ticks * mult) >> 32);
}

uint64_t clock_now_ns(void) { return clock_tsc_to_ns(cpu_rdtsc() - tsc_base); }

void clock_wall_init(void) { wall_base_ns = arch_rtc_epoch_s() * 1000000000u - clock_now_ns(); }

uint64_t clock_wall_ns(void) { return wall_base_ns + clock_now_ns(); }

uint64_t clock_deadline_after_finite(uint64_t timeout_ns)
{
	uint64_t now = clock_now_ns();
	return timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
}

void clock_delay_ns(uint64_t ns)
{
	uint64_t end = clock_now_ns() + ns;
	while (clock_now_ns() < end)
		cpu_pause();
}

void clock_tick(void)
{
	if (!sleepers)
		return;
	uint64_t now = clock_now_ns();
	uint64_t f = spin_lock(&lock);
	while (sleepers && sleepers->sleep_deadline_ns <= now) {
		thread_t *t = sleepers;
		sleepers = t->sleep_next;
		t->sleep_next = NULL;
		thread_wake(t);
	}
	spin_unlock(&lock, f);
}

static void remove_sleeper(thread_t *t)
{
	for (thread_t **pp = &sleepers; *pp; pp = &(*pp)->sleep_next)
		if (*pp == t) {
			*pp = t->sleep_next;
			return;
		}
}

void clock_sleep_until(uint64_t deadline_ns)
{
	thread_t *self = thread_current();
	uint64_t f = spin_lock(&lock);
	while (clock_now_ns() < deadline_ns && !thread_dying(self)) {
		self->sleep_deadline_ns = deadline_ns;
		thread_t **pp = &sleepers;
		while (*pp && (*pp)->sleep_deadline_ns <= deadline_ns)
			pp = &(*pp)->sleep_next;
		self->sleep_next = *pp;
		*pp = self;
		thread_block(&lock, f);
		f = spin_lock(&lock);
		remove_sleeper(self);
	}
	spin_unlock(&lock, f);
}

void clock_block_until(spinlock_t *held, uint64_t flags, uint64_t deadline_ns)
{
	thread_t *self = thread_current();
	bool armed = deadline_ns != UINT64_MAX;
	/* without a deadline the timer cannot wake us: the clock's lock is not needed */
	uint64_t f = armed ? spin_lock(&lock) : 0;
	if (armed) {
		self->sleep_deadline_ns = deadline_ns;
		thread_t **pp = &sleepers;
		while (*pp && (*pp)->sleep_deadline_ns <= deadline_ns)
			pp = &(*pp)->sleep_next;
		self->sleep_next = *pp;
		*pp = self;
	}
	/* BLOCKED before either lock is released: a waker of either kind must
	 * take one of them first, so no wake-up is lost */
	bool blocked = thread_mark_blocked(self);
	if (armed)
		spin_unlock(&lock, irq_off(f));
	spin_unlock(held, irq_off(flags));
	if (blocked)
		sched_yield();
	if (armed) {
		f = spin_lock(&lock);
		remove_sleeper(self);
		spin_unlock(&lock, f);
	}
	irq_restore(flags);
}
