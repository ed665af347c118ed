/* ProcessSpawnSpec's tokenization policy (issue 20 item 3, docs/privacy.md):
 * errors, the spawn rule (a child's policy covers its spawner's unless the
 * spawner holds privacy.raw; a process cannot weaken its own, nor hand a
 * weaker one down) and inheritance. The policies are PrivacyPolicy values in
 * postcard written out by hand from the format docs/privacy.md gives
 * (version, the eight actions email phone card iban ipv4 ipv6 dob name:
 * 0 keep, 1 typed, 2 format; the names), not made by lib/privacy's encoder.
 * What a policy does to an Ai* call: aitests (tests/user/ai/ai_privacy.c). */
#include "ut_sys.h"

static const char self[] = "usertests", exit_42[] = "child:exit_42";

#define TYPED8 1, 1, 1, 1, 1, 1, 1, 1
static const uint8_t typed[] = { 1, TYPED8, 0 }; /* the default policy */
static const uint8_t keep_all[] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const uint8_t carol[] = { 1, TYPED8, 1, 5, 'C', 'a', 'r', 'o', 'l' };
static const uint8_t carol_dave[] = { 1, TYPED8, 2, 5, 'C', 'a', 'r', 'o', 'l', 4, 'D', 'a', 'v', 'e' };
static const uint8_t carol_phone_format[] = { 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 5, 'C', 'a', 'r', 'o', 'l' };

/* ProcessSpawnSpec of usertests with arg, handles[0..n) and the policy
 * bytes [0..len) at policy. */
static nc_sys_err_t spawn_policy(const char *arg, const uint64_t *handles, uint64_t n, const void *policy,
				 uint64_t len, uint64_t *pid)
{
	nc_sys_spawn_spec_t s = { (uint64_t)self, sizeof self - 1, (uint64_t)arg, nc_str_len(arg), (uint64_t)handles,
				  n, 0, (uint64_t)policy, len };
	return nc_sys_process_spawn_spec(&s, pid);
}

/* Spawn exit_42 under the policy; OK only when it started and ended with 42. */
static nc_sys_err_t run_42(const void *policy, uint64_t len)
{
	uint64_t pid, status = 0, reaped;
	nc_sys_err_t err = spawn_policy(exit_42, NULL, 0, policy, len, &pid);
	if (err)
		return err;
	nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped);
	return status == 42 ? NC_SYS_OK : NC_SYS_ERR_IO_ERROR;
}

/* Bad policies are INVALID whoever spawns; usertests holds privacy.raw
 * (init's root set), so even keep-everything is allowed here. */
static bool t_spawn_policy_errors(void)
{
	static const uint8_t bad_version[] = { 2, TYPED8, 0 };
	static const uint8_t bad_action[] = { 1, 3, 1, 1, 1, 1, 1, 1, 1, 0 };
	static const uint8_t email_format[] = { 1, 2, 1, 1, 1, 1, 1, 1, 1, 0 }; /* no format-preserving e-mail */
	static const uint8_t trailing[] = { 1, TYPED8, 0, 0 };
	static const uint8_t short_names[] = { 1, TYPED8, 2, 5, 'C', 'a', 'r', 'o', 'l' };
	static const uint8_t empty_name[] = { 1, TYPED8, 1, 0 };
	static uint8_t huge[NC_SYS_PRIVACY_POLICY_MAX_BYTES + 1];
	NC_EXPECT_SYS(run_42(bad_version, sizeof bad_version), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(run_42(bad_action, sizeof bad_action), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(run_42(email_format, sizeof email_format), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(run_42(trailing, sizeof trailing), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(run_42(short_names, sizeof short_names), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(run_42(empty_name, sizeof empty_name), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(run_42(typed, 1), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(run_42(huge, sizeof huge), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(run_42((void *)UT_KERNEL_ADDR, sizeof typed), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(run_42((void *)0x10, sizeof typed), NC_SYS_ERR_BAD_ADDRESS);
	/* a policy that is fine: started; the pointer is not read for length 0 */
	NC_EXPECT_SYS(run_42(typed, sizeof typed), NC_SYS_OK);
	NC_EXPECT_SYS(run_42(carol, sizeof carol), NC_SYS_OK);
	NC_EXPECT_SYS(run_42((void *)UT_KERNEL_ADDR, 0), NC_SYS_OK);
	NC_EXPECT_SYS(run_42(keep_all, sizeof keep_all), NC_SYS_OK);
	return true;
}

/* Run child body name under policy with process.spawn on usertests and, if
 * raw, privacy.raw; it must exit 0. */
static bool run_under(const char *name, const void *policy, uint64_t len, bool raw)
{
	uint64_t hs[2], n = 0, pid, status = 1, reaped;
	char arg[48];
	nc_fmt_format(arg, sizeof arg, "child:%s", name);
	NC_EXPECT_SYS(nc_cap_derive("process.spawn", self, &hs[n++]), NC_SYS_OK);
	if (raw)
		NC_EXPECT_SYS(nc_cap_derive("privacy.raw", "*", &hs[n++]), NC_SYS_OK);
	nc_sys_err_t err = spawn_policy(arg, hs, n, policy, len, &pid);
	for (uint64_t i = 0; i < n; i++)
		nc_sys_handle_close(hs[i]);
	NC_EXPECT_SYS(err, NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	if (status)
		return NC_FAIL("child %s failed at line %llu", name, (unsigned long long)status);
	return true;
}

/* A child under "typed + Carol" without privacy.raw: a policy without
 * Carol, one that keeps anything, or one with the phone format-preserving
 * instead of typed is weaker: POLICY. Its own (length 0, or ProcessSpawn)
 * and stronger ones are fine, and a grandchild under its own policy is
 * bound by it the same way. */
static int child_no_raw(void)
{
	NC_EXPECT_CHILD(run_42(typed, sizeof typed), NC_SYS_ERR_POLICY);
	NC_EXPECT_CHILD(run_42(keep_all, sizeof keep_all), NC_SYS_ERR_POLICY);
	NC_EXPECT_CHILD(run_42(carol_phone_format, sizeof carol_phone_format), NC_SYS_ERR_POLICY);
	NC_EXPECT_CHILD(run_42(NULL, 0), NC_SYS_OK);
	NC_EXPECT_CHILD(run_42(carol, sizeof carol), NC_SYS_OK);
	NC_EXPECT_CHILD(run_42(carol_dave, sizeof carol_dave), NC_SYS_OK);
	uint64_t pid, status = 0, reaped;
	NC_EXPECT_CHILD(nc_sys_process_spawn(self, sizeof self - 1, exit_42, sizeof exit_42 - 1, NULL, 0, &pid),
			NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	NC_EXPECT_CHILD(status, 42);
	return 0;
}

/* The same child holding privacy.raw may hand out anything. */
static int child_raw(void)
{
	NC_EXPECT_CHILD(run_42(typed, sizeof typed), NC_SYS_OK);
	NC_EXPECT_CHILD(run_42(keep_all, sizeof keep_all), NC_SYS_OK);
	NC_EXPECT_CHILD(run_42(carol_phone_format, sizeof carol_phone_format), NC_SYS_OK);
	return 0;
}

static bool t_child_cannot_weaken(void)
{
	return run_under("privacy_no_raw", carol, sizeof carol, false);
}

static bool t_raw_may_weaken(void)
{
	return run_under("privacy_raw", carol, sizeof carol, true);
}

const nc_test_case_t ut_privacy_tests[] = {
	{ "privacy.spawn_policy_errors", t_spawn_policy_errors },
	{ "privacy.child_cannot_weaken_its_policy", t_child_cannot_weaken },
	{ "privacy.raw_holder_may_weaken", t_raw_may_weaken },
	{ NULL, NULL },
};

const nc_test_child_t ut_privacy_children[] = {
	{ "privacy_no_raw", child_no_raw },
	{ "privacy_raw", child_raw },
	{ NULL, NULL },
};
