/* A process for in-kernel tests (see tproc.h). */
#include "tproc.h"
#include <kernel/cap.h>
#include <kernel/exec.h>
#include <kernel/handle.h>
#include <kernel/heap.h>
#include <kernel/quota.h>
#include <kernel/sched.h>
#include <nc/mem.h>

/* mov eax, TaskExit; xor edi, edi; syscall; ud2 */
static const uint8_t task_exit_code[] = {
	0xb8, NC_SYS_TASK_EXIT & 0xff, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05, 0x0f, 0x0b,
};
_Static_assert(NC_SYS_TASK_EXIT < 256, "TaskExit's number fits the code's immediate byte");

static bool map_page(process_t *p, uint64_t va, unsigned flags, const void *bytes, size_t n)
{
	nc_sys_err_t err;
	uint64_t phys = vspace_alloc_frame(p->vs, &err);
	if (!phys)
		return false;
	nc_mem_copy(vm_phys_to_virt(phys), bytes, n);
	if (vspace_map(p->vs, va, phys, flags) != VM_OK) {
		vspace_free_frame(p->vs, phys);
		return false;
	}
	return true;
}

process_t *tproc_create(void)
{
	process_t *p = heap_alloc(sizeof *p);
	if (!p)
		return NULL;
	nc_mem_copy(p->name, "ktest", 6);
	p->cwd[0] = '/';
	p->map_next = EXEC_MAP_BASE;
	/* the kernel thread running tproc_run's function counts as one live
	 * thread (tid 0), so user threads ending never make p a zombie */
	p->n_live = 1;
	p->next_tid = 1;
	p->quota = quota_create_root(TPROC_QUOTA_BYTES);
	p->handles = cap_root_table();
	bool ok = p->quota && vspace_create(p->quota, &p->vs) == NC_SYS_OK && p->handles &&
		  map_page(p, TPROC_CODE, VM_EXEC, task_exit_code, sizeof task_exit_code);
	for (uint64_t i = 0; ok && i < TPROC_DATA_PAGES; i++)
		ok = map_page(p, TPROC_DATA + i * VM_PAGE_BYTES, VM_WRITE, "", 0);
	if (!ok) {
		tproc_destroy(p);
		return NULL;
	}
	return p;
}

void tproc_destroy(process_t *p)
{
	handle_table_destroy(p->handles);
	if (p->vs)
		vspace_destroy(p->vs);
	quota_release(p->quota);
	heap_free(p);
}

static void run_entry(void *arg)
{
	tproc_call_t *r = arg;
	r->fn(r->ctx);
	/* leave as a kernel thread: not one of p's threads to account for */
	thread_current()->proc = NULL;
	thread_exit(0);
}

thread_t *tproc_start(process_t *p, tproc_call_t *run)
{
	thread_t *t = thread_create_kernel(run_entry, run);
	if (t) {
		t->proc = p;
		sched_enqueue(t);
	}
	return t;
}

void tproc_finish(thread_t *t)
{
	while (t->state != THREAD_DEAD)
		sched_yield();
	thread_destroy(t);
}

bool tproc_run(process_t *p, void (*fn)(void *ctx), void *ctx)
{
	tproc_call_t r = { fn, ctx };
	thread_t *t = tproc_start(p, &r);
	if (t)
		tproc_finish(t);
	return t != NULL;
}
