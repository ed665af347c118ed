/* Helpers for the ABI tests (see ut_sys.h). */
#include "ut_sys.h"

static const char self[] = "usertests";

nc_sys_err_t ut_spawn_child(const char *name, const uint64_t *handles, uint64_t n, uint64_t *pid)
{
	char arg[64];
	size_t len = nc_fmt_format(arg, sizeof arg, "child:%s", name);
	uint64_t limit = 0, used = 0;
	nc_sys_system_info(NC_SYS_INFO_QUOTA_BYTES, &limit);
	nc_sys_system_info(NC_SYS_INFO_QUOTA_USED_BYTES, &used);
	nc_sys_spawn_spec_t s = { (uint64_t)self, sizeof self - 1, (uint64_t)arg, len, (uint64_t)handles, n,
				  (limit - used) / 2, 0, 0 };
	return nc_sys_process_spawn_spec(&s, pid);
}

bool ut_spawn_with(const char *name, const uint64_t *handles, uint64_t n, uint64_t *status)
{
	uint64_t pid, reaped;
	nc_sys_err_t err = ut_spawn_child(name, handles, n, &pid);
	if (err)
		return NC_FAIL("spawn %s: %s", name, nc_sys_err_name(err));
	err = nc_sys_process_wait(pid, status, NC_SYS_TIMEOUT_INFINITE, &reaped);
	if (err || reaped != pid)
		return NC_FAIL("wait %s: %s", name, nc_sys_err_name(err));
	return true;
}

bool ut_child_ok(const char *name, const uint64_t *handles, uint64_t n)
{
	uint64_t st;
	if (!ut_spawn_with(name, handles, n, &st))
		return false;
	return st == 0 ? true : NC_FAIL("child %s failed at line %llu", name, (unsigned long long)st);
}

/* The caller's handles, in info[0..*n); false when HandleList fails. */
static nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];

static bool list_handles(uint64_t *n)
{
	if (nc_sys_handle_list(0, info, NC_SYS_HANDLES_MAX, n))
		return false;
	if (*n > NC_SYS_HANDLES_MAX)
		*n = NC_SYS_HANDLES_MAX;
	return true;
}

uint64_t ut_find_handle(uint64_t type, const char *action)
{
	uint64_t n;
	if (!list_handles(&n))
		return 0;
	for (uint64_t i = 0; i < n; i++)
		if (info[i].type == type && !info[i].state &&
		    (!action || nc_str_compare(info[i].action, action) == 0))
			return info[i].handle;
	return 0;
}

bool ut_handle_info(uint64_t h, nc_sys_handle_info_t *out)
{
	uint64_t n;
	if (!list_handles(&n))
		return false;
	for (uint64_t i = 0; i < n; i++)
		if (info[i].handle == h) {
			*out = info[i];
			return true;
		}
	return false;
}

nc_sys_err_t ut_attenuate(const char *parent_action, const char *action, const char *scope,
			  uint64_t rights, uint64_t lifetime_ns, uint64_t *h)
{
	uint64_t parent = ut_find_handle(NC_SYS_HANDLE_CAP, parent_action);
	nc_sys_cap_spec_t s = { (uint64_t)action, nc_str_len(action), (uint64_t)scope,
				nc_str_len(scope), rights, lifetime_ns };
	return nc_sys_cap_attenuate(parent, &s, h);
}

uint64_t ut_raw_syscall(uint64_t num, uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t r0 __asm__("rdi") = a0;
	register uint64_t r1 __asm__("rsi") = a1;
	register uint64_t r2 __asm__("rdx") = a2;
	__asm__ volatile("syscall" : "+a"(num), "+d"(r2) : "r"(r0), "r"(r1) : "rcx", "r11", "memory");
	return num;
}
