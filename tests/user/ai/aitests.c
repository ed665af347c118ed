/* aitests (aitests.h): the runner, the expectations file, and the tests of
 * each call's results against the host engine and of its documented errors. */
#include "aitests.h"

#include <nc/fmt.h>

enum { EXPECT_MAX = 64 * 1024, OUT_MAX = 4096 };

static char expect[EXPECT_MAX + 1];
static size_t expect_len;
static char out[OUT_MAX], want[OUT_MAX];

/* The start of the i-th line beginning with "key ", or NULL. */
static const char *find_line(const char *key, size_t i)
{
	size_t k = nc_str_len(key);
	for (const char *p = expect; p && *p;) {
		if (!nc_mem_compare(p, key, k) && p[k] == ' ' && i-- == 0)
			return p + k + 1;
		const char *nl = p;
		while (*nl && *nl != '\n')
			nl++;
		p = *nl ? nl + 1 : NULL;
	}
	return NULL;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool at_expect_text(const char *key, char *buf, size_t cap, size_t *len)
{
	const char *p = find_line(key, 0);
	*len = 0;
	if (!p)
		return false;
	while (hexval(p[0]) >= 0 && hexval(p[1]) >= 0 && *len < cap) {
		buf[(*len)++] = (char)(hexval(p[0]) << 4 | hexval(p[1]));
		p += 2;
	}
	return true;
}

size_t at_expect_words(const char *key, size_t i, char w[][128], size_t n)
{
	const char *p = find_line(key, i);
	size_t k = 0;
	while (p && k < n) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		size_t len = 0;
		while (p[len] && p[len] != ' ' && p[len] != '\n' && len < 127)
			len++;
		nc_mem_copy(w[k], p, len);
		w[k++][len] = 0;
		p += len;
	}
	return k;
}

size_t at_expect_numbers(const char *key, double *v, size_t cap)
{
	static char w[4096][128];
	size_t n = at_expect_words(key, 0, w, cap < 4096 ? cap : 4096);
	for (size_t i = 0; i < n; i++)
		if (!nc_ncs_parse_float(w[i][0] == '-' ? w[i] + 1 : w[i], nc_str_len(w[i]) - (w[i][0] == '-'), &v[i]))
			return 0;
		else if (w[i][0] == '-')
			v[i] = -v[i];
	return n;
}

nc_sys_err_t at_greedy(const char *model, uint64_t n, char *buf, size_t cap, uint64_t *len)
{
	nc_ai_opts_t o;
	nc_sys_ai_request_t r;
	nc_ai_opts_default(&o, model, AT_PROMPT, sizeof AT_PROMPT - 1);
	o.temperature_milli = 0;
	o.max_tokens = n;
	nc_ai_opts_request(&o, &r);
	return nc_sys_ai_invoke_params(&r, buf, cap, len);
}

nc_sys_err_t at_spawn(const char *name, const uint64_t *handles, uint64_t n, uint64_t *pid)
{
	char arg[64];
	nc_fmt_format(arg, sizeof arg, "child:%s", name);
	return nc_sys_process_spawn("aitests", 7, arg, nc_str_len(arg), handles, n, pid);
}

/* ---- results against the host engine ---- */

static bool compare_text(const char *key, const char *got, size_t got_len)
{
	size_t n;
	if (!at_expect_text(key, want, sizeof want, &n))
		return NC_FAIL("no expectation %s", key);
	if (n != got_len || nc_mem_compare(want, got, n))
		return NC_FAIL("%s: got \"%.*s\" (%zu bytes), want \"%.*s\" (%zu)", key, (int)got_len, got, got_len,
			       (int)n, want, n);
	return true;
}

static bool t_models(void)
{
	static nc_sys_ai_model_t m[8];
	uint64_t n;
	NC_EXPECT_SYS(nc_sys_ai_model_list(m, 8, &n), NC_SYS_OK);
	bool text = false, moe = false;
	for (uint64_t i = 0; i < n; i++) {
		text |= !nc_str_compare(m[i].id, AT_TEXT) && m[i].kind == NC_SYS_AI_KIND_TEXT &&
			!nc_str_compare(m[i].arch, "llama") && m[i].n_params > 900000;
		moe |= !nc_str_compare(m[i].id, AT_MOE);
	}
	NC_REQUIRE(text && moe);
	uint64_t one;
	NC_EXPECT_SYS(nc_sys_ai_model_list(m, 1, &one), NC_SYS_OK);
	NC_REQUIRE(one == 1);
	NC_EXPECT_SYS(nc_sys_ai_model_list((void *)AT_KERNEL_ADDR, 8, &one), NC_SYS_ERR_BAD_ADDRESS);
	return true;
}

static bool t_invoke_greedy(void)
{
	uint64_t n;
	NC_EXPECT_SYS(at_greedy(AT_TEXT, 24, out, sizeof out, &n), NC_SYS_OK);
	if (!compare_text("greedy", out, n))
		return false;
	NC_EXPECT_SYS(at_greedy(AT_MOE, 24, out, sizeof out, &n), NC_SYS_OK);
	return compare_text("moe", out, n);
}

static bool t_invoke_sampled_and_defaults(void)
{
	nc_ai_opts_t o;
	nc_sys_ai_request_t r;
	uint64_t n;
	nc_ai_opts_default(&o, AT_TEXT, AT_PROMPT, sizeof AT_PROMPT - 1);
	o.seed = 7;
	o.max_tokens = 20;
	nc_ai_opts_request(&o, &r);
	NC_EXPECT_SYS(nc_sys_ai_invoke_params(&r, out, sizeof out, &n), NC_SYS_OK);
	if (!compare_text("sampled", out, n))
		return false;
	NC_EXPECT_SYS(nc_sys_ai_invoke(AT_TEXT, sizeof AT_TEXT - 1, AT_PROMPT, sizeof AT_PROMPT - 1, out, sizeof out, &n),
		  NC_SYS_OK);
	return compare_text("v1", out, n);
}

static bool t_stop_and_short_output(void)
{
	nc_ai_opts_t o;
	nc_sys_ai_request_t r;
	uint64_t n, full;
	nc_ai_opts_default(&o, AT_TEXT, AT_PROMPT, sizeof AT_PROMPT - 1);
	o.temperature_milli = 0;
	o.max_tokens = 24;
	NC_REQUIRE(nc_ai_opts_add_string(&o, " the", 4));
	nc_ai_opts_request(&o, &r);
	NC_EXPECT_SYS(nc_sys_ai_invoke_params(&r, out, sizeof out, &n), NC_SYS_OK);
	if (!compare_text("stop", out, n))
		return false;
	/* an output buffer of 6 bytes: the tokens that fit, a prefix of the text */
	NC_EXPECT_SYS(at_greedy(AT_TEXT, 24, want + 2048, 2048, &full), NC_SYS_OK);
	NC_EXPECT_SYS(at_greedy(AT_TEXT, 24, out, 6, &n), NC_SYS_OK);
	NC_REQUIRE(n <= 6 && n < full && !nc_mem_compare(out, want + 2048, n));
	return true;
}

typedef struct {
	char *buf;
	size_t len, tokens;             /* tokens: messages (one token or several) */
	size_t first_len;               /* bytes of the first message */
	uint64_t order_errors;
} collect_t;

static bool collect(void *ctx, const uint8_t *b, size_t n)
{
	collect_t *c = ctx;
	if (!c->tokens)
		c->first_len = n;
	if (c->len + n <= OUT_MAX) {
		nc_mem_copy(c->buf + c->len, b, n);
		c->len += n;
	}
	c->tokens++;
	return true;
}

static bool t_stream_equals_invoke(void)
{
	nc_ai_opts_t o;
	nc_ai_opts_default(&o, AT_TEXT, AT_PROMPT, sizeof AT_PROMPT - 1);
	o.temperature_milli = 0;
	o.max_tokens = 24;
	collect_t c = { out, 0, 0, 0, 0 };
	nc_sys_ai_stream_end_t end;
	NC_EXPECT_SYS(nc_ai_stream(&o, collect, &c, &end), NC_SYS_OK);
	NC_REQUIRE(end.kind == NC_SYS_AI_MSG_END && end.reason == NC_SYS_AI_END_LENGTH && end.n_tokens == 24);
	/* tokens gathered into messages, never past a turn of 8 tokens */
	NC_REQUIRE(c.tokens >= 24 / 8 && c.tokens <= 24); /* 8: the service's AISVC_SLICE_TOKENS */
	if (!compare_text("greedy", out, c.len))
		return false;
	/* the first token comes alone, at once */
	char first[64];
	uint64_t n1;
	NC_EXPECT_SYS(at_greedy(AT_TEXT, 1, first, sizeof first, &n1), NC_SYS_OK);
	NC_REQUIRE(c.first_len == n1);
	/* v1 AiStream: the defaults, as AiInvoke */
	uint64_t ends[2], session, sizes;
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(ends), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ai_stream(AT_TEXT, sizeof AT_TEXT - 1, AT_PROMPT, sizeof AT_PROMPT - 1, ends[0], &session),
		  NC_SYS_OK);
	nc_sys_handle_close(ends[0]);
	size_t len = 0;
	uint8_t msg[NC_SYS_IPC_MSG_MAX_BYTES];
	for (;;) {
		NC_EXPECT_SYS(nc_sys_ipc_receive(ends[1], msg, sizeof msg, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes),
			  NC_SYS_OK);
		size_t n = (uint32_t)sizes;
		if (msg[0] != NC_SYS_AI_MSG_TOKEN)
			break;
		nc_mem_copy(out + len, msg + 1, n - 1);
		len += n - 1;
	}
	nc_sys_handle_close(ends[1]);
	return compare_text("v1", out, len);
}

static bool t_deadline(void)
{
	nc_ai_opts_t o;
	nc_sys_ai_request_t r;
	uint64_t n;
	nc_ai_opts_default(&o, AT_MOE, AT_PROMPT, sizeof AT_PROMPT - 1);
	o.deadline_ns = 1; /* long past */
	nc_ai_opts_request(&o, &r);
	NC_EXPECT_SYS(nc_sys_ai_invoke_params(&r, out, sizeof out, &n), NC_SYS_ERR_TIMED_OUT);
	o.deadline_ns = nc_clock_ns() + 30ull * 1000 * 1000;
	o.max_tokens = NC_SYS_AI_MAX_TOKENS;
	o.temperature_milli = 0;
	collect_t c = { out, 0, 0, 0, 0 };
	nc_sys_ai_stream_end_t end;
	NC_EXPECT_SYS(nc_ai_stream(&o, collect, &c, &end), NC_SYS_OK);
	NC_REQUIRE(end.reason == NC_SYS_AI_END_DEADLINE || end.reason == NC_SYS_AI_END_CONTEXT);
	NC_REQUIRE(end.n_tokens < NC_SYS_AI_MAX_TOKENS);
	return true;
}

static bool t_embed(void)
{
	static double got[512], ref[512];
	uint64_t n;
	size_t m = at_expect_numbers("embed", ref, 512);
	NC_REQUIRE(m > 0);
	NC_EXPECT_SYS(nc_sys_ai_embed(AT_TEXT, sizeof AT_TEXT - 1, "Vim", 3, got, 512, &n), NC_SYS_OK);
	NC_REQUIRE(n == m);
	double worst = 0;
	for (size_t i = 0; i < m; i++) {
		double d = got[i] > ref[i] ? got[i] - ref[i] : ref[i] - got[i];
		worst = d > worst ? d : worst;
	}
	if (worst > 1e-5)
		return NC_FAIL("embedding differs by %d e-9 from the host's", (int)(worst * 1e9));
	NC_EXPECT_SYS(nc_sys_ai_embed(AT_TEXT, sizeof AT_TEXT - 1, "Vim", 3, got, 4, &n), NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_ai_embed(AT_TEXT, sizeof AT_TEXT - 1, "", 0, got, 512, &n), NC_SYS_ERR_INVALID);
	return true;
}

static bool t_classify(void)
{
	double ref[3], scores[4];
	NC_REQUIRE(at_expect_numbers("classify", ref, 3) == 3);
	nc_ai_opts_t o;
	nc_sys_ai_request_t r;
	uint64_t best, n;
	static const char text[] = "Is Vim an editor?";
	nc_ai_opts_default(&o, AT_TEXT, text, sizeof text - 1);
	NC_REQUIRE(nc_ai_opts_add_string(&o, " yes", 4) && nc_ai_opts_add_string(&o, " no", 3));
	nc_ai_opts_request(&o, &r);
	NC_EXPECT_SYS(nc_sys_ai_classify_labels(&r, scores, 4, &best), NC_SYS_OK);
	NC_REQUIRE(best == (uint64_t)ref[0]);
	for (int i = 0; i < 2; i++) {
		double d = scores[i] - ref[1 + i];
		if (d > 1e-5 || d < -1e-5)
			return NC_FAIL("score %d differs from the host's", i);
	}
	NC_EXPECT_SYS(nc_sys_ai_classify_labels(&r, scores, 1, &best), NC_SYS_ERR_TOO_SMALL);
	static const char v1[] = "Is Vim an editor?\0 yes\0 no\0";
	NC_EXPECT_SYS(nc_sys_ai_classify(AT_TEXT, sizeof AT_TEXT - 1, v1, sizeof v1 - 1, out, sizeof out, &n), NC_SYS_OK);
	NC_REQUIRE(n == (ref[0] == 0 ? 4u : 3u) && !nc_mem_compare(out, ref[0] == 0 ? " yes" : " no", n));
	NC_EXPECT_SYS(nc_sys_ai_classify(AT_TEXT, sizeof AT_TEXT - 1, v1, sizeof v1 - 1, out, 1, &n),
		  NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_ai_classify(AT_TEXT, sizeof AT_TEXT - 1, "no labels", 9, out, sizeof out, &n),
		  NC_SYS_ERR_INVALID);
	return true;
}

static bool t_transcribe(void)
{
	static uint8_t wav[NC_SYS_AI_AUDIO_MAX_BYTES];
	char w[3][128];
	size_t checked = 0, len = 0;
	for (size_t i = 0; at_expect_words("wav", i, w, 3) >= 2; i++) {
		uint64_t got;
		const char *model = w[0];
		NC_EXPECT_SYS(nc_file_read(w[1], nc_str_len(w[1]), wav, sizeof wav, &len), NC_SYS_OK);
		NC_EXPECT_SYS(nc_sys_ai_transcribe(model, nc_str_len(model), wav, len, out, sizeof out, &got), NC_SYS_OK);
		char hexed[2 * OUT_MAX + 1];
		for (uint64_t k = 0; k < got; k++)
			nc_fmt_format(hexed + 2 * k, 3, "%02x", (uint8_t)out[k]);
		hexed[2 * got] = 0;
		if (nc_str_compare(hexed, at_expect_words("wav", i, w, 3) == 3 ? w[2] : ""))
			return NC_FAIL("%s: \"%.*s\" is not PyTorch's text", w[1], (int)got, out);
		NC_EXPECT_SYS(nc_sys_ai_transcribe(model, nc_str_len(model), wav, len, out, got ? got - 1 : 0, &got),
			  got ? NC_SYS_ERR_TOO_SMALL : NC_SYS_OK);
		checked++;
	}
	if (!checked)
		return NC_FAIL("no WAV file to transcribe in /ai-expect");
	NC_EXPECT_SYS(nc_sys_ai_transcribe(w[0], nc_str_len(w[0]), "RIFF....WAVEjunk", 16, out, sizeof out, &checked),
		  NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ai_transcribe(AT_TEXT, sizeof AT_TEXT - 1, wav, len, out, sizeof out, &checked),
		  NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ai_invoke(w[0], nc_str_len(w[0]), "hi", 2, out, sizeof out, &checked), NC_SYS_ERR_INVALID);
	return true;
}

static bool t_errors(void)
{
	static char big[NC_SYS_AI_INPUT_MAX_BYTES + 2];
	uint64_t n, h[2];
	nc_ai_opts_t o;
	nc_sys_ai_request_t r;
	NC_EXPECT_SYS(nc_sys_ai_invoke((void *)AT_UNMAPPED_ADDR, 4, "x", 1, out, 8, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_ai_invoke(AT_TEXT, sizeof AT_TEXT - 1, (void *)AT_KERNEL_ADDR, 8, out, 8, &n),
		  NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_ai_invoke(AT_TEXT, sizeof AT_TEXT - 1, "Vim", 3, (void *)AT_KERNEL_ADDR, 8, &n),
		  NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_ai_invoke("", 0, "x", 1, out, 8, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ai_invoke("../x", 4, "x", 1, out, 8, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ai_invoke("a/b", 3, "x", 1, out, 8, &n), NC_SYS_ERR_INVALID);
	nc_mem_set(big, 'a', sizeof big);
	NC_EXPECT_SYS(nc_sys_ai_invoke(big, NC_SYS_AI_MODEL_ID_MAX + 1, "x", 1, out, 8, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ai_invoke(AT_TEXT, sizeof AT_TEXT - 1, big, sizeof big, out, 8, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ai_invoke("no-such-model", 13, "x", 1, out, 8, &n), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_ai_invoke(AT_TEXT, sizeof AT_TEXT - 1, "bad \xff\xfe utf-8", 13, out, 8, &n),
		  NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ai_invoke(AT_TEXT, sizeof AT_TEXT - 1, "\xed\xa0\x80", 3, out, 8, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ai_invoke(AT_TEXT, sizeof AT_TEXT - 1, "", 0, out, 8, &n), NC_SYS_ERR_INVALID);
	/* a prompt longer than the model's context: LIMIT */
	NC_EXPECT_SYS(nc_sys_ai_invoke(AT_TEXT, sizeof AT_TEXT - 1, big, 4000, out, 8, &n), NC_SYS_ERR_LIMIT);
	NC_EXPECT_SYS(nc_sys_ai_invoke_params((void *)AT_UNMAPPED_ADDR, out, 8, &n), NC_SYS_ERR_BAD_ADDRESS);
	nc_ai_opts_default(&o, AT_TEXT, "x", 1);
	o.max_tokens = NC_SYS_AI_MAX_TOKENS + 1;
	nc_ai_opts_request(&o, &r);
	NC_EXPECT_SYS(nc_sys_ai_invoke_params(&r, out, 8, &n), NC_SYS_ERR_INVALID);
	nc_ai_opts_default(&o, AT_TEXT, "x", 1);
	NC_REQUIRE(nc_ai_opts_add_string(&o, big, 100)); /* a stop string of 100 bytes */
	nc_ai_opts_request(&o, &r);
	NC_EXPECT_SYS(nc_sys_ai_invoke_params(&r, out, 8, &n), NC_SYS_ERR_INVALID);
	r.flags = 1u << 20;
	NC_EXPECT_SYS(nc_sys_ai_invoke_params(&r, out, 8, &n), NC_SYS_ERR_INVALID);
	/* AiStream: the channel must be a channel endpoint the caller holds */
	NC_EXPECT_SYS(nc_sys_ai_stream(AT_TEXT, sizeof AT_TEXT - 1, "x", 1, 999, &n), NC_SYS_ERR_BAD_HANDLE);
	uint64_t cap = 0;
	NC_EXPECT_SYS(nc_cap_derive("ai.invoke", AT_TEXT, &cap), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ai_stream(AT_TEXT, sizeof AT_TEXT - 1, "x", 1, cap, &n), NC_SYS_ERR_WRONG_TYPE);
	nc_sys_handle_close(cap);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(h), NC_SYS_OK);
	uint64_t ro;
	NC_EXPECT_SYS(nc_sys_handle_duplicate(h[0], NC_SYS_RIGHT_READ, &ro), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ai_stream(AT_TEXT, sizeof AT_TEXT - 1, "x", 1, ro, &n), NC_SYS_ERR_DENIED);
	nc_sys_handle_close(ro);
	nc_sys_handle_close(h[0]);
	nc_sys_handle_close(h[1]);
	return true;
}

/* ---- capabilities: children with less ---- */

bool at_run_child(const char *name, uint64_t *handles, uint64_t n, const void *policy, uint64_t policy_len)
{
	char arg[64];
	uint64_t pid, status = 1, ended;
	nc_fmt_format(arg, sizeof arg, "child:%s", name);
	nc_sys_spawn_spec_t s = { (uint64_t)"aitests", 7, (uint64_t)arg, nc_str_len(arg), (uint64_t)handles, n, 0,
				  (uint64_t)policy, policy_len };
	nc_sys_err_t err = nc_sys_process_spawn_spec(&s, &pid);
	for (uint64_t i = 0; i < n; i++)
		nc_sys_handle_close(handles[i]);
	if (err)
		return NC_FAIL("spawn %s: %s", name, nc_sys_err_name(err));
	nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &ended);
	return !status || NC_FAIL("child %s failed at line %llu", name, (unsigned long long)status);
}

static bool run_child(const char *name, const char *scope)
{
	uint64_t hs[1], n = 0;
	if (scope && nc_cap_derive("ai.invoke", scope, &hs[n++]))
		return NC_FAIL("cannot derive ai.invoke=%s", scope);
	return at_run_child(name, hs, n, NULL, 0);
}

static bool t_denied_without_grant(void)
{
	return run_child("nogrant", NULL);
}

static bool t_denied_other_model(void)
{
	return run_child("moeonly", AT_MOE);
}


static int child_nogrant(void)
{
	uint64_t n, ends[2];
	static nc_sys_ai_model_t m[4];
	NC_EXPECT_CHILD(nc_sys_ai_invoke(AT_TEXT, sizeof AT_TEXT - 1, "x", 1, out, 8, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_ai_embed(AT_TEXT, sizeof AT_TEXT - 1, "x", 1, (double *)(void *)out, 8, &n),
		     NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_ai_model_list(m, 4, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_ai_transcribe(AT_SPEECH, sizeof AT_SPEECH - 1, "x", 1, out, 8, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_ipc_create_channel(ends), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_ai_stream(AT_TEXT, sizeof AT_TEXT - 1, "x", 1, ends[0], &n), NC_SYS_ERR_DENIED);
	/* nor the weights: no fs.read */
	uint64_t h;
	NC_EXPECT_CHILD(nc_sys_fs_open("/models/" AT_TEXT ".gguf", sizeof("/models/" AT_TEXT ".gguf") - 1, 0, &h),
		     NC_SYS_ERR_DENIED);
	return 0;
}

static int child_moeonly(void)
{
	uint64_t n;
	static nc_sys_ai_model_t m[4];
	NC_EXPECT_CHILD(nc_sys_ai_invoke(AT_TEXT, sizeof AT_TEXT - 1, "x", 1, out, 8, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_ai_invoke(AT_MOE, sizeof AT_MOE - 1, "Vim", 3, out, sizeof out, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_ai_model_list(m, 4, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(n == 1 && !nc_str_compare(m[0].id, AT_MOE), true);
	/* tier 3 needs ai.cloud besides the consent */
	nc_ai_opts_t o;
	nc_sys_ai_request_t r;
	nc_ai_opts_default(&o, AT_MOE, "Vim", 3);
	o.cloud = true;
	nc_ai_opts_request(&o, &r);
	NC_EXPECT_CHILD(nc_sys_ai_invoke_params(&r, out, sizeof out, &n), NC_SYS_ERR_DENIED);
	return 0;
}

/* ncs running path with fs.read on it (and on read, when not NULL) and
 * ai.invoke on scope; *status gets its exit code. */
static uint64_t run_ncs(const char *path, const char *scope, const char *read, uint64_t *status)
{
	uint64_t hs[3], n = 0, pid, ended;
	*status = UINT64_MAX;
	nc_sys_err_t err = nc_cap_derive("fs.read", path, &hs[n++]);
	if (!err)
		err = nc_cap_derive("ai.invoke", scope, &hs[n++]);
	if (!err && read)
		err = nc_cap_derive("fs.read", read, &hs[n++]);
	if (!err)
		err = nc_sys_process_spawn("ncs", 3, path, nc_str_len(path), hs, n, &pid);
	for (uint64_t i = 0; i < n; i++)
		nc_sys_handle_close(hs[i]);
	if (!err)
		nc_sys_process_wait(pid, status, NC_SYS_TIMEOUT_INFINITE, &ended);
	return err;
}

/* The ncs exit codes: 0 ok, 2 runtime error (the script's own checks), 4 denied. */
static bool t_ncscript_effects(void)
{
	uint64_t status;
	size_t len;
	NC_REQUIRE(run_ncs("/ai-ok.ncs", AT_TEXT, NULL, &status) == 0);
	if (status)
		return NC_FAIL("ai-ok.ncs with ai.invoke=%s ended with %#llx", AT_TEXT, (unsigned long long)status);
	NC_REQUIRE(run_ncs("/ai-ok.ncs", AT_MOE, NULL, &status) == 0); /* the kernel grant does not cover the model */
	NC_REQUIRE(status == 4);
	NC_REQUIRE(run_ncs("/ai-undeclared.ncs", AT_TEXT, NULL, &status) == 0); /* the script did not declare it */
	NC_REQUIRE(status == 4);
	/* ai::stream and ai::transcribe (needs the trained model's sample and its text) */
	if (nc_file_read("/ai-transcript.txt", 18, out, sizeof out, &len) == NC_SYS_OK) {
		NC_REQUIRE(run_ncs("/ai-stream.ncs", "*", "/", &status) == 0);
		if (status)
			return NC_FAIL("ai-stream.ncs ended with %#llx", (unsigned long long)status);
		NC_REQUIRE(run_ncs("/ai-stream.ncs", AT_TEXT, "/", &status) == 0); /* no grant for the speech model */
		NC_REQUIRE(status == 4);
	}
	return true;
}

const nc_test_child_t at_call_children[] = {
	{ "nogrant", child_nogrant },
	{ "moeonly", child_moeonly },
	{ NULL, NULL },
};

const nc_test_case_t at_call_tests[] = {
	{ "models", t_models },
	{ "invoke_greedy_equals_host", t_invoke_greedy },
	{ "invoke_sampled_and_defaults_equal_host", t_invoke_sampled_and_defaults },
	{ "stop_string_and_short_output", t_stop_and_short_output },
	{ "stream_equals_invoke", t_stream_equals_invoke },
	{ "deadline", t_deadline },
	{ "embed_within_1e-5", t_embed },
	{ "classify_within_1e-5", t_classify },
	{ "transcribe_equals_pytorch", t_transcribe },
	{ "errors", t_errors },
	{ "denied_without_grant", t_denied_without_grant },
	{ "denied_other_model", t_denied_other_model },
	{ "ncscript_effects", t_ncscript_effects },
	{ NULL, NULL },
};

/* The router's tests run before the grinder's random calls. */
static const nc_test_case_t *const tables[] = { at_call_tests, at_pool_tests, at_router_tests, at_privacy_tests,
						   at_grind_tests };
static const nc_test_child_t *const child_tables[] = { at_call_children, at_privacy_children, at_grind_children };

int main(const char *arg, size_t arg_len)
{
	const char *child = nc_test_child_name(arg, arg_len);
	if (child)
		return nc_test_run_child(child_tables, sizeof child_tables / sizeof child_tables[0], child);
	nc_file_read("/ai-expect", 10, expect, EXPECT_MAX, &expect_len);
	nc_test_plan_t plan = { arg, NULL, nc_clock_ns };
	return nc_test_run_cases("aitests", tables, sizeof tables / sizeof tables[0], &plan);
}
