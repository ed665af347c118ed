/* usertests: the runner (see usertests.h). */
#include "usertests.h"
#include "ut_sys.h"
#include <nc/fmt.h>
#include <nc/mem.h>

static const nc_test_case_t *const tables[] = { ut_fault_tests, ut_proc_tests, ut_heap_tests, ut_smp_tests, ut_abi_tests,
					    ut_handle_tests, ut_fs_tests, ut_io_tests, ut_cap_tests,
					    ut_ipc_tests, ut_ipc_short_tests, ut_inbox_tests, ut_jobctl_tests, ut_stdin_tests,
					    ut_shm_tests, ut_service_tests, ut_driver_tests, ut_blk_tests, ut_net_tests,
					    ut_netsvc_tests, ut_netsvc_bulk_tests, ut_netsvc_driver_tests, ut_netqemu_tests, ut_fuzz_tests, ut_tee_tests,
					    ut_display_tests, ut_disk_tests,
					    ut_quota_tests, ut_mem_tests, ut_token_tests, ut_privacy_tests };
static const nc_test_child_t *const child_tables[] = { ut_fault_children, ut_proc_children, ut_heap_children, ut_smp_children,
						  ut_abi_children, ut_io_children, ut_cap_children,
						  ut_ipc_children, ut_ipc_short_children, ut_jobctl_children,
						  ut_stdin_children, ut_shm_children, ut_service_children,
						  ut_driver_children, ut_blk_children, ut_net_children, ut_netqemu_children, ut_netsvc_bulk_children,
						  ut_fuzz_children, ut_tee_children, ut_display_children, ut_disk_children,
						  ut_quota_children, ut_token_children, ut_privacy_children };

static const char only_prefix[] = "only:";
static const char skip_prefix[] = "skip:";

bool ut_run_child(const char *name, uint64_t *status)
{
	return ut_spawn_with(name, NULL, NC_SYS_SPAWN_INHERIT, status);
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

int main(const char *arg, size_t arg_len)
{
	const char *child = nc_test_child_name(arg, arg_len);
	if (child)
		return nc_test_run_child(child_tables, sizeof child_tables / sizeof child_tables[0], child);
	/* "only:P1,P2" runs the tests whose names start with one of the prefixes,
	 * "skip:P1,P2" all the others (the test image runs the fairness test and
	 * the driver tests in boots of their own) */
	nc_test_plan_t plan = {
		nc_str_starts_with(arg, only_prefix) ? arg + sizeof only_prefix - 1 : NULL,
		nc_str_starts_with(arg, skip_prefix) ? arg + sizeof skip_prefix - 1 : NULL,
		NULL,
	};
	return nc_test_run_cases("usertests", tables, sizeof tables / sizeof tables[0], &plan);
}
