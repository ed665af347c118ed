/* Tokenization at the boundary, end to end (issue 20 item 3, docs/privacy.md):
 * children with ai.invoke on "test-privacy" (served by the test provider
 * "priv", tests/user/ai/testprov.c, which answers "[priv #K] INPUT", or the
 * input in hexadecimal for "priv:hex": what it received) check
 * that the provider receives tokens while the caller gets its own data
 * back; that privacy.raw, or a keep-everything policy given by a spawner
 * holding privacy.raw, lets the data through; that a listed name in the
 * spawner's policy is tokenized and the child cannot spawn under a weaker
 * policy; that a full token table gives LIMIT; and that a stream through
 * the kernel's relay is the invoked text. ai_qemu_test.sh then checks the
 * AI service's log (ai-service --log): tokens, never the personal data of
 * the tokenized calls. */
#include "aitests.h"

#include <nc/fmt.h>

#define PRIV "test-privacy"
#define MAIL "alice@example.com"
#define PHONE "+1 415 555 2671"
#define PII "mail " MAIL " or call " PHONE
#define RAW_MAIL "bob.raw@example.org"
#define KEEP_MAIL "keep.me@example.net"

static char text[1024], seen[512];
static uint64_t text_len;
static size_t seen_len;


/* AiInvokeParams on model with input into text (NUL-ended). */
static nc_sys_err_t ask(const char *model, const char *input)
{
	nc_ai_opts_t o;
	nc_sys_ai_request_t r;
	nc_ai_opts_default(&o, model, input, nc_str_len(input));
	nc_ai_opts_request(&o, &r);
	text_len = 0;
	nc_sys_err_t err = nc_sys_ai_invoke_params(&r, text, sizeof text - 1, &text_len);
	text[err ? 0 : text_len] = 0;
	return err;
}

/* The text after the provider's "[priv #K] ", or NULL. */
static const char *answer_body(void)
{
	const char *p = text;
	while (*p && *p != ']')
		p++;
	return !nc_mem_compare(text, "[priv #", 7) && p[0] == ']' && p[1] == ' ' ? p + 2 : NULL;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* What the provider received for input (asked with " priv:hex" added) into
 * seen (NUL-ended); false when the call or the answer was not as expected. */
static bool received(const char *input)
{
	char q[600];
	nc_fmt_format(q, sizeof q, "%s priv:hex", input);
	const char *h = ask(PRIV, q) ? NULL : answer_body();
	seen_len = 0;
	for (; h && h[0] && h[1] && seen_len + 1 < sizeof seen; h += 2) {
		int hi = hex_digit(h[0]), lo = hex_digit(h[1]);
		if (hi < 0 || lo < 0)
			return false;
		seen[seen_len++] = (char)(hi << 4 | lo);
	}
	seen[seen_len] = 0;
	return h != NULL;
}

static bool has(const char *hay, const char *needle)
{
	size_t n = nc_str_len(needle), k = nc_str_len(hay);
	for (size_t i = 0; i + n <= k; i++)
		if (!nc_mem_compare(hay + i, needle, n))
			return true;
	return false;
}

/* Did the provider echo input exactly (mapped back by the kernel)? */
static bool echoed(const char *input)
{
	const char *b = answer_body();
	return b && !nc_str_compare(b, input);
}

/* ---- children ---- */

static bool collect(void *ctx, const uint8_t *b, size_t n)
{
	size_t *len = ctx;
	if (*len + n < sizeof seen) {
		nc_mem_copy(seen + *len, b, n);
		*len += n;
	}
	return true;
}

/* The default policy, without privacy.raw. */
static int child_tokens(void)
{
	NC_REQUIRE_CHILD(received(PII));
	NC_REQUIRE_CHILD(has(seen, "<email:") && has(seen, "<phone:") && has(seen, " priv:hex"));
	NC_REQUIRE_CHILD(!has(seen, MAIL) && !has(seen, "alice") && !has(seen, "2671"));
	char first[512];
	nc_mem_copy(first, seen, seen_len + 1);
	NC_REQUIRE_CHILD(received(PII)); /* the same data, the same tokens within the process's session */
	NC_REQUIRE_CHILD(!nc_str_compare(first, seen));
	NC_REQUIRE_CHILD(ask(PRIV, PII) == NC_SYS_OK && echoed(PII));
	uint64_t n;
	NC_REQUIRE_CHILD(nc_sys_ai_invoke(PRIV, sizeof PRIV - 1, PII, sizeof PII - 1, text, sizeof text - 1, &n) ==
		   NC_SYS_OK);
	text[n] = 0;
	NC_REQUIRE_CHILD(echoed(PII));
	/* a stream goes through the kernel's relay: the same text as invoked */
	nc_ai_opts_t o;
	nc_ai_opts_default(&o, AT_TEXT, AT_PROMPT, sizeof AT_PROMPT - 1);
	o.temperature_milli = 0;
	o.max_tokens = 24;
	size_t len = 0;
	nc_sys_ai_stream_end_t end;
	NC_REQUIRE_CHILD(nc_ai_stream(&o, collect, &len, &end) == NC_SYS_OK);
	NC_REQUIRE_CHILD(end.kind == NC_SYS_AI_MSG_END && end.reason == NC_SYS_AI_END_LENGTH && end.n_tokens == 24);
	nc_sys_ai_request_t r;
	nc_ai_opts_request(&o, &r);
	NC_REQUIRE_CHILD(nc_sys_ai_invoke_params(&r, text, sizeof text, &n) == NC_SYS_OK);
	NC_REQUIRE_CHILD(n == len && n > 0 && !nc_mem_compare(text, seen, n));
	return 0;
}

/* privacy.raw on the model: the data passes as it is. */
static int child_raw(void)
{
	NC_REQUIRE_CHILD(received("mail " RAW_MAIL));
	NC_REQUIRE_CHILD(has(seen, RAW_MAIL) && !has(seen, "<email:"));
	return 0;
}

/* A keep-everything policy from a spawner holding privacy.raw. */
static int child_keep(void)
{
	NC_REQUIRE_CHILD(received("mail " KEEP_MAIL));
	NC_REQUIRE_CHILD(has(seen, KEEP_MAIL) && !has(seen, "<email:"));
	return 0;
}

static const uint8_t typed[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 };
static const uint8_t keep_all[] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const uint8_t carol[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5, 'C', 'a', 'r', 'o', 'l' };

static nc_sys_err_t spawn_policy(const char *name, const uint8_t *policy, uint64_t len)
{
	char arg[64];
	uint64_t pid;
	nc_fmt_format(arg, sizeof arg, "child:%s", name);
	nc_sys_spawn_spec_t s = { (uint64_t)"aitests", 7, (uint64_t)arg, nc_str_len(arg), 0, 0, 0, (uint64_t)policy,
				  len };
	return nc_sys_process_spawn_spec(&s, &pid);
}

/* Under "typed + Carol": the name is tokenized; this child cannot give
 * its own child a policy without Carol. */
static int child_names(void)
{
	NC_REQUIRE_CHILD(received("ask Carol about it"));
	NC_REQUIRE_CHILD(has(seen, "ask <name:") && !has(seen, "Carol"));
	NC_REQUIRE_CHILD(ask(PRIV, "ask Carol about it") == NC_SYS_OK && echoed("ask Carol about it"));
	NC_REQUIRE_CHILD(spawn_policy("privkeep", typed, sizeof typed) == NC_SYS_ERR_POLICY);
	NC_REQUIRE_CHILD(spawn_policy("privkeep", keep_all, sizeof keep_all) == NC_SYS_ERR_POLICY);
	return 0;
}

/* A full token table: LIMIT, and nothing sent; what is already in the
 * table, and text without personal data, still go. */
static int child_full(void)
{
	static char in[6000];
	nc_sys_err_t err = NC_SYS_OK;
	unsigned calls = 0, next = 0;
	for (; calls < 12 && !err; calls++) {
		size_t n = 0;
		for (int i = 0; i < 400; i++)
			n += nc_fmt_format(in + n, sizeof in - n, "u%05u@ex.org ", next++);
		err = ask(PRIV, in);
	}
	NC_REQUIRE_CHILD(err == NC_SYS_ERR_LIMIT && calls >= 3);
	NC_REQUIRE_CHILD(ask(PRIV, "u00000@ex.org again") == NC_SYS_OK && echoed("u00000@ex.org again"));
	NC_REQUIRE_CHILD(ask(PRIV, "no personal data") == NC_SYS_OK && echoed("no personal data"));
	NC_REQUIRE_CHILD(ask(PRIV, "new " MAIL) == NC_SYS_ERR_LIMIT);
	return 0;
}

const nc_test_child_t at_privacy_children[] = {
	{ "privtok", child_tokens },
	{ "privraw", child_raw },
	{ "privkeep", child_keep },
	{ "privnames", child_names },
	{ "privfull", child_full },
	{ NULL, NULL },
};

/* ---- the tests: each runs a child with the capabilities named ---- */

/* Run child name under policy[0..len) (len 0: aitests' own) with ai.invoke
 * on PRIV and also on extra (may be NULL), privacy.raw on PRIV if raw, and
 * process.spawn on aitests if spawn. */
static bool run(const char *name, const char *extra, bool raw, bool spawn, const uint8_t *policy,
		       uint64_t len)
{
	uint64_t hs[4], n = 0;
	bool ok = nc_cap_derive("ai.invoke", PRIV, &hs[n++]) == NC_SYS_OK;
	if (ok && extra)
		ok = nc_cap_derive("ai.invoke", extra, &hs[n++]) == NC_SYS_OK;
	if (ok && raw)
		ok = nc_cap_derive("privacy.raw", PRIV, &hs[n++]) == NC_SYS_OK;
	if (ok && spawn)
		ok = nc_cap_derive("process.spawn", "aitests", &hs[n++]) == NC_SYS_OK;
	if (!ok) {
		for (uint64_t i = 0; i + 1 < n; i++) /* the last one failed */
			nc_sys_handle_close(hs[i]);
		return NC_FAIL("cannot derive the capabilities of %s", name);
	}
	return at_run_child(name, hs, n, policy, len);
}

static bool t_tokens(void) { return run("privtok", AT_TEXT, false, false, NULL, 0); }
static bool t_raw(void) { return run("privraw", NULL, true, false, NULL, 0); }
static bool t_keep(void) { return run("privkeep", NULL, false, false, keep_all, sizeof keep_all); }
static bool t_names(void) { return run("privnames", NULL, false, true, carol, sizeof carol); }
static bool t_full(void) { return run("privfull", NULL, false, false, NULL, 0); }

const nc_test_case_t at_privacy_tests[] = {
	{ "privacy_provider_sees_tokens_caller_gets_data", t_tokens },
	{ "privacy_raw_passes_data", t_raw },
	{ "privacy_keep_policy_from_raw_spawner", t_keep },
	{ "privacy_names_and_no_weaker_child", t_names },
	{ "privacy_full_table_is_limit", t_full },
	{ NULL, NULL },
};
