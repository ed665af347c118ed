/* The provider router's tests (docs/ai-service.md "The provider router").
 * ai_qemu_test.sh starts the service with four test providers
 * (tests/user/ai/testprov.c, each answering "[NAME #K] INPUT"):
 *
 *   peer-b  tier 2  test-echo    named first, yet tried after peer-a
 *   peer-a  tier 1  test-echo
 *   mesh    tier 2  test-mesh
 *   cloud   tier 3  test-cloud
 *
 * each with a 400 ms timeout; a circuit opens after 3 failures in a row for
 * 500 ms. The input tells a provider to misbehave ("peer-a:fail" ...). */
#include "aitests.h"

#include <nc/fmt.h>

#define ECHO "test-echo"
#define MS (1000ull * 1000)
#define COOLDOWN_WAIT_NS (800 * MS)
#define SLOW_WAIT_NS (2500 * MS)

static char text[512];
static uint64_t text_len;

/* AiInvokeParams on model with input (deadline 0: none) into text. */
static nc_sys_err_t ask(const char *model, const char *input, bool cloud, uint64_t deadline_ns)
{
	nc_ai_opts_t o;
	nc_sys_ai_request_t r;
	nc_ai_opts_default(&o, model, input, nc_str_len(input));
	o.cloud = cloud;
	o.deadline_ns = deadline_ns;
	nc_ai_opts_request(&o, &r);
	text_len = 0;
	nc_sys_err_t err = nc_sys_ai_invoke_params(&r, text, sizeof text - 1, &text_len);
	text[err ? 0 : text_len] = 0;
	return err;
}

/* Did provider name answer input, as its request number k (0: any)? */
static bool answered_by(const char *name, uint64_t k, const char *input)
{
	char want[512];
	size_t n = k ? nc_fmt_format(want, sizeof want, "[%s #%llu] %s", name, (unsigned long long)k, input)
		     : nc_fmt_format(want, sizeof want, "[%s #", name);
	bool ok = k ? text_len == n && !nc_mem_compare(text, want, n)
		    : text_len >= n && !nc_mem_compare(text, want, n) && text_len > nc_str_len(input) &&
			      !nc_mem_compare(text + text_len - nc_str_len(input), input, nc_str_len(input));
	return ok || NC_FAIL("got \"%s\", want %s's answer (#%llu) to \"%s\"", text, name,
				   (unsigned long long)k, input);
}

#define AT_FROM(name, k, input)                                           \
	do {                                                              \
		NC_EXPECT_SYS(ask(ECHO, input, false, 0), NC_SYS_OK);        \
		if (!answered_by(name, k, input))                         \
			return false;                                     \
	} while (0)

/* peer-a first (lowest tier); its failures go to peer-b; three in a row open
 * its circuit (it hears nothing until the cooldown), then one probe closes it. */
static bool t_failover_and_breaker(void)
{
	AT_FROM("peer-a", 1, "hello");
	AT_FROM("peer-b", 1, "peer-a:fail one");
	AT_FROM("peer-b", 2, "peer-a:fail two");
	AT_FROM("peer-b", 3, "peer-a:fail three");
	AT_FROM("peer-b", 4, "while open"); /* peer-a's circuit is open */
	AT_FROM("peer-b", 5, "still open");
	nc_sys_sleep(COOLDOWN_WAIT_NS);
	AT_FROM("peer-a", 5, "probe"); /* #5: it heard nothing while open */
	AT_FROM("peer-a", 6, "closed again");
	return true;
}

/* A slow provider times out and the next one answers; its late answer is
 * dropped (the next request gets its own answer). Garbage, an unknown message
 * and a crash are failures too; the provider is started again (#1). */
static bool t_timeout_garbage_crash(void)
{
	AT_FROM("peer-b", 0, "peer-a:slow late");
	nc_sys_sleep(SLOW_WAIT_NS);
	AT_FROM("peer-a", 0, "after the late answer");
	AT_FROM("peer-b", 0, "peer-a:garbage g");
	AT_FROM("peer-a", 1, "restarted after garbage");
	AT_FROM("peer-b", 0, "peer-a:junk j");
	AT_FROM("peer-a", 1, "restarted after junk");
	AT_FROM("peer-b", 0, "peer-a:crash c");
	AT_FROM("peer-a", 1, "restarted after a crash");
	return true;
}

/* Every provider failing: UNAVAILABLE; the request's deadline: TIMED_OUT. */
static bool t_all_fail_and_deadline(void)
{
	NC_EXPECT_SYS(ask(ECHO, "peer-a:fail peer-b:fail", false, 0), NC_SYS_ERR_UNAVAILABLE);
	NC_EXPECT_SYS(ask(ECHO, "peer-a:crash peer-b:garbage", false, 0), NC_SYS_ERR_UNAVAILABLE);
	NC_EXPECT_SYS(ask(ECHO, "peer-a:slow", false, nc_clock_ns() + 150 * MS), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(ask(ECHO, "x", false, 1), NC_SYS_ERR_TIMED_OUT); /* long past */
	nc_sys_sleep(SLOW_WAIT_NS);
	AT_FROM("peer-a", 0, "well again");
	AT_FROM("peer-b", 0, "peer-a:fail and peer-b too");
	return true;
}

/* Tier 2 serves; tier 3 only with consent (the kernel adds ai.cloud, which
 * aitests holds); providers serve generation only. */
static bool t_tiers_and_consent(void)
{
	NC_EXPECT_SYS(ask("test-mesh", "m", false, 0), NC_SYS_OK);
	if (!answered_by("mesh", 1, "m"))
		return false;
	NC_EXPECT_SYS(ask("test-cloud", "c", false, 0), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(ask("test-cloud", "c", true, 0), NC_SYS_OK);
	if (!answered_by("cloud", 1, "c"))
		return false;
	uint64_t n, ends[2];
	NC_EXPECT_SYS(nc_sys_ai_invoke(ECHO, sizeof ECHO - 1, "v1", 2, text, 6, &n), NC_SYS_OK);
	NC_REQUIRE(n <= 6 && !nc_mem_compare(text, "[peer-", n)); /* cut to what the caller takes */
	NC_EXPECT_SYS(nc_sys_ai_embed(ECHO, sizeof ECHO - 1, "x", 1, (double *)(void *)text, 8, &n),
		  NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(ends), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ai_stream(ECHO, sizeof ECHO - 1, "x", 1, ends[0], &n), NC_SYS_ERR_NOT_FOUND);
	nc_sys_handle_close(ends[0]);
	nc_sys_handle_close(ends[1]);
	NC_EXPECT_SYS(ask("test-none", "x", true, 0), NC_SYS_ERR_NOT_FOUND);
	return true;
}

const nc_test_case_t at_router_tests[] = {
	{ "router_failover_and_breaker", t_failover_and_breaker },
	{ "router_timeout_garbage_crash", t_timeout_garbage_crash },
	{ "router_all_fail_and_deadline", t_all_fail_and_deadline },
	{ "router_tiers_and_consent", t_tiers_and_consent },
	{ NULL, NULL },
};
