/* Per-CPU round-robin scheduling with load balancing (see kernel/sched.h).
 * The switch protocol follows the "finish on the new stack" idea: schedule()
 * never queues the thread it leaves; sched_finish_switch, running on the next
 * thread's stack, clears the old thread's on_cpu and queues it if it is still
 * runnable. So a thread is never in a run queue while its registers are live,
 * and any CPU may pick it up from there. */
#include <kernel/arch.h>
#include <kernel/cpu.h>
#include <kernel/kernel.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <arch/cpu.h>

cpu_t cpus[CPU_MAX];
volatile unsigned cpu_count;

static void rq_push(cpu_t *c, thread_t *t)
{
	uint64_t f = spin_lock(&c->rq.lock);
	t->cpu = c->index;
	t->rq_next = NULL;
	if (c->rq.tail)
		c->rq.tail->rq_next = t;
	else
		c->rq.head = t;
	c->rq.tail = t;
	c->rq.length++;
	spin_unlock(&c->rq.lock, f);
}

static thread_t *rq_pop(cpu_t *c)
{
	if (!c->rq.length)
		return NULL;
	uint64_t f = spin_lock(&c->rq.lock);
	thread_t *t = c->rq.head;
	if (t) {
		c->rq.head = t->rq_next;
		if (!c->rq.head)
			c->rq.tail = NULL;
		c->rq.length--;
	}
	spin_unlock(&c->rq.lock, f);
	return t;
}

/* Queued threads plus the running one (idle does not count). */
static uint32_t load_of(const cpu_t *c)
{
	return c->rq.length + (c->current && c->current != c->idle ? 1 : 0);
}

static cpu_t *least_loaded(uint32_t prefer)
{
	cpu_t *best = &cpus[prefer < cpu_count ? prefer : 0];
	for (unsigned i = 0; i < cpu_count; i++)
		if (cpus[i].online && load_of(&cpus[i]) < load_of(best))
			best = &cpus[i];
	return best;
}

/* Get an idle CPU to look at its queue. A busy CPU picks new work at its next
 * tick; forcing a switch here would let two threads on one CPU hand the CPU
 * back and forth without ever returning to user mode. */
static void kick(cpu_t *c)
{
	if (c != cpu_this() && c->current == c->idle)
		arch_ipi_resched(c->index);
}

/* Where a woken thread goes: the least loaded CPU, preferring the one it
 * last ran on, except when this CPU has nothing queued and either is idle
 * (an interrupt woke it: it is awake already) or is sending an IPC message
 * to the woken thread (cpu_t.wake_here: the sender of a request or an
 * answer usually waits right after, so the pair runs on one CPU, as a call
 * hands off). Then the thread stays here and no other CPU has to be woken
 * with an IPI: under TCG a halted virtual CPU runs only when the host
 * schedules its thread, and the block benchmark's QD1 reads crossed CPUs
 * three times per request (docs/benchmarks.md). A sender that keeps
 * running gives the CPU up at its next tick (need_resched), or an idle CPU
 * steals the thread. */
void sched_enqueue(thread_t *t)
{
	cpu_t *self = cpu_this();
	cpu_t *c = (self->current == self->idle || self->wake_here) && !self->rq.length ? self : least_loaded(t->cpu);
	rq_push(c, t);
	kick(c);
}

void sched_init_cpu(thread_t *idle)
{
	cpu_t *c = cpu_this();
	c->idle = idle;
	c->current = idle;
	idle->cpu = c->index;
	idle->state = THREAD_RUNNING;
	idle->on_cpu = true;
	c->switch_tsc = cpu_rdtsc();
}

/* Inlined into the switch; sched_finish_switch is the out-of-line copy for
 * the first run of a new thread (switch.S). */
static inline __attribute__((always_inline)) void finish_switch(void)
{
	cpu_t *c = cpu_this();
	thread_t *prev = c->prev;
	c->prev = NULL;
	if (!prev || prev == c->idle)
		return;
	spin_lock_irqs_off(&prev->lock); /* a switch runs with interrupts off */
	prev->on_cpu = false;
	bool requeue = prev->state == THREAD_RUNNABLE;
	spin_unlock_irqs_off(&prev->lock);
	if (requeue)
		sched_enqueue(prev);
}

void sched_finish_switch(void)
{
	finish_switch();
}

/* The switch itself (interrupts off, next already RUNNING and on_cpu for
 * this CPU): account prev's time, switch, and finish on the way back. */
static inline __attribute__((always_inline)) void switch_stacks(cpu_t *c, thread_t *prev, thread_t *next)
{
	uint64_t now = cpu_rdtsc();
	prev->runtime_tsc += now - c->switch_tsc;
	c->switch_tsc = now;
	c->prev = prev;
	c->current = next;
	arch_switch_to(prev, next);
	finish_switch();
}

/* Switch this CPU (interrupts off) from prev to next; returns when prev runs
 * again. A RUNNING prev becomes RUNNABLE (sched_finish_switch requeues it). */
static void switch_to(cpu_t *c, thread_t *prev, thread_t *next)
{
	if (prev != c->idle) {
		uint64_t f = spin_lock(&prev->lock);
		if (prev->state == THREAD_RUNNING)
			prev->state = THREAD_RUNNABLE;
		spin_unlock(&prev->lock, f);
	}
	uint64_t f = spin_lock(&next->lock);
	next->state = THREAD_RUNNING;
	next->on_cpu = true;
	next->cpu = c->index;
	spin_unlock(&next->lock, f);
	switch_stacks(c, prev, next);
}

void sched_yield(void)
{
	uint64_t flags = irq_save();
	cpu_t *c = cpu_this();
	thread_t *prev = c->current;
	c->need_resched = false;
	thread_t *next = rq_pop(c);
	if (!next && prev != c->idle) {
		uint64_t f = spin_lock(&prev->lock);
		bool keep = prev->state == THREAD_RUNNING || prev->state == THREAD_RUNNABLE;
		if (keep)
			prev->state = THREAD_RUNNING;
		spin_unlock(&prev->lock, f);
		if (keep) {
			irq_restore(flags);
			return;
		}
		next = c->idle;
	}
	if (!next) {
		irq_restore(flags);
		return;
	}
	switch_to(c, prev, next);
	irq_restore(flags);
}

uint64_t sched_runtime_tsc(const thread_t *t)
{
	uint64_t f = irq_save(); /* the current thread's slice: read on its own CPU */
	const cpu_t *c = &cpus[t->cpu];
	uint64_t start = c->switch_tsc, ticks = t->runtime_tsc;
	if (c->current == t && cpu_rdtsc() > start)
		ticks += cpu_rdtsc() - start;
	irq_restore(f);
	return ticks;
}

void sched_handoff(thread_t *next)
{
	cpu_t *c = cpu_this();
	switch_stacks(c, c->current, next);
}


/* Move one queued thread from the busiest CPU's queue to c's. */
static bool steal(cpu_t *c)
{
	cpu_t *busiest = NULL;
	for (unsigned i = 0; i < cpu_count; i++)
		if (&cpus[i] != c && cpus[i].rq.length && (!busiest || cpus[i].rq.length > busiest->rq.length))
			busiest = &cpus[i];
	thread_t *t = busiest ? rq_pop(busiest) : NULL;
	if (t)
		rq_push(c, t);
	return t != NULL;
}

static void balance(cpu_t *c)
{
	cpu_t *target = least_loaded(c->index);
	if (target == c || c->rq.length == 0 || load_of(c) < load_of(target) + 2)
		return;
	thread_t *t = rq_pop(c);
	if (!t)
		return;
	rq_push(target, t);
	kick(target);
}

void sched_tick(void)
{
	cpu_t *c = cpu_this();
	if (c->rq.length)
		c->need_resched = true;
	if (c->ticks % SCHED_BALANCE_TICKS == c->index % SCHED_BALANCE_TICKS)
		balance(c);
}

void sched_return_to_user_slow(void)
{
	for (;;) {
		thread_t *t = thread_current();
		if (thread_dying(t))
			thread_exit(t->proc->status);
		if (t->proc && t->proc->stopped) {
			process_stop_point(t->proc);
			continue;
		}
		if (!cpu_this()->need_resched)
			return;
		sched_yield();
	}
}

void sched_idle_loop(void)
{
	for (;;) {
		cpu_irq_disable();
		cpu_t *c = cpu_this();
		if (c->rq.length || steal(c))
			sched_yield();
		else
			cpu_enable_and_halt();
	}
}
