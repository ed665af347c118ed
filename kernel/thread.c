/* Threads (see kernel/thread.h): creation, blocking and waking, exit, and
 * destruction by the reaper. */
#include <kernel/arch.h>
#include <kernel/channel.h>
#include <kernel/cpu.h>
#include <kernel/heap.h>
#include <kernel/kernel.h>
#include <kernel/kstack.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/sched.h>
#include <kernel/thread.h>

static thread_t *thread_alloc(void)
{
	thread_t *t = heap_alloc(sizeof *t);
	if (!t)
		return NULL;
	t->kstack_top = kstack_alloc();
	if (!t->kstack_top) {
		heap_free(t);
		return NULL;
	}
	t->owns_kstack = true;
	t->state = THREAD_RUNNABLE;
	t->cpu = cpu_this()->index;
	return t;
}

thread_t *thread_create_idle(void)
{
	return thread_alloc();
}

thread_t *thread_create_kernel(void (*fn)(void *), void *arg)
{
	thread_t *t = thread_alloc();
	if (t)
		arch_thread_init_kernel(t, fn, arg);
	return t;
}

/* What a user thread is charged: its struct, kernel stack, FPU area and
 * the spare message buffer it may keep (ipc_spare). */
static uint64_t user_thread_bytes(void)
{
	return quota_heap_bytes(sizeof(thread_t)) + KSTACK_BYTES + quota_heap_bytes(arch_fpu_state_bytes()) +
	       quota_heap_bytes(sizeof(ipc_msg_t));
}

nc_sys_err_t thread_create_user(struct process *p, uint64_t entry, uint64_t stack_top, uint64_t arg0,
				uint64_t arg1, thread_t **out)
{
	nc_sys_err_t err = quota_charge(p->quota, user_thread_bytes());
	if (err)
		return err;
	thread_t *t = thread_alloc();
	void *fpu = t ? heap_alloc(arch_fpu_state_bytes()) : NULL;
	if (!fpu) {
		if (t) {
			kstack_free(t->kstack_top);
			heap_free(t);
		}
		quota_uncharge(p->quota, user_thread_bytes());
		return NC_SYS_ERR_NO_MEMORY;
	}
	t->fpu = fpu;
	arch_fpu_init_state(t->fpu);
	t->proc = p;
	t->quota = p->quota;
	arch_thread_init_user(t, entry, stack_top, arg0, arg1);
	*out = t;
	return NC_SYS_OK;
}

thread_t *thread_adopt_boot(uint64_t stack_top)
{
	thread_t *t = heap_alloc(sizeof *t);
	if (!t)
		panic("thread: no memory for the boot thread");
	t->kstack_top = stack_top;
	return t;
}

void thread_destroy(thread_t *t)
{
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		cpu_pause();
	if (t->owns_kstack)
		kstack_free(t->kstack_top);
	heap_free(t->fpu);
	heap_free(t->ipc_spare);
	if (t->quota)
		quota_uncharge(t->quota, user_thread_bytes());
	heap_free(t);
}

void thread_exit(uint64_t code)
{
	thread_t *t = thread_current();
	t->exit_code = code;
	if (t->proc) {
		process_thread_ended(t->proc, t);
	} else {
		uint64_t f = spin_lock(&t->lock);
		t->state = THREAD_DEAD;
		spin_unlock(&t->lock, f);
	}
	sched_yield();
	panic("thread: a dead thread was scheduled");
}

void thread_block(spinlock_t *held, uint64_t flags)
{
	bool blocked = thread_mark_blocked(thread_current());
	spin_unlock(held, irq_off(flags));
	if (blocked)
		sched_yield();
	irq_restore(flags);
}

void thread_wake(thread_t *t)
{
	uint64_t f = spin_lock(&t->lock);
	bool queue = false;
	if (t->state == THREAD_BLOCKED) {
		t->state = THREAD_RUNNABLE;
		queue = !t->on_cpu;
	}
	spin_unlock(&t->lock, f);
	if (queue)
		sched_enqueue(t);
}

void waitq_remove(waitq_t *q, thread_t *t)
{
	for (thread_t **pp = &q->head; *pp; pp = &(*pp)->wait_next)
		if (*pp == t) {
			*pp = t->wait_next;
			return;
		}
}

void waitq_wake_all(waitq_t *q)
{
	while (q->head) {
		thread_t *t = q->head;
		q->head = t->wait_next;
		thread_wake(t);
	}
}
