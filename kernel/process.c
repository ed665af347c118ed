/* Processes (see kernel/process.h): spawn, exit, kill, wait and reaping,
 * thread membership. One global lock guards the process tree and every
 * process's thread list and life-cycle fields. Lock order: process lock, then
 * a thread's lock, then a run queue's lock. */
#include <kernel/arch.h>
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/display.h>
#include <kernel/exec.h>
#include <kernel/handle.h>
#include <kernel/heap.h>
#include <kernel/initrd.h>
#include <kernel/kernel.h>
#include <kernel/measure.h>
#include <kernel/privacy.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/sched.h>
#include <nc/mem.h>

static spinlock_t lock = SPINLOCK_INIT;
static uint32_t next_pid = 2; /* pid 1 is init's, whenever it starts (see process_spawn) */
static uint32_t n_processes;
static process_t *init_process;
void (*process_init_exited)(uint64_t status);

uint32_t process_count(void) { return n_processes; }

static void set_name(process_t *p, const char *path)
{
	const char *base = path;
	for (const char *s = path; *s; s++)
		if (*s == '/')
			base = s + 1;
	size_t n = nc_str_len_max(base, PROCESS_NAME_MAX - 1);
	nc_mem_copy(p->name, base, n);
	p->name[n] = 0;
}

/* Frees a process that never ran or has been reaped (no thread on a CPU),
 * giving back everything charged to its quota, then its reference on it. */
static void free_process(process_t *p)
{
	while (p->threads) {
		thread_t *t = p->threads;
		p->threads = t->proc_next;
		thread_destroy(t);
	}
	if (p->vs)
		vspace_destroy(p->vs);
	handle_table_destroy(p->handles);
	kprivacy_process_ended(p); /* a process that never ran has no session: nothing */
	kpolicy_put(p->policy);
	quota_t *q = p->quota;
	heap_free(p);
	quota_uncharge(q, quota_heap_bytes(sizeof *p));
	quota_release(q);
}

/* The quota of a new process: parent's (quota_bytes 0), carved from
 * parent's, or a root one. */
static nc_sys_err_t make_quota(process_t *parent, uint64_t quota_bytes, quota_t **out)
{
	if (parent && !quota_bytes) {
		*out = quota_share(parent->quota);
		return NC_SYS_OK;
	}
	if (parent)
		return quota_create_child(parent->quota, quota_bytes, out);
	*out = quota_create_root(quota_bytes);
	return *out ? NC_SYS_OK : NC_SYS_ERR_NO_MEMORY;
}

/* A process of file charged to q (whose reference it takes over, also on
 * error). */
static nc_sys_err_t build_process(const char *path, const uint8_t *file, size_t file_bytes, const char *arg,
				  uint64_t arg_len, quota_t *q, process_t **out)
{
	nc_sys_err_t err = quota_charge(q, quota_heap_bytes(sizeof(process_t)));
	process_t *p = err ? NULL : heap_alloc(sizeof *p);
	if (!p) {
		if (!err)
			quota_uncharge(q, quota_heap_bytes(sizeof(process_t)));
		quota_release(q);
		return err ? err : NC_SYS_ERR_NO_MEMORY;
	}
	p->quota = q;
	set_name(p, path);
	p->map_next = EXEC_MAP_BASE;
	err = vspace_create(q, &p->vs);
	uint64_t entry = 0, rsp = 0, arg_user = 0;
	if (!err)
		err = exec_load(p->vs, file, file_bytes, &entry);
	if (!err)
		err = exec_setup_stack(p->vs, arg, arg_len, &rsp, &arg_user);
	thread_t *t = NULL;
	if (!err)
		err = thread_create_user(p, entry, rsp, arg_user, arg_len, &t);
	if (err) {
		free_process(p);
		return err;
	}
	t->tid = p->next_tid++;
	p->threads = t;
	p->n_threads = p->n_live = 1;
	measure_program(path, file, file_bytes); /* before it runs (docs/attestation.md) */
	p->image = file;
	p->image_bytes = file_bytes;
	*out = p;
	return NC_SYS_OK;
}

nc_sys_err_t process_spawn(process_t *parent, const char *path, const char *arg, uint64_t arg_len,
			   struct handle_table *handles, uint64_t quota_bytes, kpolicy_t *policy, process_t **out)
{
	const uint8_t *file;
	size_t file_bytes;
	if (!initrd_lookup(path, nc_str_len(path), &file, &file_bytes)) {
		handle_table_destroy(handles);
		kpolicy_put(policy);
		return NC_SYS_ERR_NOT_FOUND;
	}
	quota_t *q;
	nc_sys_err_t err = make_quota(parent, quota_bytes, &q);
	if (err) {
		handle_table_destroy(handles);
		kpolicy_put(policy);
		return err;
	}
	return process_spawn_image(parent, path, file, file_bytes, arg, arg_len, handles, q, policy, out);
}

nc_sys_err_t process_spawn_image(process_t *parent, const char *name, const uint8_t *file, size_t file_bytes,
				 const char *arg, uint64_t arg_len, struct handle_table *handles, quota_t *quota,
				 kpolicy_t *policy, process_t **out)
{
	process_t *p;
	/* checked again under the lock; here so that nothing is built in vain */
	if ((parent && parent->depth >= NC_SYS_PROCESS_DEPTH_MAX) ||
	    __atomic_load_n(&n_processes, __ATOMIC_RELAXED) >= NC_SYS_PROCESSES_MAX) {
		quota_release(quota);
		handle_table_destroy(handles);
		kpolicy_put(policy);
		return NC_SYS_ERR_LIMIT;
	}
	nc_sys_err_t err = build_process(name, file, file_bytes, arg, arg_len, quota, &p);
	if (!err) {
		p->policy = policy;
		policy = NULL;
		err = handle_table_charge(handles, p->quota);
		if (err)
			free_process(p);
	}
	if (err) {
		handle_table_destroy(handles);
		kpolicy_put(policy);
		return err;
	}
	p->handles = handles;
	if (parent)
		nc_mem_copy(p->cwd, parent->cwd, sizeof p->cwd);
	else
		p->cwd[0] = '/';
	uint64_t f = spin_lock(&lock);
	p->depth = parent ? parent->depth + 1 : 0;
	if (p->depth > NC_SYS_PROCESS_DEPTH_MAX || n_processes >= NC_SYS_PROCESSES_MAX) {
		spin_unlock(&lock, f);
		free_process(p);
		return NC_SYS_ERR_LIMIT;
	}
	p->parent = parent;
	if (parent) {
		p->sibling = parent->children;
		parent->children = p;
	} else if (!init_process) {
		init_process = p;
	}
	/* the in-kernel tests of the test kernel spawn processes before init */
	p->pid = p == init_process ? 1 : next_pid++;
	n_processes++;
	thread_t *t = p->threads;
	spin_unlock(&lock, f);
	sched_enqueue(t);
	*out = p;
	return NC_SYS_OK;
}

/* Send a resched IPI to each other CPU running a thread of p, so the thread
 * enters the kernel and sees p's attention flag. Process lock held. */
static void interrupt_running(process_t *p)
{
	for (thread_t *t = p->threads; t; t = t->proc_next)
		if (t != thread_current() && t->on_cpu && t->state == THREAD_RUNNING && t->cpu != cpu_this()->index)
			arch_ipi_resched(t->cpu);
}

/* Mark p dying with status and get its threads out: wake the blocked ones,
 * interrupt the running ones. Process lock held. */
static void doom(process_t *p, uint64_t status)
{
	if (p->dying)
		return;
	p->dying = true;
	p->attention = true;
	p->status = status;
	for (thread_t *t = p->threads; t; t = t->proc_next)
		if (t != thread_current())
			thread_wake(t);
	interrupt_running(p);
}

/* Suspend or continue p (see process_set_stopped). Process lock held. */
static void stop(process_t *p, bool on)
{
	p->stopped = on;
	p->attention = on || p->dying;
	if (on)
		interrupt_running(p);
	else
		waitq_wake_all(&p->resume_waiters);
}

/* p has no live thread left: hand its children to init and tell the parent. */
static void become_zombie(process_t *p)
{
	p->zombie = true;
	while (p->children) {
		process_t *c = p->children;
		p->children = c->sibling;
		c->parent = init_process;
		stop(c, false);
		if (init_process && init_process != p) {
			c->sibling = init_process->children;
			init_process->children = c;
			if (c->zombie)
				waitq_wake_all(&init_process->child_waiters);
		} else {
			c->parent = NULL;
		}
	}
	if (p->parent)
		waitq_wake_all(&p->parent->child_waiters);
}

bool process_thread_ended(process_t *p, thread_t *t)
{
	struct handle_table *closing = NULL;
	uint64_t f = spin_lock(&lock);
	bool last = --p->n_live == 0;
	uint64_t tf = spin_lock(&t->lock);
	t->state = THREAD_DEAD; /* before the wake-ups: joiners test it under the process lock */
	spin_unlock(&t->lock, tf);
	waitq_wake_all(&p->join_waiters);
	if (last) {
		if (!p->dying)
			p->status = t->exit_code & NC_SYS_EXIT_CODE_MASK;
		p->dying = true;
		p->attention = true;
		closing = p->handles;
		p->handles = NULL;
	}
	spin_unlock(&lock, f);
	/* outside the lock: closing a channel end wakes its peer. Before the
	 * parent hears of the end, so that what the handles held (a driver's
	 * claim on a device) is let go when the parent's wait returns. */
	handle_table_destroy(closing);
	if (last) {
		kprivacy_process_ended(p);
		display_process_ended(p);
		f = spin_lock(&lock);
		become_zombie(p);
		spin_unlock(&lock, f);
	}
	if (last && p == init_process && process_init_exited)
		process_init_exited(p->status);
	return last;
}

void process_exit(uint64_t status)
{
	process_t *p = thread_current()->proc;
	uint64_t f = spin_lock(&lock);
	doom(p, status);
	spin_unlock(&lock, f);
	thread_exit(status);
}

void process_kill_on_fault(process_t *p, uint8_t vector)
{
	uint64_t f = spin_lock(&lock);
	doom(p, NC_SYS_EXIT_KILLED | NC_SYS_EXIT_FAULT | (uint64_t)vector << 40);
	spin_unlock(&lock, f);
	thread_exit(p->status);
}

static process_t *find_child(process_t *parent, uint32_t pid, bool zombie_only)
{
	for (process_t *c = parent->children; c; c = c->sibling)
		if ((pid == 0 || c->pid == pid) && (!zombie_only || c->zombie))
			return c;
	return NULL;
}

nc_sys_err_t process_kill(process_t *parent, uint32_t pid)
{
	uint64_t f = spin_lock(&lock);
	process_t *c = pid ? find_child(parent, pid, false) : NULL;
	if (c)
		doom(c, NC_SYS_EXIT_KILLED);
	spin_unlock(&lock, f);
	return c ? NC_SYS_OK : NC_SYS_ERR_NO_CHILD;
}

nc_sys_err_t process_set_stopped(process_t *parent, uint32_t pid, bool on)
{
	uint64_t f = spin_lock(&lock);
	process_t *c = pid ? find_child(parent, pid, false) : NULL;
	if (c && !c->zombie)
		stop(c, on);
	spin_unlock(&lock, f);
	return c ? NC_SYS_OK : NC_SYS_ERR_NO_CHILD;
}

void process_stop_point(process_t *p)
{
	thread_t *self = thread_current();
	uint64_t f = spin_lock(&lock);
	while (p->stopped && !p->dying) {
		waitq_add(&p->resume_waiters, self);
		thread_block(&lock, f);
		f = spin_lock(&lock);
		waitq_remove(&p->resume_waiters, self);
	}
	spin_unlock(&lock, f);
}

static void unlink_child(process_t *parent, process_t *c)
{
	for (process_t **pp = &parent->children; *pp; pp = &(*pp)->sibling)
		if (*pp == c) {
			*pp = c->sibling;
			return;
		}
}

nc_sys_err_t process_wait(process_t *parent, uint32_t pid, uint32_t *pid_out, uint64_t *status_out)
{
	return process_wait_until(parent, pid, UINT64_MAX, pid_out, status_out);
}

nc_sys_err_t process_wait_until(process_t *parent, uint32_t pid, uint64_t deadline_ns,
				uint32_t *pid_out, uint64_t *status_out)
{
	thread_t *self = thread_current();
	uint64_t f = spin_lock(&lock);
	process_t *c;
	for (;;) {
		if (!find_child(parent, pid, false) || parent->dying) {
			spin_unlock(&lock, f);
			return NC_SYS_ERR_NO_CHILD;
		}
		c = find_child(parent, pid, true);
		if (c)
			break;
		if (clock_now_ns() >= deadline_ns) {
			spin_unlock(&lock, f);
			return NC_SYS_ERR_TIMED_OUT;
		}
		waitq_add(&parent->child_waiters, self);
		clock_block_until(&lock, f, deadline_ns);
		f = spin_lock(&lock);
		waitq_remove(&parent->child_waiters, self);
	}
	unlink_child(parent, c);
	n_processes--;
	spin_unlock(&lock, f);
	*pid_out = c->pid;
	*status_out = c->status;
	free_process(c);
	return NC_SYS_OK;
}

nc_sys_err_t process_add_thread(process_t *p, uint64_t entry, uint64_t stack_top, uint64_t arg,
				uint32_t *tid_out)
{
	thread_t *t;
	nc_sys_err_t err = thread_create_user(p, entry, stack_top, arg, 0, &t);
	if (err)
		return err;
	uint64_t f = spin_lock(&lock);
	if (p->n_threads >= PROCESS_MAX_THREADS || p->dying) {
		spin_unlock(&lock, f);
		thread_destroy(t);
		return NC_SYS_ERR_LIMIT;
	}
	t->tid = p->next_tid++;
	t->proc_next = p->threads;
	p->threads = t;
	p->n_threads++;
	p->n_live++;
	*tid_out = t->tid;
	spin_unlock(&lock, f);
	sched_enqueue(t);
	return NC_SYS_OK;
}

nc_sys_err_t process_join_thread(process_t *p, uint32_t tid, uint64_t *code_out)
{
	thread_t *self = thread_current();
	if (tid == self->tid)
		return NC_SYS_ERR_INVALID;
	uint64_t f = spin_lock(&lock);
	thread_t *t;
	for (;;) {
		for (t = p->threads; t && t->tid != tid; t = t->proc_next)
			;
		if (!t) {
			spin_unlock(&lock, f);
			return NC_SYS_ERR_NOT_FOUND;
		}
		if (t->state == THREAD_DEAD || p->dying)
			break;
		waitq_add(&p->join_waiters, self);
		thread_block(&lock, f);
		f = spin_lock(&lock);
		waitq_remove(&p->join_waiters, self);
	}
	if (t->state != THREAD_DEAD) { /* the process is dying: the caller ends too */
		spin_unlock(&lock, f);
		return NC_SYS_ERR_NOT_FOUND;
	}
	for (thread_t **pp = &p->threads; *pp; pp = &(*pp)->proc_next)
		if (*pp == t) {
			*pp = t->proc_next;
			break;
		}
	p->n_threads--;
	spin_unlock(&lock, f);
	*code_out = t->exit_code;
	thread_destroy(t);
	return NC_SYS_OK;
}

/* Depth-first over the tree below root (children, then siblings), in a
 * loop: when a subtree is done it climbs back through parent pointers, so
 * it needs no stack however deep the tree is. Process lock held. */
static void walk(process_t *root, void (*fn)(process_t *p, void *ctx), void *ctx)
{
	process_t *p = root->children;
	while (p) {
		fn(p, ctx);
		if (p->children) {
			p = p->children;
			continue;
		}
		while (p != root && !p->sibling)
			p = p->parent;
		p = p == root ? NULL : p->sibling;
	}
}

void process_for_each(void (*fn)(process_t *p, void *ctx), void *ctx)
{
	uint64_t f = spin_lock(&lock);
	if (init_process) {
		fn(init_process, ctx);
		walk(init_process, fn, ctx);
	}
	spin_unlock(&lock, f);
}

typedef struct {
	uint32_t pid;
	process_t *found;
} find_ctx_t;

static void match_pid(process_t *p, void *ctx)
{
	find_ctx_t *fc = ctx;
	if (p->pid == fc->pid)
		fc->found = p;
}

bool process_with(uint32_t pid, void (*fn)(process_t *p, void *ctx), void *ctx)
{
	find_ctx_t fc = { pid, NULL };
	uint64_t f = spin_lock(&lock);
	if (init_process) {
		match_pid(init_process, &fc);
		walk(init_process, match_pid, &fc);
	}
	if (fc.found)
		fn(fc.found, ctx);
	spin_unlock(&lock, f);
	return fc.found != NULL;
}
