/* Tokenization at the boundary (kernel/privacy.h): policies, per-process
 * sessions, and the relay that maps a stream's tokens back. The work on
 * text is lib/privacy's (nc_privacy_policy_for_child, nc_privacy_boundary_*). */
#include <kernel/cap.h>
#include <kernel/channel.h>
#include <kernel/heap.h>
#include <kernel/privacy.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/random.h>
#include <kernel/sched.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>
#include <nc/privacy.h>

_Static_assert(NC_SYS_PRIVACY_POLICY_MAX_BYTES == NC_PRIVACY_POLICY_MAX_BYTES, "the ABI's bound is the library's");

struct kpolicy {
	uint32_t refs;                  /* atomic */
	quota_t *quota;                 /* charged to the spawner, as an object */
	size_t size;
	nc_privacy_policy_t policy;     /* names point into bytes */
	nc_token_name_t names[NC_TOKEN_MAX_NAMES];
	uint8_t bytes[];                /* the encoding the spawner gave */
};

struct kpsess {
	uint32_t busy;                  /* atomic: a thread maps text with it (sess_lock) */
	uint32_t refs;                  /* atomic: the process's, each call's, each relay's */
	bool open;                      /* false once wiped (the process ended) */
	quota_t *quota;                 /* charged to the process's, as an object */
	kpolicy_t *policy;              /* the session's names point into it */
	nc_privacy_boundary_t b;
	uint8_t arena[KPRIVACY_ARENA_BYTES];
};

kpolicy_t *kpolicy_get(kpolicy_t *p)
{
	if (p)
		__atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
	return p;
}

void kpolicy_put(kpolicy_t *p)
{
	if (p && __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) == 0)
		quota_free_object(p->quota, p, p->size);
}

/* The policy p stands for (NULL: the default). */
static void policy_of(const kpolicy_t *p, nc_privacy_policy_t *out)
{
	if (p)
		*out = p->policy;
	else
		nc_privacy_policy_default(out);
}

nc_sys_err_t kpolicy_for_child(uint64_t spec, uint64_t len, kpolicy_t **out)
{
	kpolicy_t *parent = thread_current()->proc->policy;
	if (len == 0) {
		*out = kpolicy_get(parent);
		return NC_SYS_OK;
	}
	if (len > NC_SYS_PRIVACY_POLICY_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	nc_sys_err_t err;
	quota_t *q = quota_current();
	size_t size = sizeof(kpolicy_t) + (size_t)len;
	kpolicy_t *k = quota_alloc_object(q, size, &err);
	if (!k)
		return err;
	k->refs = 1;
	k->quota = q;
	k->size = size;
	nc_privacy_policy_t from;
	policy_of(parent, &from);
	if (copy_from_user(k->bytes, spec, len)) {
		err = NC_SYS_ERR_BAD_ADDRESS;
	} else {
		nc_privacy_err_t e = nc_privacy_policy_for_child(k->bytes, len, &from, cap_holds_action("privacy.raw"),
								 &k->policy, k->names, NC_TOKEN_MAX_NAMES);
		err = e == NC_PRIVACY_OK ? NC_SYS_OK : e == NC_PRIVACY_ERR_WEAKER ? NC_SYS_ERR_POLICY : NC_SYS_ERR_INVALID;
	}
	if (err) {
		kpolicy_put(k);
		return err;
	}
	*out = k;
	return NC_SYS_OK;
}

/* One thread at a time maps text with a session; the others yield until it
 * is done. Not a spinlock: tokenizing a long input takes milliseconds, and
 * interrupts stay on meanwhile. Interrupts on, no spinlock held. */
static void sess_lock(kpsess_t *s)
{
	uint32_t idle = 0;
	while (!__atomic_compare_exchange_n(&s->busy, &idle, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		idle = 0;
		sched_yield();
	}
}

static void sess_unlock(kpsess_t *s)
{
	__atomic_store_n(&s->busy, 0, __ATOMIC_RELEASE);
}

static kpsess_t *sess_get(kpsess_t *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	return s;
}

/* Wipe s's key and table (once). */
static void sess_wipe(kpsess_t *s)
{
	sess_lock(s);
	bool was = s->open;
	if (was)
		nc_privacy_boundary_close(&s->b);
	s->open = false;
	sess_unlock(s);
	if (was)
		nc_mem_wipe(s->arena, sizeof s->arena);
}

void kpsess_put(kpsess_t *s)
{
	if (s && __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		sess_wipe(s);
		kpolicy_put(s->policy);
		quota_free_object(s->quota, s, sizeof *s);
	}
}

void kprivacy_process_ended(process_t *p)
{
	kpsess_t *s = __atomic_exchange_n(&p->privacy, NULL, __ATOMIC_ACQ_REL);
	if (s) {
		sess_wipe(s);
		kpsess_put(s);
	}
}

/* A new session of the current process under its policy, with a fresh key. */
static nc_sys_err_t sess_open(process_t *p, kpsess_t **out)
{
	nc_sys_err_t err;
	kpsess_t *s = quota_alloc_object(p->quota, sizeof *s, &err);
	if (!s)
		return err;
	s->refs = 1;
	s->quota = p->quota;
	s->policy = kpolicy_get(p->policy);
	nc_privacy_policy_t pol;
	policy_of(s->policy, &pol);
	uint8_t key[NC_TOKEN_KEY_BYTES];
	random_fill(key, sizeof key);
	nc_privacy_err_t e = nc_privacy_boundary_open(&s->b, &pol, key, false, s->arena, sizeof s->arena);
	nc_mem_wipe(key, sizeof key);
	s->open = e == NC_PRIVACY_OK; /* a policy that passed the spawn checks always opens */
	if (!s->open) {
		kpsess_put(s);
		return NC_SYS_ERR_INVALID;
	}
	*out = s;
	return NC_SYS_OK;
}

nc_sys_err_t kpsess_of(process_t *p, kpsess_t **out)
{
	kpsess_t *s = __atomic_load_n(&p->privacy, __ATOMIC_ACQUIRE);
	if (!s) {
		kpsess_t *fresh = NULL, *none = NULL;
		nc_sys_err_t err = sess_open(p, &fresh);
		if (err)
			return err;
		/* two threads of p may race here: one session wins, the other goes */
		if (__atomic_compare_exchange_n(&p->privacy, &none, fresh, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			s = fresh;
		} else {
			kpsess_put(fresh);
			s = none;
		}
	}
	*out = sess_get(s);
	return NC_SYS_OK;
}

nc_sys_err_t kpsess_for_call(const char *model, size_t model_len, kpsess_t **out)
{
	*out = NULL;
	if (cap_check("privacy.raw", model, model_len) == NC_SYS_OK)
		return NC_SYS_OK;
	return kpsess_of(thread_current()->proc, out);
}

nc_sys_err_t kpsess_out(kpsess_t *s, const char *in, size_t len, char *out, size_t cap, size_t *out_len)
{
	sess_lock(s);
	nc_privacy_err_t e = s->open ? nc_privacy_boundary_out(&s->b, in, len, out, cap, out_len, NULL)
				     : NC_PRIVACY_ERR_POLICY;
	sess_unlock(s);
	return e == NC_PRIVACY_OK ? NC_SYS_OK : e == NC_PRIVACY_ERR_POLICY ? NC_SYS_ERR_INVALID : NC_SYS_ERR_LIMIT;
}

nc_sys_err_t kpsess_in(kpsess_t *s, const char *in, size_t len, bool final, char *out, size_t cap,
		       size_t *out_len, size_t *consumed)
{
	sess_lock(s);
	nc_privacy_err_t e = s->open ? nc_privacy_boundary_in_part(&s->b, in, len, final, out, cap, out_len, consumed)
				     : NC_PRIVACY_ERR_POLICY;
	sess_unlock(s);
	return e == NC_PRIVACY_OK ? NC_SYS_OK : e == NC_PRIVACY_ERR_POLICY ? NC_SYS_ERR_INVALID : NC_SYS_ERR_LIMIT;
}

/* ---- the stream relay -------------------------------------------------------- */

enum { HELD_MAX = NC_TOKEN_MAX_TOKEN_BYTES + NC_SYS_IPC_MSG_MAX_BYTES };

typedef struct {
	kpsess_t *s;
	kobj_t *target;                 /* the caller's endpoint: its peer reads the stream */
	quota_t *quota;                 /* the caller's: charged for this struct */
	uint32_t busy;                  /* atomic: a send is in progress */
	bool dead;                      /* the session was wiped: every send gives PEER_CLOSED */
	size_t held_len;                /* bytes of the stream not mapped yet (a token's start) */
	size_t out_off, out_len;        /* mapped bytes not delivered yet */
	char held[HELD_MAX];
	char out[NC_PRIVACY_IN_GROWTH * HELD_MAX];
} relay_t;

/* The message data[0..len) (its kind first) to the caller. */
static nc_sys_err_t relay_put(relay_t *r, const uint8_t *data, size_t len, uint64_t deadline_ns)
{
	ipc_msg_t *o = channel_msg_alloc(r->target);
	if (!o)
		return NC_SYS_ERR_NO_MEMORY;
	nc_mem_copy(o->data, data, len);
	o->len_bytes = (uint32_t)len;
	nc_sys_err_t err = channel_send(r->target, o, deadline_ns);
	if (err)
		channel_msg_free(r->target, o);
	return err;
}

/* Deliver the mapped bytes not yet delivered, as token messages. */
static nc_sys_err_t relay_flush(relay_t *r, uint64_t deadline_ns)
{
	uint8_t msg[NC_SYS_IPC_MSG_MAX_BYTES];
	msg[0] = NC_SYS_AI_MSG_TOKEN;
	while (r->out_off < r->out_len) {
		size_t n = r->out_len - r->out_off;
		if (n > sizeof msg - 1)
			n = sizeof msg - 1;
		nc_mem_copy(msg + 1, r->out + r->out_off, n);
		nc_sys_err_t err = relay_put(r, msg, n + 1, deadline_ns);
		if (err)
			return err;
		r->out_off += n;
	}
	r->out_off = r->out_len = 0;
	return NC_SYS_OK;
}

/* Map what is held (all of it when final) into the undelivered bytes. */
static nc_sys_err_t relay_map(relay_t *r, bool final)
{
	size_t consumed;
	nc_sys_err_t err = kpsess_in(r->s, r->held, r->held_len, final, r->out, sizeof r->out, &r->out_len, &consumed);
	if (err) { /* the session was wiped: its process ended */
		r->dead = true;
		return NC_SYS_ERR_PEER_CLOSED;
	}
	nc_mem_move(r->held, r->held + consumed, r->held_len - consumed);
	r->held_len -= consumed;
	return NC_SYS_OK;
}

/* The service sent m on the relay's endpoint. Earlier undelivered bytes go
 * first (a full queue then gives TIMED_OUT and m is not taken: the service
 * sends it again, as it does for a full channel); a token's bytes are held
 * and mapped; the end message (and any other) goes after everything held. */
static nc_sys_err_t relay_send(void *ctx, kobj_t *ep, ipc_msg_t *m, uint64_t deadline_ns)
{
	relay_t *r = ctx;
	if (m->n_handles || m->len_bytes == 0)
		return NC_SYS_ERR_INVALID;
	uint32_t idle = 0;
	if (!__atomic_compare_exchange_n(&r->busy, &idle, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return NC_SYS_ERR_TIMED_OUT; /* another thread of the service is sending: as if full */
	nc_sys_err_t err = r->dead ? NC_SYS_ERR_PEER_CLOSED : relay_flush(r, deadline_ns);
	if (!err && m->data[0] == NC_SYS_AI_MSG_TOKEN) {
		nc_mem_copy(r->held + r->held_len, m->data + 1, m->len_bytes - 1);
		r->held_len += m->len_bytes - 1;
		err = relay_map(r, false);
		nc_sys_err_t sent = err ? NC_SYS_OK : relay_flush(r, deadline_ns);
		if (sent && sent != NC_SYS_ERR_TIMED_OUT)
			err = sent; /* TIMED_OUT: m is taken, its bytes go out before the next message */
	} else if (!err) {
		err = relay_map(r, true);
		if (!err)
			err = relay_flush(r, deadline_ns);
		if (!err)
			err = relay_put(r, m->data, m->len_bytes, deadline_ns);
	}
	__atomic_store_n(&r->busy, 0, __ATOMIC_RELEASE);
	if (!err)
		channel_msg_free(ep, m);
	return err;
}

static void relay_release(void *ctx)
{
	relay_t *r = ctx;
	kobj_unref(r->target);
	kpsess_put(r->s);
	nc_mem_wipe(r->held, sizeof r->held);
	nc_mem_wipe(r->out, sizeof r->out);
	quota_free_object(r->quota, r, sizeof *r);
}

nc_sys_err_t kprivacy_relay_open(kpsess_t *s, kobj_t *target, kobj_t **svc_end)
{
	nc_sys_err_t err;
	quota_t *q = quota_current();
	relay_t *r = quota_alloc_object(q, sizeof *r, &err);
	if (!r)
		return err;
	r->quota = q;
	r->s = sess_get(s);
	kobj_ref(target);
	r->target = target;
	err = channel_create_relay(relay_send, relay_release, r, svc_end);
	if (err)
		relay_release(r);
	return err;
}
