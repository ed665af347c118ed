/* usertests: the runner (see usertests.h). */
#include "usertests.h"
#include "ut_sys.h"
#include <nc/fmt.h>
#include <nc/mem.h>

static const ut_test_t *const tables[] = { ut_fault_tests, ut_proc_tests, ut_heap_tests, ut_smp_tests, ut_abi_tests,
					    ut_handle_tests, ut_fs_tests, ut_io_tests, ut_cap_tests,
					    ut_ipc_tests, ut_ipc_short_tests, ut_jobctl_tests, ut_stdin_tests,
					    ut_shm_tests, ut_service_tests, ut_driver_tests, ut_blk_tests, ut_net_tests,
					    ut_netsvc_tests, ut_netsvc_driver_tests, ut_netqemu_tests, ut_fuzz_tests, ut_tee_tests,
					    ut_display_tests, ut_disk_tests,
					    ut_quota_tests, ut_mem_tests, ut_token_tests, ut_privacy_tests };
static const ut_child_t *const child_tables[] = { ut_fault_children, ut_proc_children, ut_heap_children, ut_smp_children,
						  ut_abi_children, ut_io_children, ut_cap_children,
						  ut_ipc_children, ut_ipc_short_children, ut_jobctl_children,
						  ut_stdin_children, ut_shm_children, ut_service_children,
						  ut_driver_children, ut_blk_children, ut_net_children,
						  ut_fuzz_children, ut_tee_children, ut_display_children, ut_disk_children,
						  ut_quota_children, ut_token_children, ut_privacy_children };

static const char child_prefix[] = "child:";
static const char only_prefix[] = "only:";
static const char skip_prefix[] = "skip:";

bool ut_run_child(const char *name, uint64_t *status, char *why, size_t why_len)
{
	return ut_spawn_with(name, NULL, NC_SYS_SPAWN_INHERIT, status, why, why_len);
}

uint64_t ut_fault_status(unsigned vector)
{
	return NC_SYS_EXIT_KILLED | NC_SYS_EXIT_FAULT | (uint64_t)vector << 40;
}

uint64_t ut_cpu_count(void)
{
	uint64_t n = 0;
	nc_sys_system_info(NC_SYS_INFO_CPU_COUNT, &n);
	return n;
}

static int run_child(const char *name)
{
	for (size_t t = 0; t < sizeof child_tables / sizeof child_tables[0]; t++)
		for (const ut_child_t *c = child_tables[t]; c->name; c++)
			if (nc_str_compare(c->name, name) == 0)
				return c->fn();
	nc_print("usertests: no child body %s\n", name);
	return 127;
}

/* Whether name starts with one of the comma-separated prefixes of list (the
 * lists of only: and skip:). */
static bool matches_any(const char *name, const char *list)
{
	while (list && *list) {
		size_t n = 0;
		while (list[n] && list[n] != ',')
			n++;
		if (n && nc_str_len_max(name, n) == n && nc_mem_compare(name, list, n) == 0)
			return true;
		list += n + (list[n] == ',');
	}
	return false;
}

int main(const char *arg, size_t arg_len)
{
	if (nc_str_starts_with(arg, child_prefix))
		return run_child(arg + sizeof child_prefix - 1);
	/* "only:P1,P2" runs the tests whose names start with one of the prefixes,
	 * "skip:P1,P2" all the others (the test image runs the fairness test and
	 * the driver tests in boots of their own) */
	const char *only = nc_str_starts_with(arg, only_prefix) ? arg + sizeof only_prefix - 1 : NULL;
	const char *skip = nc_str_starts_with(arg, skip_prefix) ? arg + sizeof skip_prefix - 1 : NULL;
	int failed = 0, passed = 0;
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const ut_test_t *u = tables[t]; u->name; u++) {
			if ((only && !matches_any(u->name, only)) || matches_any(u->name, skip))
				continue;
			char why[256] = "";
			if (u->fn(why, sizeof why)) {
				nc_print("PASS usertests.%s\n", u->name);
				passed++;
			} else {
				nc_print("FAIL usertests.%s: %s\n", u->name, why);
				failed++;
			}
		}
	nc_print("# usertests: %d passed, %d failed\n", passed, failed);
	return failed;
}
