/* The provider router (aisvc.h, docs/ai-service.md "The provider router").
 *
 * Tier 0 is this process's engine: a model of the store always runs here
 * (job.c). The other tiers are provider processes named on the service's
 * command line (--provider TIER:NAME:MODEL:TIMEOUT_MS:PROGRAM): the service
 * starts each with one channel end and speaks nc/ai_provider.h over it. A
 * generation request (AiInvoke, AiInvokeParams) for a model the store does not
 * hold goes to the providers serving that model, lowest tier first (in the
 * order named); tier 3 (an external provider) only with the caller's consent
 * (AI_FLAG_CLOUD, which the kernel grants only with ai.cloud).
 *
 * Resilience: each try is bounded by the provider's timeout (and the
 * request's deadline); an error, a timeout, a protocol violation or the
 * provider's end is a failure, and the next provider is tried after a backoff
 * (ROUTER_BACKOFF_NS, doubling). After ROUTER_TRIP_FAILURES failures in a row a
 * provider's circuit opens: it gets no requests for ROUTER_COOLDOWN_NS, then
 * one probe request; success closes the circuit, failure opens it again. A
 * provider whose process ended is started again when it is next tried.
 *
 * Locks: `lock` guards the circuit fields of every provider (short sections);
 * each provider's own lock is held for a whole try, so a provider serves one
 * request at a time and answers are never taken by another worker. */
#include "aisvc.h"

#include <nc/ai_provider.h>
#include <nc/mem.h>

enum {
	ROUTER_PROVIDERS_MAX = 8,
	ROUTER_NAME_MAX = 15,
	ROUTER_PROG_MAX = 31,
	ROUTER_TIER_MAX = 3,
	ROUTER_TRIP_FAILURES = 3,
};
#define ROUTER_BACKOFF_NS (10ull * 1000 * 1000)
#define ROUTER_COOLDOWN_NS (500ull * 1000 * 1000)
#define ROUTER_TIMEOUT_MS_MAX 600000ull

typedef struct {
	char name[ROUTER_NAME_MAX + 1], prog[ROUTER_PROG_MAX + 1], model[NC_SYS_AI_MODEL_ID_MAX + 1];
	uint64_t tier, timeout_ns;
	nc_lock_t busy;              /* held for a whole try */
	uint64_t chan;               /* 0: not running (or no longer ours) */
	uint32_t seq;
	/* the circuit (under lock) */
	uint32_t failures;           /* in a row */
	bool open, probing;
	uint64_t open_until_ns;
} provider_t;

typedef enum { TRY_OK, TRY_FAILED, TRY_DEADLINE } try_t;

static provider_t providers[ROUTER_PROVIDERS_MAX];
static size_t n_providers;
static nc_lock_t lock;

/* The field of spec[*at..len) up to the next ':' (or the end) into out (at
 * most cap - 1 bytes, at least one). */
static bool field(const char *spec, size_t len, size_t *at, char *out, size_t cap)
{
	size_t n = 0;
	while (*at < len && spec[*at] != ':') {
		if (n + 1 >= cap)
			return false;
		out[n++] = spec[(*at)++];
	}
	out[n] = 0;
	*at += *at < len;
	return n > 0;
}

static bool number(const char *s, uint64_t max, uint64_t *v)
{
	*v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || *v > (max - (uint64_t)(*s - '0')) / 10)
			return false;
		*v = *v * 10 + (uint64_t)(*s - '0');
	}
	return true;
}

bool aisvc_router_add(const char *spec, size_t len)
{
	if (n_providers == ROUTER_PROVIDERS_MAX)
		return false;
	provider_t *p = &providers[n_providers];
	char tier[4], ms[8];
	size_t at = 0;
	uint64_t timeout_ms;
	if (!field(spec, len, &at, tier, sizeof tier) || !number(tier, ROUTER_TIER_MAX, &p->tier) || !p->tier ||
	    !field(spec, len, &at, p->name, sizeof p->name) || !field(spec, len, &at, p->model, sizeof p->model) ||
	    !field(spec, len, &at, ms, sizeof ms) || !number(ms, ROUTER_TIMEOUT_MS_MAX, &timeout_ms) || !timeout_ms ||
	    !field(spec, len, &at, p->prog, sizeof p->prog) || at != len)
		return false;
	p->timeout_ns = timeout_ms * 1000 * 1000;
	n_providers++;
	return true;
}

static bool serves(const provider_t *p, const char *model, size_t len)
{
	return nc_str_len(p->model) == len && !nc_mem_compare(p->model, model, len);
}

nc_sys_err_t aisvc_router_serves(const char *model, size_t len, uint64_t op, uint64_t flags)
{
	bool any = false, cloud_only = true;
	for (size_t i = 0; i < n_providers; i++) {
		if (serves(&providers[i], model, len)) {
			any = true;
			cloud_only = cloud_only && providers[i].tier == ROUTER_TIER_MAX;
		}
	}
	if (!any || (op != NC_SYS_AI_INVOKE && op != NC_SYS_AI_INVOKE_PARAMS))
		return NC_SYS_ERR_NOT_FOUND;
	return cloud_only && !(flags & NC_SYS_AI_FLAG_CLOUD) ? NC_SYS_ERR_DENIED : NC_SYS_OK;
}

/* The next provider for j not tried yet (tried: bit per provider), lowest
 * tier first, whose circuit lets a request through now (an open circuit past
 * its cooldown lets one probe through); -1 when none. */
static int pick(const aisvc_job_t *j, uint32_t tried)
{
	int best = -1;
	uint64_t now = nc_clock_ns();
	bool consent = j->p.flags & NC_SYS_AI_FLAG_CLOUD;
	nc_lock_acquire(&lock);
	for (size_t i = 0; i < n_providers; i++) {
		provider_t *p = &providers[i];
		if ((tried >> i & 1) || !serves(p, j->model_id, j->p.model_len) ||
		    (p->tier == ROUTER_TIER_MAX && !consent) || (p->open && (p->probing || now < p->open_until_ns)))
			continue;
		if (best < 0 || p->tier < providers[best].tier)
			best = (int)i;
	}
	if (best >= 0 && providers[best].open)
		providers[best].probing = true;
	nc_lock_release(&lock);
	return best;
}

/* Record the outcome of a try on p's circuit. A try cut short by the
 * request's own deadline says nothing about p (a probe is then allowed again). */
static void record(provider_t *p, try_t r)
{
	nc_lock_acquire(&lock);
	if (r == TRY_OK) {
		p->failures = 0;
		p->open = false;
	} else if (r == TRY_FAILED && (p->probing || ++p->failures >= ROUTER_TRIP_FAILURES)) {
		p->open = true;
		p->open_until_ns = nc_clock_ns() + ROUTER_COOLDOWN_NS;
	}
	p->probing = false;
	nc_lock_release(&lock);
}

/* Drop p's channel: its process ended, or broke the protocol (a provider
 * ends when its channel closes; start() reaps it). */
static void forget(provider_t *p)
{
	if (p->chan)
		nc_sys_handle_close(p->chan);
	p->chan = 0;
}

/* Start p's program with one end of a new channel (argument: its name),
 * after reaping the providers that ended. */
static bool start(provider_t *p)
{
	uint64_t ends[2], status, ended, pid;
	while (nc_sys_process_wait(0, &status, 0, &ended) == NC_SYS_OK)
		;
	if (nc_sys_ipc_create_channel(ends))
		return false;
	nc_sys_err_t err = nc_sys_process_spawn(p->prog, nc_str_len(p->prog), p->name, nc_str_len(p->name), &ends[1],
						 1, &pid);
	nc_sys_handle_close(ends[1]);
	p->chan = ends[0];
	if (err)
		forget(p);
	return !err;
}

/* The request of j as the service received it: payload header, model id,
 * input, extra (the job keeps a NUL after each). A new block, or NULL. */
static uint8_t *request_bytes(const aisvc_job_t *j, size_t *len)
{
	const nc_sys_ai_payload_t *h = &j->p;
	*len = sizeof *h + h->model_len + h->input_len + h->extra_len;
	uint8_t *b = nc_malloc(*len);
	if (b) {
		nc_mem_copy(b, h, sizeof *h);
		nc_mem_copy(b + sizeof *h, j->model_id, h->model_len);
		nc_mem_copy(b + sizeof *h + h->model_len, j->input, h->input_len);
		nc_mem_copy(b + sizeof *h + h->model_len + h->input_len, j->extra, h->extra_len);
	}
	return b;
}

/* Send j to p and collect the text into out (j->out_max bytes) until
 * deadline; p->busy held. */
static try_t try_once(provider_t *p, const aisvc_job_t *j, uint64_t deadline, uint8_t *out, size_t *out_len)
{
	size_t len;
	uint8_t *req = request_bytes(j, &len);
	if (!req)
		return TRY_FAILED;
	uint32_t seq = ++p->seq;
	nc_aiprov_request_t r = { { NC_AIPROV_REQUEST, seq }, (uint32_t)len, (uint32_t)j->out_max };
	uint64_t now = nc_clock_ns();
	nc_sys_err_t err = nc_sys_ipc_send(p->chan, &r, sizeof r, NULL, 0, now < deadline ? deadline - now : 0);
	if (!err)
		err = nc_aiprov_send_pieces(p->chan, NC_AIPROV_DATA, seq, req, len, deadline);
	nc_free(req);
	*out_len = 0;
	while (!err) {
		uint8_t msg[NC_SYS_IPC_MSG_MAX_BYTES];
		uint64_t sizes;
		now = nc_clock_ns();
		err = nc_sys_ipc_receive(p->chan, msg, sizeof msg, NULL, 0, now < deadline ? deadline - now : 0, &sizes);
		size_t n = (uint32_t)sizes;
		nc_aiprov_hdr_t h;
		if (!err && n < sizeof h)
			err = NC_SYS_ERR_IO_ERROR;
		if (err)
			break;
		nc_mem_copy(&h, msg, sizeof h);
		if (h.seq < seq && (h.type == NC_AIPROV_TEXT || h.type == NC_AIPROV_END))
			continue; /* the answer to a request the router gave up on */
		if (h.seq != seq) {
			err = NC_SYS_ERR_IO_ERROR;
			break;
		}
		if (h.type == NC_AIPROV_TEXT && *out_len + n - sizeof h <= j->out_max) {
			nc_mem_copy(out + *out_len, msg + sizeof h, n - sizeof h);
			*out_len += n - sizeof h;
			continue;
		}
		nc_aiprov_end_t e;
		if (h.type != NC_AIPROV_END || n != sizeof e) {
			err = NC_SYS_ERR_IO_ERROR;
			break;
		}
		nc_mem_copy(&e, msg, sizeof e);
		if (e.status == NC_SYS_OK && aisvc_utf8_valid((const char *)out, *out_len))
			return TRY_OK;
		if (e.status == NC_SYS_OK) /* text that is not UTF-8 */
			forget(p);
		return TRY_FAILED;
	}
	if (err != NC_SYS_ERR_TIMED_OUT) /* ended, or broke the protocol: started again at its next try */
		forget(p);
	bool request_deadline = j->p.deadline_ns && nc_clock_ns() >= j->p.deadline_ns;
	return err == NC_SYS_ERR_TIMED_OUT && request_deadline ? TRY_DEADLINE : TRY_FAILED;
}

/* One try of j on p: start p if needed, bounded by its timeout and j's deadline. */
static try_t try_provider(provider_t *p, const aisvc_job_t *j, uint8_t *out, size_t *out_len)
{
	nc_lock_acquire(&p->busy);
	uint64_t deadline = nc_clock_ns() + p->timeout_ns;
	if (j->p.deadline_ns && j->p.deadline_ns < deadline)
		deadline = j->p.deadline_ns;
	try_t r = p->chan || start(p) ? try_once(p, j, deadline, out, out_len) : TRY_FAILED;
	nc_lock_release(&p->busy);
	return r;
}

aisvc_run_t aisvc_router_run(aisvc_job_t *j, uint64_t port)
{
	uint8_t *out = nc_malloc(j->out_max + 1);
	nc_sys_err_t st = !out ? NC_SYS_ERR_NO_MEMORY
			  : j->p.deadline_ns && nc_clock_ns() >= j->p.deadline_ns ? NC_SYS_ERR_TIMED_OUT
									     : NC_SYS_ERR_UNAVAILABLE;
	uint32_t tried = 0;
	size_t len = 0;
	uint64_t backoff = ROUTER_BACKOFF_NS;
	int i;
	while (st == NC_SYS_ERR_UNAVAILABLE && !j->cancelled && (i = pick(j, tried)) >= 0) {
		if (tried) {
			nc_sys_sleep(backoff);
			backoff *= 2;
		}
		tried |= 1u << i;
		try_t r = try_provider(&providers[i], j, out, &len);
		record(&providers[i], r);
		if (r != TRY_FAILED)
			st = r == TRY_OK ? NC_SYS_OK : NC_SYS_ERR_TIMED_OUT;
	}
	if (!j->cancelled)
		nc_service_answer(port, j->id, st, st ? 0 : len, out, st ? 0 : len);
	nc_free(out);
	return AISVC_RUN_DONE;
}
