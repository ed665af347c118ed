/* Handle and inspection system calls: HandleClose, HandleDuplicate,
 * HandleList, ProcessList (docs/abi.md). The lists are built in a kernel
 * buffer while the locks are held, then copied out. */
#include <kernel/cap.h>
#include <kernel/clock.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>

enum { LIST_MAX = 256 };

nc_sys_err_t sys_handle_close(uint64_t handle)
{
	return handle_close(handle_table_current(), handle);
}

nc_sys_err_t sys_handle_duplicate(uint64_t handle, uint64_t rights, uint64_t *handle_out)
{
	if (rights & ~(uint64_t)(NC_SYS_RIGHTS_ALL | NC_SYS_RIGHT_MAP))
		return NC_SYS_ERR_INVALID;
	handle_ref_t r;
	handle_table_t *ht = handle_table_current();
	nc_sys_err_t err = handle_get(ht, handle, 0, NC_SYS_RIGHT_DUPLICATE, &r);
	if (err)
		return err;
	if (rights & ~(uint64_t)r.rights)
		err = NC_SYS_ERR_DENIED;
	else
		err = handle_install(ht, r.obj, (uint32_t)rights, r.origin, handle_out);
	handle_put(&r);
	return err;
}

static void describe(const handle_ref_t *r, uint64_t h, nc_sys_handle_info_t *out)
{
	nc_mem_set(out, 0, sizeof *out);
	out->handle = h;
	out->type = r->obj->type;
	out->rights = r->rights;
	out->not_after_ns = NC_SYS_TIMEOUT_INFINITE;
	if (r->obj->type == NC_SYS_HANDLE_CAP) {
		const kcap_t *c = (const kcap_t *)r->obj;
		nc_mem_copy(out->action, c->action, c->action_len);
		nc_mem_copy(out->scope, c->scope, c->scope_len);
		out->not_before_ns = c->not_before_ns;
		out->not_after_ns = c->not_after_ns;
		out->state = cap_state(c);
	} else if (r->obj->type == NC_SYS_HANDLE_DIR) {
		const kdir_t *d = (const kdir_t *)r->obj;
		nc_mem_copy(out->scope, d->path, d->path_len < sizeof out->scope ? d->path_len : sizeof out->scope - 1);
	}
	if (!out->state && r->origin)
		out->state = cap_state(r->origin);
}

typedef struct {
	nc_sys_handle_info_t *out;
	uint64_t max, n;
} hlist_t;

/* Called with the process lock held (process_with) or for the caller itself. */
static void list_handles(process_t *p, void *ctx)
{
	hlist_t *l = ctx;
	if (!p->handles)
		return;
	for (uint32_t i = 0; i < NC_SYS_HANDLES_MAX; i++) {
		handle_ref_t r;
		uint64_t h;
		if (!handle_slot_ref(p->handles, i, &r, &h))
			continue;
		if (l->n < l->max)
			describe(&r, h, &l->out[l->n]);
		l->n++;
		/* the table still holds its own references: this cannot free */
		handle_put(&r);
	}
}

nc_sys_err_t sys_handle_list(uint64_t pid, uint64_t entries, uint64_t max_entries, uint64_t *n_handles_out)
{
	if (max_entries > NC_SYS_HANDLES_MAX)
		max_entries = NC_SYS_HANDLES_MAX;
	process_t *self = thread_current()->proc;
	if (pid > UINT32_MAX)
		return NC_SYS_ERR_NOT_FOUND;
	if (pid && pid != self->pid && !cap_holds_action("process.inspect"))
		return NC_SYS_ERR_DENIED;
	hlist_t l = { NULL, max_entries, 0 };
	if (max_entries && !(l.out = heap_alloc(max_entries * sizeof *l.out)))
		return NC_SYS_ERR_NO_MEMORY;
	nc_sys_err_t err = NC_SYS_OK;
	if (!pid || pid == self->pid)
		list_handles(self, &l);
	else if (!process_with((uint32_t)pid, list_handles, &l))
		err = NC_SYS_ERR_NOT_FOUND;
	uint64_t n = l.n < max_entries ? l.n : max_entries;
	if (!err && n && copy_to_user(entries, l.out, n * sizeof *l.out))
		err = NC_SYS_ERR_BAD_ADDRESS;
	heap_free(l.out);
	if (!err)
		*n_handles_out = l.n;
	return err;
}

typedef struct {
	nc_sys_process_info_t *out;
	uint64_t max, n;
} plist_t;

static void list_process(process_t *p, void *ctx)
{
	plist_t *l = ctx;
	if (l->n < l->max) {
		nc_sys_process_info_t *e = &l->out[l->n];
		nc_mem_set(e, 0, sizeof *e);
		e->pid = p->pid;
		e->parent_pid = p->parent ? p->parent->pid : 0;
		e->state = p->zombie ? NC_SYS_PROC_ZOMBIE : NC_SYS_PROC_RUNNING;
		e->n_threads = p->n_threads;
		uint64_t tsc = 0;
		for (thread_t *t = p->threads; t; t = t->proc_next)
			tsc += sched_runtime_tsc(t); /* a thread running now counts its slice so far */
		e->cpu_time_ns = clock_tsc_to_ns(tsc);
		e->frames = p->vs ? p->vs->n_frames : 0;
		e->n_handles = p->handles ? handle_count(p->handles) : 0;
		nc_mem_copy(e->name, p->name, sizeof p->name);
	}
	l->n++;
}

nc_sys_err_t sys_process_list(uint64_t entries, uint64_t max_entries, uint64_t *n_processes_out)
{
	if (max_entries > LIST_MAX)
		max_entries = LIST_MAX;
	plist_t l = { NULL, max_entries, 0 };
	if (max_entries && !(l.out = heap_alloc(max_entries * sizeof *l.out)))
		return NC_SYS_ERR_NO_MEMORY;
	process_for_each(list_process, &l);
	uint64_t n = l.n < max_entries ? l.n : max_entries;
	nc_sys_err_t err = NC_SYS_OK;
	if (n && copy_to_user(entries, l.out, n * sizeof *l.out))
		err = NC_SYS_ERR_BAD_ADDRESS;
	heap_free(l.out);
	if (!err)
		*n_processes_out = l.n;
	return err;
}
