/* aitests (aitests.h): concurrency, limits, cancellation, killed callers and
 * a grinder of random calls (xv6's grind.c idea): the service must answer
 * every call with a documented status, keep its limits, free what cancelled
 * and killed callers held, and still give the host engine's text after. The
 * grinder runs again in a child without privacy.raw, its memory full of
 * personal data, so that every call goes through the kernel's tokenizer
 * and stream relay (docs/privacy.md). */
#include "aitests.h"

enum { THREADS = 4, ROUNDS = 3, GRIND_CALLS = 800, KILLS = 4, TOKENIZED_CALLS = 120 };

static char bufs[THREADS][1024];
static const char *thread_result[THREADS];

static int invoker(void *arg)
{
	size_t k = (size_t)arg;
	char want[1024];
	size_t want_len;
	uint64_t n;
	at_expect_text("greedy", want, sizeof want, &want_len);
	for (int r = 0; r < ROUNDS; r++) {
		if (at_greedy(AT_TEXT, 24, bufs[k], sizeof bufs[k], &n) || n != want_len ||
		    nc_mem_compare(bufs[k], want, n)) {
			thread_result[k] = "a concurrent caller got another text";
			return 1;
		}
	}
	return 0;
}

static bool t_concurrent_callers(void)
{
	nc_thread_t t[THREADS];
	for (size_t k = 0; k < THREADS; k++)
		NC_EXPECT_SYS(nc_thread_start(&t[k], invoker, (void *)k), NC_SYS_OK);
	for (size_t k = 0; k < THREADS; k++) {
		uint64_t code;
		nc_thread_join(&t[k], &code);
		if (thread_result[k])
			return NC_FAIL("%s", thread_result[k]);
	}
	return true;
}

/* Start a stream of n tokens on model; *read_end gets the caller's end. */
static nc_sys_err_t start_stream(const char *model, uint64_t n, uint64_t *read_end)
{
	nc_ai_opts_t o;
	nc_sys_ai_request_t r;
	uint64_t ends[2], session;
	nc_ai_opts_default(&o, model, AT_PROMPT, sizeof AT_PROMPT - 1);
	o.max_tokens = n;
	nc_ai_opts_request(&o, &r);
	nc_sys_err_t err = nc_sys_ipc_create_channel(ends);
	if (err)
		return err;
	err = nc_sys_ai_stream_params(&r, ends[0], &session);
	nc_sys_handle_close(ends[0]);
	if (err)
		nc_sys_handle_close(ends[1]);
	else
		*read_end = ends[1];
	return err;
}

/* Admit AISVC's per-process limit of streams, retrying LIMIT every 50 ms up
 * to RETRIES times (cancelled sessions end at their next token; under TCG on
 * a loaded host a token can take a while, and the guest clock may run fast
 * when its calibration was disturbed, so the bound is a count, not a time).
 * The count admitted. */
enum { RETRIES = 600 };

static size_t admit_all(uint64_t *ends, size_t n)
{
	size_t k = 0;
	for (int tries = 0; k < n && tries < RETRIES; tries++) {
		nc_sys_err_t err = start_stream(AT_MOE, NC_SYS_AI_MAX_TOKENS, &ends[k]);
		if (!err)
			k++;
		else
			nc_sys_sleep(50 * 1000 * 1000);
	}
	return k;
}

/* at_greedy, retrying LIMIT as admit_all does: sessions just cancelled by
 * closing their channels still count until their next token. */
static nc_sys_err_t greedy_soon(char *buf, size_t cap, uint64_t *n)
{
	nc_sys_err_t err;
	for (int tries = 0; (err = at_greedy(AT_TEXT, 24, buf, cap, n)) == NC_SYS_ERR_LIMIT && tries < RETRIES; tries++)
		nc_sys_sleep(50 * 1000 * 1000);
	return err;
}

static bool t_limit_never_read_and_cancel(void)
{
	enum { PER_PID = 8 };
	uint64_t ends[PER_PID], extra;
	/* channels never read: the sessions park on their full queues */
	NC_REQUIRE(admit_all(ends, PER_PID) == PER_PID);
	NC_EXPECT_SYS(start_stream(AT_MOE, 4, &extra), NC_SYS_ERR_LIMIT);
	/* one token read, then every channel closed: the sessions end at once */
	uint8_t msg[NC_SYS_IPC_MSG_MAX_BYTES];
	uint64_t sizes;
	NC_EXPECT_SYS(nc_sys_ipc_receive(ends[0], msg, sizeof msg, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes), NC_SYS_OK);
	NC_REQUIRE(msg[0] == NC_SYS_AI_MSG_TOKEN);
	for (size_t i = 0; i < PER_PID; i++)
		nc_sys_handle_close(ends[i]);
	size_t again = admit_all(ends, PER_PID);
	for (size_t i = 0; i < again; i++)
		nc_sys_handle_close(ends[i]);
	NC_REQUIRE(again == PER_PID);
	return true;
}

static int child_streamer(void)
{
	uint64_t end, sizes;
	uint8_t msg[NC_SYS_IPC_MSG_MAX_BYTES];
	if (start_stream(AT_TEXT, NC_SYS_AI_MAX_TOKENS, &end))
		return 1;
	for (;;) {
		nc_sys_ipc_receive(end, msg, sizeof msg, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes);
		nc_sys_sleep(1000 * 1000);
	}
}

static bool t_killed_mid_stream(void)
{
	for (int i = 0; i < KILLS; i++) {
		uint64_t cap, pid, status, ended;
		NC_EXPECT_SYS(nc_cap_derive("ai.invoke", "*", &cap), NC_SYS_OK);
		NC_EXPECT_SYS(at_spawn("streamer", &cap, 1, &pid), NC_SYS_OK);
		nc_sys_handle_close(cap);
		nc_sys_sleep(150ull * 1000 * 1000);
		NC_EXPECT_SYS(nc_sys_process_kill(pid), NC_SYS_OK);
		NC_EXPECT_SYS(nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &ended), NC_SYS_OK);
		NC_REQUIRE(status & NC_SYS_EXIT_KILLED);
	}
	char want[1024], got[1024];
	size_t want_len;
	uint64_t n;
	at_expect_text("greedy", want, sizeof want, &want_len);
	NC_EXPECT_SYS(at_greedy(AT_TEXT, 24, got, sizeof got, &n), NC_SYS_OK);
	NC_REQUIRE(n == want_len && !nc_mem_compare(got, want, n));
	return true;
}

/* ---- the grinder ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void) { return nc_test_random(&rng); }

static uint8_t scratch[NC_SYS_AI_INPUT_MAX_BYTES + 64];

/* A pointer argument: good memory, NULL, unmapped, kernel or the end of scratch. */
static uint64_t any_ptr(void)
{
	switch (next() % 6) {
	case 0:
		return 0;
	case 1:
		return AT_UNMAPPED_ADDR;
	case 2:
		return AT_KERNEL_ADDR;
	case 3:
		return (uint64_t)(scratch + sizeof scratch - 1);
	default:
		return (uint64_t)scratch;
	}
}

static uint64_t any_len(void)
{
	static const uint64_t lens[] = { 0, 1, 3, 15, 64, 255, 4096, NC_SYS_AI_INPUT_MAX_BYTES,
					 NC_SYS_AI_INPUT_MAX_BYTES + 1, 1ull << 40, UINT64_MAX };
	return lens[next() % (sizeof lens / sizeof lens[0])];
}

static const char *any_model(size_t *len)
{
	static const char *const ids[] = { AT_TEXT, AT_MOE, AT_SPEECH, "nope", "", "x/y" };
	const char *m = ids[next() % 6];
	*len = nc_str_len(m);
	return m;
}

/* Every status a call may answer with (NC_SYS_ERRORS_* of each is wider than
 * what the grinder reaches; the mask is the union). */
static bool documented(uint64_t op, nc_sys_err_t e)
{
	static const uint64_t masks[] = {
		[0] = NC_SYS_ERRORS_AI_INVOKE, [1] = NC_SYS_ERRORS_AI_STREAM, [2] = NC_SYS_ERRORS_AI_EMBED,
		[3] = NC_SYS_ERRORS_AI_CLASSIFY, [4] = NC_SYS_ERRORS_AI_TRANSCRIBE,
		[5] = NC_SYS_ERRORS_AI_INVOKE_PARAMS, [6] = NC_SYS_ERRORS_AI_STREAM_PARAMS,
		[7] = NC_SYS_ERRORS_AI_CLASSIFY_LABELS, [8] = NC_SYS_ERRORS_AI_MODEL_LIST,
	};
	return e == NC_SYS_OK || (masks[op] >> e & 1);
}

static nc_sys_err_t grind_one(uint64_t op)
{
	size_t ml;
	const char *model = any_model(&ml);
	uint64_t n, ends[2] = { 0, 0 }, input = any_ptr(), in_len = any_len(), out = any_ptr(), out_len = any_len();
	for (size_t i = 0; i < 64; i++)
		scratch[next() % sizeof scratch] = (uint8_t)next();
	/* few tokens: a valid call then costs little */
	nc_sys_ai_request_t r = { (uint64_t)model, ml, input, in_len, 1 + next() % 6, next() % 3000, next() % 100,
				  next() % 1100, next() % 3000, next(), any_ptr(), next() % 80, 0, next() % 4 };
	nc_sys_err_t e = NC_SYS_OK;
	if (op == 1 || op == 6)
		nc_sys_ipc_create_channel(ends);
	switch (op) {
	case 0: e = nc_sys_ai_invoke(model, ml, (void *)input, in_len, (void *)out, out_len, &n); break;
	case 1: e = nc_sys_ai_stream(model, ml, (void *)input, in_len, next() % 2 ? ends[0] : next() % 70, &n); break;
	case 2: e = nc_sys_ai_embed(model, ml, (void *)input, in_len, (void *)out, out_len, &n); break;
	case 3: e = nc_sys_ai_classify(model, ml, (void *)input, in_len, (void *)out, out_len, &n); break;
	case 4: e = nc_sys_ai_transcribe(model, ml, (void *)input, in_len, (void *)out, out_len, &n); break;
	case 5: e = nc_sys_ai_invoke_params(next() % 4 ? &r : (void *)any_ptr(), (void *)out, out_len, &n); break;
	case 6: e = nc_sys_ai_stream_params(&r, ends[0], &n); break;
	case 7: e = nc_sys_ai_classify_labels(&r, (void *)out, out_len % 70, &n); break;
	default: e = nc_sys_ai_model_list((void *)out, out_len % 10, &n); break;
	}
	if (ends[0]) { /* streams: read a little, or not, then cancel by closing */
		uint64_t sizes;
		uint8_t msg[NC_SYS_IPC_MSG_MAX_BYTES];
		if (!e && next() % 4 == 0)
			nc_sys_ipc_receive(ends[1], msg, sizeof msg, NULL, 0, 2000000, &sizes);
		nc_sys_handle_close(ends[0]);
		nc_sys_handle_close(ends[1]);
	}
	return e;
}

static bool t_grinder(void)
{
	for (int i = 0; i < GRIND_CALLS; i++) {
		uint64_t op = next() % 9;
		nc_sys_err_t e = grind_one(op);
		if (!documented(op, e))
			return NC_FAIL("call %d (op %llu) answered %s", i, (unsigned long long)op, nc_sys_err_name(e));
		if (e == NC_SYS_ERR_UNAVAILABLE || e == NC_SYS_ERR_IO_ERROR)
			return NC_FAIL("call %d (op %llu): the service broke: %s", i, (unsigned long long)op,
				       nc_sys_err_name(e));
	}
	/* the service still works, and no session outlived its caller's interest */
	uint64_t ends[8];
	size_t k = admit_all(ends, 8);
	for (size_t i = 0; i < k; i++)
		nc_sys_handle_close(ends[i]);
	NC_REQUIRE(k == 8);
	char want[1024], got[1024];
	size_t want_len;
	uint64_t n;
	at_expect_text("greedy", want, sizeof want, &want_len);
	NC_EXPECT_SYS(greedy_soon(got, sizeof got, &n), NC_SYS_OK);
	NC_REQUIRE(n == want_len && !nc_mem_compare(got, want, n));
	return true;
}

/* A well-formed call on a text model with pii[off..off+len) as its input
 * (a stop string or label cut from it too; few tokens), so that the text
 * reaches the tokenizer and the answer the relay. */
static char pii[4096];

static bool stream_bytes(void *ctx, const uint8_t *b, size_t n)
{
	(void)ctx, (void)b, (void)n;
	return next() % 8 != 0; /* now and then cancelled midway */
}

static nc_sys_err_t grind_valid(uint64_t op)
{
	size_t off = next() % 2048, len = next() % 1500;
	nc_ai_opts_t o;
	nc_ai_opts_default(&o, next() % 2 ? AT_TEXT : AT_MOE, pii + off, len);
	o.max_tokens = 1 + next() % 4;
	nc_ai_opts_add_string(&o, pii + next() % 2048, 1 + next() % 40);
	nc_ai_opts_add_string(&o, pii + next() % 2048, 1 + next() % 40);
	nc_sys_ai_request_t r;
	nc_ai_opts_request(&o, &r);
	static char out[1024];
	uint64_t n;
	nc_sys_ai_stream_end_t end;
	switch (op % 4) {
	case 0: return nc_sys_ai_invoke_params(&r, out, next() % sizeof out, &n);
	case 1: return nc_ai_stream(&o, stream_bytes, NULL, &end);
	case 2: return nc_sys_ai_embed(o.model, nc_str_len(o.model), o.input, len, (double *)(void *)out, 64, &n);
	default: return nc_sys_ai_classify_labels(&r, (double *)(void *)out, 2, &n);
	}
}

/* The grinder under the default policy, every other call a well-formed one
 * (grind_valid) on text full of e-mail addresses, phone numbers and IP
 * addresses cut anywhere. Exit status: 0, or 1000 + 100 * op + the status
 * of the first call answered with an undocumented one (the well-formed
 * ones: op 0..3 as grind_valid's plus 10), UNAVAILABLE or IO_ERROR. */
static int child_grind_tokenized(void)
{
	static const char text[] = "mail g1@ex.org or +44 20 7946 0958 at 198.51.100.23; ";
	static const uint64_t valid_ops[] = { 5, 6, 2, 7 }; /* as grind_valid's cases */
	for (size_t i = 0; i < sizeof pii; i++)
		pii[i] = text[i % (sizeof text - 1)];
	nc_mem_copy(scratch, pii, sizeof pii);
	for (int i = 0; i < TOKENIZED_CALLS; i++) {
		uint64_t op = next() % 9, v = op % 4;
		nc_sys_err_t e = i % 2 ? grind_one(op) : grind_valid(v);
		uint64_t as = i % 2 ? op : valid_ops[v];
		if (!documented(as, e) || e == NC_SYS_ERR_UNAVAILABLE || e == NC_SYS_ERR_IO_ERROR)
			return (int)(1000 + 100 * (i % 2 ? op : 10 + v) + e);
	}
	return 0;
}

static bool t_grinder_tokenized(void)
{
	uint64_t h;
	if (nc_cap_derive("ai.invoke", "*", &h))
		return NC_FAIL("cannot derive ai.invoke=*");
	return at_run_child("grindtok", &h, 1, NULL, 0);
}

const nc_test_child_t at_grind_children[] = {
	{ "grindtok", child_grind_tokenized },
	{ "streamer", child_streamer },
	{ NULL, NULL },
};

const nc_test_case_t at_grind_tests[] = {
	{ "concurrent_callers", t_concurrent_callers },
	{ "limit_never_read_and_cancel", t_limit_never_read_and_cancel },
	{ "killed_mid_stream", t_killed_mid_stream },
	{ "grinder", t_grinder },
	{ "grinder_tokenized", t_grinder_tokenized },
	{ NULL, NULL },
};
