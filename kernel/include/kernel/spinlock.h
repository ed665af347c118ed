/* Spinlocks. The kernel is not preemptible (threads switch only when they
 * block, yield, or return to user mode), so a spinlock only has to keep other
 * CPUs and interrupt handlers out: spin_lock disables interrupts on this CPU
 * and hands back the previous state for spin_unlock. Never sleep holding one. */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <stdint.h>
#include <arch/cpu.h>

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

/* Returns the interrupt state to pass to spin_unlock. */
static inline uint64_t spin_lock(spinlock_t *l)
{
	uint64_t flags = irq_save();
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_pause();
	return flags;
}

static inline void spin_unlock(spinlock_t *l, uint64_t flags)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	irq_restore(flags);
}

/* For a lock taken while interrupts are already off (another spinlock is
 * held, or the CPU is switching threads): no interrupt state to save. */
static inline void spin_lock_irqs_off(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_pause();
}

static inline void spin_unlock_irqs_off(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
