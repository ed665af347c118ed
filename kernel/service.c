/* Service routing (docs/services.md, kernel/service.h): the registry of
 * services, the requests the kernel queues on a service's port for callers,
 * and the service's side (receive, reply). The one mechanism behind every
 * routed call: the file system, the network stack and the AI service.
 *
 * A request is one heap block: the header the service receives, the payload,
 * then room for the reply data, so it never points into its caller's memory
 * and may outlive its caller (an abandoned request stays until the service
 * answers it or ends). Its states: QUEUED (on the port's queue; the caller may
 * withdraw it), DELIVERING (a service thread is copying it out, or taking its
 * window back while it answers; not answerable), TAKEN (delivered, in the
 * in-flight list until the reply), DONE (answered; the caller owns it
 * again). Notices (SERVICE_OP_CLOSE/CANCEL) are requests without a caller,
 * freed once delivered; the memory for each is taken before it is needed, so
 * a notice is never lost to a full heap.
 * A request with a window (kernel/service_window.h) maps it into the service
 * on delivery and unmaps it when answered, before the caller resumes. */
#include <kernel/clock.h>
#include <kernel/heap.h>
#include <kernel/process.h>
#include <kernel/remote.h>
#include <kernel/service.h>
#include <kernel/service_window.h>
#include <kernel/usercopy.h>
#include <kernel/waitany.h>
#include <nc/mem.h>

typedef enum { REQ_QUEUED, REQ_DELIVERING, REQ_TAKEN, REQ_DONE } req_state_t;

typedef struct svc_req {
	struct svc_req *next;           /* queue or in-flight list (service lock) */
	thread_t *waiter;               /* the caller while it waits; NULL: a notice or abandoned */
	req_state_t state;
	bool notice;                    /* no caller: freed once delivered */
	bool abandoned;                 /* the caller gave up after delivery began */
	bool may_open;                  /* the call may answer with a new object */
	struct svc_req *cancel;         /* this request's SERVICE_OP_CANCEL notice, until used */
	nc_sys_service_request_t hdr;
	nc_sys_service_reply_t reply;
	uint32_t n_handles;
	handle_ref_t handles[1];        /* counted; given to the service on delivery */
	size_t out_len;
	size_t bulk_bytes;              /* charged to bulk_in_flight until freed */
	kshm_t *window;                 /* counted; NULL: none */
	bool window_fill;               /* the caller's bytes: mapped read-only */
	uint32_t window_pid;            /* the process it is mapped into (0: not mapped) */
	uint8_t data[];                 /* hdr.in_len payload bytes, then hdr.out_max for the reply */
} svc_req_t;

/* The readiness signals of one object (ServiceSignal), kept while non-zero. */
typedef struct svc_signal {
	struct svc_signal *next;
	uint64_t object;
	uint64_t signals;
} svc_signal_t;

enum { SIGNAL_BUCKETS = 64 };

struct ksvc {
	kobj_t port;                    /* NC_SYS_HANDLE_SERVICE: refs counts its handles */
	uint32_t refs;                  /* atomic: the port's handles as one, remote objects, calls */
	spinlock_t lock;
	bool dead;                      /* shut down: nothing new is queued */
	uint64_t kind;
	uint32_t prefix_len;
	char prefix[NC_SYS_PATH_MAX + 1];
	svc_req_t *head, *tail;         /* queued requests and notices */
	svc_req_t *inflight;            /* DELIVERING and TAKEN requests */
	waitq_t receivers;
	uint64_t next_id;
	svc_signal_t *signals[SIGNAL_BUCKETS]; /* by object id */
	uint32_t n_signals;
	watchlist_t watchers;           /* HandleWaitAny on any of its objects */
	svc_window_slots_t windows;     /* free window addresses (lock: lock) */
};

static spinlock_t registry_lock = SPINLOCK_INIT;
static ksvc_t *registry[SERVICE_MAX];
static uint64_t bulk_in_flight; /* atomic: bytes of bulk requests alive (SERVICE_BULK_BUDGET) */

void service_ref(ksvc_t *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
}

void service_put(ksvc_t *s)
{
	if (s && __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0)
		heap_free(s);
}

ksvc_t *service_of_port(kobj_t *p)
{
	return (ksvc_t *)p;
}

/* ---- requests ---- */

static svc_req_t *req_alloc(size_t in_len, size_t out_max)
{
	svc_req_t *r = heap_alloc(sizeof *r + in_len + out_max);
	if (r)
		nc_mem_set(r, 0, sizeof *r);
	return r;
}

/* Free r, the handles it still carries and its unused cancel notice. No lock held. */
static void req_free(svc_req_t *r)
{
	for (uint32_t i = 0; i < r->n_handles; i++)
		handle_put(&r->handles[i]);
	if (r->cancel)
		heap_free(r->cancel);
	if (r->bulk_bytes)
		__atomic_sub_fetch(&bulk_in_flight, r->bulk_bytes, __ATOMIC_RELAXED);
	if (r->window)
		kobj_unref(&r->window->obj);
	heap_free(r);
}

/* Charge a bulk payload of n bytes; false when the budget is spent. */
static bool bulk_charge(size_t n)
{
	if (__atomic_add_fetch(&bulk_in_flight, n, __ATOMIC_RELAXED) <= SERVICE_BULK_BUDGET)
		return true;
	__atomic_sub_fetch(&bulk_in_flight, n, __ATOMIC_RELAXED);
	return false;
}

static void req_free_list(svc_req_t *r)
{
	while (r) {
		svc_req_t *next = r->next;
		req_free(r);
		r = next;
	}
}

void *service_note_alloc(void)
{
	svc_req_t *n = req_alloc(0, 0);
	if (n)
		n->notice = true;
	return n;
}

void service_note_free(void *note)
{
	req_free(note);
}

/* Queue r at the tail and wake the service's receivers. Service lock held. */
static void enqueue(ksvc_t *s, svc_req_t *r)
{
	r->next = NULL;
	r->state = REQ_QUEUED;
	if (s->tail)
		s->tail->next = r;
	else
		s->head = r;
	s->tail = r;
	waitq_wake_all(&s->receivers);
}

/* Unlink r from the list at *head (and keep *tail right when given). */
static void unlink_req(svc_req_t **head, svc_req_t **tail, svc_req_t *r)
{
	svc_req_t *prev = NULL;
	for (svc_req_t **p = head; *p; prev = *p, p = &(*p)->next) {
		if (*p == r) {
			*p = r->next;
			if (tail && *tail == r)
				*tail = prev;
			return;
		}
	}
}

/* Turn n into a notice of op for object (arg0: a request id) and queue it.
 * Service lock held; s is not dead. */
static void drop_signals(ksvc_t *s, uint64_t object);

static void queue_notice(ksvc_t *s, svc_req_t *n, uint64_t op, uint64_t object, uint64_t arg0)
{
	if (op == NC_SYS_SERVICE_OP_CLOSE)
		drop_signals(s, object);
	n->notice = true;
	n->waiter = NULL;
	n->n_handles = 0;
	n->hdr = (nc_sys_service_request_t){ .op = op, .object = object, .arg0 = arg0 };
	n->hdr.id = ++s->next_id;
	enqueue(s, n);
}

void service_notify_close(ksvc_t *s, void *note, uint64_t object)
{
	uint64_t f = spin_lock(&s->lock);
	bool dead = s->dead;
	if (!dead)
		queue_notice(s, note, NC_SYS_SERVICE_OP_CLOSE, object, 0);
	spin_unlock(&s->lock, f);
	if (dead)
		req_free(note);
}

/* ---- registry ---- */

static bool kind_valid(uint64_t kind)
{
	return kind >= NC_SYS_SERVICE_FS && kind <= NC_SYS_SERVICE_TEE;
}

static void port_destroy(kobj_t *o);

nc_sys_err_t service_register(uint64_t kind, const char *prefix, size_t prefix_len, kobj_t **port_out)
{
	bool fs = kind == NC_SYS_SERVICE_FS;
	if (!kind_valid(kind) || prefix_len > NC_SYS_PATH_MAX || (fs ? prefix_len < 2 || prefix[0] != '/'
								     : prefix_len != 0))
		return NC_SYS_ERR_INVALID;
	ksvc_t *s = heap_alloc(sizeof *s);
	if (!s)
		return NC_SYS_ERR_NO_MEMORY;
	nc_mem_set(s, 0, sizeof *s);
	s->port = (kobj_t){ NC_SYS_HANDLE_SERVICE, 1, port_destroy };
	s->refs = 1;
	s->windows.lock = &s->lock;
	s->kind = kind;
	s->prefix_len = (uint32_t)prefix_len;
	nc_mem_copy(s->prefix, prefix, prefix_len);
	nc_sys_err_t err = NC_SYS_ERR_LIMIT;
	uint64_t f = spin_lock(&registry_lock);
	int free_slot = -1;
	for (int i = 0; i < SERVICE_MAX; i++) {
		ksvc_t *o = registry[i];
		if (!o)
			free_slot = free_slot < 0 ? i : free_slot;
		else if (o->kind == kind && o->prefix_len == prefix_len &&
			 nc_mem_compare(o->prefix, prefix, prefix_len) == 0)
			err = NC_SYS_ERR_BUSY;
	}
	if (err != NC_SYS_ERR_BUSY && free_slot >= 0) {
		registry[free_slot] = s;
		err = NC_SYS_OK;
	}
	spin_unlock(&registry_lock, f);
	if (err) {
		heap_free(s);
		return err;
	}
	*port_out = &s->port;
	return NC_SYS_OK;
}

/* Does prefix p[0..n) cover path at a component boundary? */
static bool prefix_covers(const char *p, size_t n, const char *path, size_t len)
{
	return len >= n && nc_mem_compare(p, path, n) == 0 && (len == n || path[n] == '/');
}

ksvc_t *service_find(uint64_t kind, const char *path, size_t path_len, size_t *rel_off)
{
	ksvc_t *best = NULL;
	uint64_t f = spin_lock(&registry_lock);
	for (int i = 0; i < SERVICE_MAX; i++) {
		ksvc_t *s = registry[i];
		if (!s || s->kind != kind)
			continue;
		if (kind == NC_SYS_SERVICE_FS &&
		    (!prefix_covers(s->prefix, s->prefix_len, path, path_len) ||
		     (best && best->prefix_len >= s->prefix_len)))
			continue;
		best = s;
	}
	if (best) {
		service_ref(best);
		if (rel_off)
			*rel_off = best->prefix_len;
	}
	spin_unlock(&registry_lock, f);
	return best;
}

bool service_mount_point(const char *dir, size_t dir_len, uint64_t k, char *name, size_t cap)
{
	bool found = false;
	uint64_t f = spin_lock(&registry_lock);
	for (int i = 0; i < SERVICE_MAX && !found; i++) {
		ksvc_t *s = registry[i];
		if (!s || s->kind != NC_SYS_SERVICE_FS)
			continue;
		size_t cut = s->prefix_len;
		while (cut > 0 && s->prefix[cut - 1] != '/')
			cut--;
		size_t parent = cut > 1 ? cut - 1 : 1; /* "/a" has the parent "/" */
		if (parent != dir_len || nc_mem_compare(s->prefix, dir, parent) != 0 || k-- != 0)
			continue;
		size_t n = s->prefix_len - cut < cap - 1 ? s->prefix_len - cut : cap - 1;
		nc_mem_copy(name, s->prefix + cut, n);
		name[n] = 0;
		found = true;
	}
	spin_unlock(&registry_lock, f);
	return found;
}

/* The port's last handle closed: leave the registry, complete every waiting
 * caller with UNAVAILABLE, free what has no caller. */
static void port_destroy(kobj_t *o)
{
	ksvc_t *s = (ksvc_t *)o;
	uint64_t f = spin_lock(&registry_lock);
	for (int i = 0; i < SERVICE_MAX; i++)
		if (registry[i] == s)
			registry[i] = NULL;
	spin_unlock(&registry_lock, f);
	svc_req_t *orphans = NULL;
	f = spin_lock(&s->lock);
	s->dead = true;
	watch_fire(&s->watchers); /* every object of a dead service is ready: UNAVAILABLE */
	svc_signal_t *sig = NULL;
	for (int b = 0; b < SIGNAL_BUCKETS; b++) {
		while (s->signals[b]) {
			svc_signal_t *e = s->signals[b];
			s->signals[b] = e->next;
			e->next = sig;
			sig = e;
		}
	}
	s->n_signals = 0;
	svc_req_t *lists[2] = { s->head, s->inflight };
	s->head = s->tail = s->inflight = NULL;
	for (int l = 0; l < 2; l++) {
		for (svc_req_t *r = lists[l], *next; r; r = next) {
			next = r->next;
			if (r->waiter) {
				r->reply.status = NC_SYS_ERR_UNAVAILABLE;
				r->state = REQ_DONE;
				thread_wake(r->waiter);
			} else {
				r->next = orphans;
				orphans = r;
			}
		}
	}
	spin_unlock(&s->lock, f);
	req_free_list(orphans);
	while (sig) {
		svc_signal_t *next = sig->next;
		heap_free(sig);
		sig = next;
	}
	service_put(s);
}

/* ---- the caller's side ---- */

static svc_req_t *build_request(const svc_call_t *c)
{
	svc_req_t *r = req_alloc(c->in_len, c->out_max);
	svc_req_t *cancel = service_note_alloc();
	if (!r || !cancel) {
		heap_free(r);
		heap_free(cancel);
		return NULL;
	}
	r->cancel = cancel;
	r->may_open = c->may_open;
	process_t *p = thread_current()->proc;
	r->hdr = (nc_sys_service_request_t){ .op = c->op, .caller_pid = p ? p->pid : 0, .object = c->object,
					     .arg0 = c->args[0], .arg1 = c->args[1], .arg2 = c->args[2],
					     .in_len = c->in_len, .out_max = c->out_max };
	nc_mem_copy(r->data, c->in, c->in_len);
	return r;
}

/* The caller's process is being killed while r waits (service lock held):
 * withdraw r if still queued (true: the caller frees it), else leave it to
 * the service with a cancel notice (false). */
static bool withdraw(ksvc_t *s, svc_req_t *r)
{
	if (r->state == REQ_QUEUED) {
		unlink_req(&s->head, &s->tail, r);
		return true;
	}
	r->waiter = NULL;
	r->abandoned = true;
	svc_req_t *n = r->cancel;
	r->cancel = NULL;
	queue_notice(s, n, NC_SYS_SERVICE_OP_CANCEL, 0, r->hdr.id);
	return false;
}

/* The reply opened an object: make the caller's remote object for it, or,
 * without memory, turn r into the object's close notice (then r is the
 * service's: false). */
static bool adopt_object(ksvc_t *s, svc_req_t *r, kobj_t **obj)
{
	*obj = remote_create(s, r->reply.object, (uint32_t)r->reply.object_type);
	if (*obj)
		return true;
	uint64_t f = spin_lock(&s->lock);
	bool dead = s->dead;
	if (!dead)
		queue_notice(s, r, NC_SYS_SERVICE_OP_CLOSE, r->reply.object, 0);
	spin_unlock(&s->lock, f);
	return dead;
}

nc_sys_err_t service_call(ksvc_t *s, svc_call_t *c, kobj_t **new_obj)
{
	if (new_obj)
		*new_obj = NULL;
	bool bulk = c->in_len > SERVICE_PAYLOAD_MAX;
	nc_sys_err_t early = NC_SYS_OK;
	svc_req_t *r = NULL;
	kshm_t *window = NULL;
	bool charged = false;
	if (c->in_len > (c->bulk ? SERVICE_BULK_MAX : SERVICE_PAYLOAD_MAX) || c->out_max > SERVICE_PAYLOAD_MAX)
		early = NC_SYS_ERR_INVALID;
	else if (c->window_len)
		early = svc_window_make(c->window, c->window_len, c->window_fill, &window);
	if (!early && bulk && !(charged = bulk_charge(c->in_len)))
		early = NC_SYS_ERR_LIMIT;
	else if (!early && !(r = build_request(c)))
		early = NC_SYS_ERR_NO_MEMORY;
	if (early) { /* the handles passed are dropped, the charge given back */
		if (charged)
			__atomic_sub_fetch(&bulk_in_flight, c->in_len, __ATOMIC_RELAXED);
		for (uint32_t i = 0; i < c->n_pass; i++)
			handle_put(&c->pass[i]);
		if (window)
			kobj_unref(&window->obj);
		return early;
	}
	r->bulk_bytes = bulk ? c->in_len : 0;
	r->window = window;
	r->window_fill = c->window_fill;
	r->hdr.window_len = window ? c->window_len : 0;
	for (uint32_t i = 0; i < c->n_pass; i++)
		r->handles[i] = c->pass[i];
	r->n_handles = c->n_pass;
	uint64_t f = spin_lock(&s->lock);
	if (s->dead) {
		spin_unlock(&s->lock, f);
		req_free(r);
		return NC_SYS_ERR_UNAVAILABLE;
	}
	r->hdr.id = ++s->next_id;
	enqueue(s, r);
	r->waiter = thread_current();
	while (r->state != REQ_DONE) {
		if (thread_dying(thread_current())) {
			bool mine = withdraw(s, r);
			spin_unlock(&s->lock, f);
			if (mine)
				req_free(r);
			return NC_SYS_ERR_INVALID;
		}
		thread_block(&s->lock, f);
		f = spin_lock(&s->lock);
	}
	spin_unlock(&s->lock, f);
	nc_sys_err_t err = (nc_sys_err_t)r->reply.status;
	if (err && err != NC_SYS_ERR_UNAVAILABLE && !(c->errors >> err & 1))
		err = NC_SYS_ERR_IO_ERROR;
	c->result = r->reply.result;
	c->new_type = r->reply.object_type;
	c->new_rights = r->reply.rights;
	c->out_len = r->out_len;
	nc_mem_copy(c->out, r->data + r->hdr.in_len, r->out_len);
	if (!err && window && !c->window_fill && c->result > c->window_len)
		err = NC_SYS_ERR_IO_ERROR;
	else if (!err && window && !c->window_fill && !svc_window_copy_out(window, c->window, c->result))
		err = NC_SYS_ERR_BAD_ADDRESS;
	if (!err && r->reply.object && !adopt_object(s, r, new_obj))
		return NC_SYS_ERR_NO_MEMORY; /* r is queued as the object's close notice */
	if (!err && r->reply.object && !*new_obj)
		err = NC_SYS_ERR_UNAVAILABLE; /* the service ended meanwhile */
	req_free(r);
	return err;
}

/* ---- the service's side ---- */

/* Wait (service lock held) until a request is queued. Errors: TIMED_OUT,
 * INVALID (the process is being killed). */
static nc_sys_err_t wait_request(ksvc_t *s, uint64_t deadline_ns, uint64_t *f)
{
	thread_t *self = thread_current();
	while (!s->head) {
		if (thread_dying(thread_current()))
			return NC_SYS_ERR_INVALID;
		if (deadline_ns != UINT64_MAX && clock_now_ns() >= deadline_ns)
			return NC_SYS_ERR_TIMED_OUT;
		waitq_add(&s->receivers, self);
		clock_block_until(&s->lock, *f, deadline_ns);
		*f = spin_lock(&s->lock);
		waitq_remove(&s->receivers, self);
	}
	return NC_SYS_OK;
}

/* Copy r out to the service: its window mapped, header, payload, then its
 * handles into ht. On error nothing stays mapped or installed. */
static nc_sys_err_t deliver(ksvc_t *s, svc_req_t *r, handle_table_t *ht, uint64_t buf, uint64_t handles)
{
	nc_sys_err_t err = NC_SYS_OK;
	if (r->window)
		err = svc_window_map(&s->windows, r->window, r->hdr.window_len, !r->window_fill, &r->hdr.window);
	if (err)
		return err;
	if (copy_to_user(buf, &r->hdr, SERVICE_HEADER_BYTES) ||
	    copy_to_user(buf + SERVICE_HEADER_BYTES, r->data, r->hdr.in_len))
		err = NC_SYS_ERR_BAD_ADDRESS;
	if (!err)
		err = handle_install_to_user(ht, r->handles, r->n_handles, handles, false);
	if (err && r->window) {
		svc_window_unmap(&s->windows, r->window, r->hdr.window);
		r->hdr.window = 0;
	} else if (r->window) {
		r->window_pid = thread_current()->proc->pid;
	}
	return err;
}

nc_sys_err_t service_receive(kobj_t *p, handle_table_t *ht, uint64_t buf, uint64_t buf_len,
			     uint64_t handles, uint64_t max_handles, uint64_t deadline_ns, uint64_t *sizes)
{
	ksvc_t *s = service_of_port(p);
	uint64_t f = spin_lock(&s->lock);
	nc_sys_err_t err = wait_request(s, deadline_ns, &f);
	svc_req_t *r = s->head;
	if (!err && (SERVICE_HEADER_BYTES + r->hdr.in_len > buf_len || r->n_handles > max_handles))
		err = NC_SYS_ERR_TOO_SMALL;
	else if (!err && r->n_handles > NC_SYS_HANDLES_MAX - handle_count(ht))
		err = NC_SYS_ERR_LIMIT;
	if (err) {
		spin_unlock(&s->lock, f);
		return err;
	}
	unlink_req(&s->head, &s->tail, r);
	r->state = REQ_DELIVERING;
	if (!r->notice) {
		r->next = s->inflight;
		s->inflight = r;
	}
	spin_unlock(&s->lock, f);
	err = deliver(s, r, ht, buf, handles);
	f = spin_lock(&s->lock);
	if (err) { /* back to the head of the queue, undelivered */
		if (!r->notice)
			unlink_req(&s->inflight, NULL, r);
		r->next = s->head;
		s->head = r;
		if (!s->tail)
			s->tail = r;
		r->state = REQ_QUEUED;
	} else {
		r->state = REQ_TAKEN;
		*sizes = (SERVICE_HEADER_BYTES + r->hdr.in_len) | (uint64_t)r->n_handles << 32;
	}
	spin_unlock(&s->lock, f);
	if (!err) {
		for (uint32_t i = 0; i < r->n_handles; i++)
			handle_put(&r->handles[i]);
		r->n_handles = 0;
		if (r->notice)
			req_free(r);
	}
	return err;
}

static bool reply_valid(const svc_req_t *r, const nc_sys_service_reply_t *rep, size_t len)
{
	if (len > r->hdr.out_max || rep->status > NC_SYS_ERR_UNAVAILABLE)
		return false;
	if (!rep->object)
		return true;
	return r->may_open && rep->status == NC_SYS_OK &&
	       (rep->object_type == NC_SYS_HANDLE_FILE || rep->object_type == NC_SYS_HANDLE_DIR ||
		rep->object_type == NC_SYS_HANDLE_SOCKET);
}

nc_sys_err_t service_reply(kobj_t *p, const nc_sys_service_reply_t *rep, uint64_t data, size_t len)
{
	ksvc_t *s = service_of_port(p);
	uint64_t f = spin_lock(&s->lock);
	svc_req_t *r = s->inflight;
	while (r && (r->hdr.id != rep->id || r->state != REQ_TAKEN))
		r = r->next;
	nc_sys_err_t err = NC_SYS_OK;
	if (!r)
		err = NC_SYS_ERR_NOT_FOUND;
	else if (r->window_pid && r->window_pid != thread_current()->proc->pid)
		err = NC_SYS_ERR_INVALID; /* its window is another process's to give up */
	else if (r->abandoned)
		err = NC_SYS_ERR_CANCELLED;
	else if (!reply_valid(r, rep, len))
		err = NC_SYS_ERR_INVALID;
	else if (len && copy_from_user(r->data + r->hdr.in_len, data, len))
		err = NC_SYS_ERR_BAD_ADDRESS;
	if ((!err || err == NC_SYS_ERR_CANCELLED) && r->window_pid) {
		r->state = REQ_DELIVERING; /* not answerable again while its window goes */
		spin_unlock(&s->lock, f);
		svc_window_unmap(&s->windows, r->window, r->hdr.window);
		r->window_pid = 0;
		f = spin_lock(&s->lock);
		if (r->abandoned) /* the caller gave up meanwhile */
			err = NC_SYS_ERR_CANCELLED;
	}
	if (!err || err == NC_SYS_ERR_CANCELLED)
		unlink_req(&s->inflight, NULL, r);
	if (!err) {
		r->reply = *rep;
		r->out_len = len;
		r->state = REQ_DONE;
		thread_wake(r->waiter);
	} else if (err == NC_SYS_ERR_CANCELLED && rep->status == NC_SYS_OK && rep->object && r->may_open) {
		queue_notice(s, r, NC_SYS_SERVICE_OP_CLOSE, rep->object, 0); /* the opened object */
		r = NULL;
	}
	spin_unlock(&s->lock, f);
	if (err == NC_SYS_ERR_CANCELLED && r)
		req_free(r);
	return err;
}

/* ---- readiness signals (ServiceSignal, HandleWaitAny) ---- */

static svc_signal_t **signal_slot(ksvc_t *s, uint64_t object)
{
	svc_signal_t **p = &s->signals[(object ^ object >> 17) % SIGNAL_BUCKETS];
	while (*p && (*p)->object != object)
		p = &(*p)->next;
	return p;
}

/* Forget object's signals (service lock held). */
static void drop_signals(ksvc_t *s, uint64_t object)
{
	svc_signal_t **p = signal_slot(s, object), *e = *p;
	if (!e)
		return;
	*p = e->next;
	s->n_signals--;
	heap_free(e);
}

nc_sys_err_t service_signal(ksvc_t *s, uint64_t object, uint64_t signals)
{
	svc_signal_t *fresh = signals ? heap_alloc(sizeof *fresh) : NULL;
	if (signals && !fresh)
		return NC_SYS_ERR_NO_MEMORY;
	nc_sys_err_t err = NC_SYS_OK;
	uint64_t f = spin_lock(&s->lock);
	svc_signal_t **p = signal_slot(s, object);
	if (!signals) {
		drop_signals(s, object);
	} else if (*p) {
		(*p)->signals = signals;
	} else if (s->n_signals >= SERVICE_SIGNALS_MAX) {
		err = NC_SYS_ERR_LIMIT;
	} else {
		*fresh = (svc_signal_t){ NULL, object, signals };
		*p = fresh;
		fresh = NULL;
		s->n_signals++;
	}
	if (!err && signals)
		watch_fire(&s->watchers);
	spin_unlock(&s->lock, f);
	heap_free(fresh);
	return err;
}

bool service_watch(ksvc_t *s, uint64_t object, watch_t *n, bool add)
{
	uint64_t f = spin_lock(&s->lock);
	if (n && add)
		watch_add(&s->watchers, n);
	else if (n)
		watch_remove(&s->watchers, n);
	bool ready = s->dead || *signal_slot(s, object);
	spin_unlock(&s->lock, f);
	return ready;
}
