/* Helpers shared by the ABI tests (abi_tests.c, handle_tests.c, fs_tests.c,
 * io_tests.c, cap_tests.c, ipc_tests.c, ipc_short_tests.c, jobctl_tests.c,
 * stdin_tests.c, service_tests.c, svc_memfs.c, net_tests.c, svc_netfake.c, fuzz_tests.c,
 * tee_tests.c, quota_tests.c, mem_tests.c, token_tests.c, privacy_tests.c, inbox_tests.c). */
#ifndef TESTS_USER_UT_SYS_H
#define TESTS_USER_UT_SYS_H

#include "usertests.h"
#include <nc/fmt.h>
#include <nc/mem.h>

#define UT_KERNEL_ADDR 0xffffffff80000000ull  /* kernel text: never user memory */
#define UT_UNMAPPED_ADDR 0x10ull              /* user half, never mapped */

/* The in-memory file system service of svc_memfs.c (a child body). */
int ut_svc_memfs_main(void);
/* The fake network service of svc_netfake.c (a child body). */
int ut_svc_netfake_main(void);

/* Spawn usertests running child body name with handles[0..n) (as
 * ut_spawn_with) without waiting; *pid gets the child. The child gets a
 * memory quota of its own, half of what the caller has left, so what it
 * measures of its quota is its own doing (a shared quota also changes
 * when another process sharing it frees memory, as an ending one does). */
nc_sys_err_t ut_spawn_child(const char *name, const uint64_t *handles, uint64_t n, uint64_t *pid);
/* Spawn usertests running child body name with exactly handles[0..n) (values
 * 1..n in the child; n NC_SYS_SPAWN_INHERIT: every transferable handle) and
 * wait for it; *status gets the wait status. */
bool ut_spawn_with(const char *name, const uint64_t *handles, uint64_t n, uint64_t *status);
/* ut_spawn_with, then the child must have exited with status 0. */
bool ut_child_ok(const char *name, const uint64_t *handles, uint64_t n);
/* The value of the caller's first handle of type (0: none). */
uint64_t ut_find_handle(uint64_t type, const char *action);
/* Derive a capability from the caller's first capability covering action:
 * action/scope given, rights, lifetime_ns (0: the parent's). */
nc_sys_err_t ut_attenuate(const char *parent_action, const char *action, const char *scope,
			  uint64_t rights, uint64_t lifetime_ns, uint64_t *h);
/* *out gets the HandleList entry of handle h of the caller; false if none. */
bool ut_handle_info(uint64_t h, nc_sys_handle_info_t *out);
/* A raw system call with any number (for unknown numbers). */
uint64_t ut_raw_syscall(uint64_t num, uint64_t a0, uint64_t a1, uint64_t a2);

extern const nc_test_case_t ut_abi_tests[], ut_handle_tests[], ut_fs_tests[], ut_io_tests[],
	ut_cap_tests[], ut_ipc_tests[], ut_ipc_short_tests[], ut_jobctl_tests[], ut_stdin_tests[],
	ut_shm_tests[], ut_service_tests[], ut_driver_tests[], ut_blk_tests[], ut_net_tests[], ut_netsvc_tests[], ut_netsvc_bulk_tests[],
	ut_netsvc_driver_tests[], ut_netqemu_tests[], ut_fuzz_tests[], ut_tee_tests[], ut_disk_tests[], ut_display_tests[],
	ut_quota_tests[], ut_mem_tests[], ut_token_tests[], ut_privacy_tests[], ut_inbox_tests[];
extern const nc_test_child_t ut_abi_children[], ut_io_children[], ut_cap_children[], ut_ipc_children[],
	ut_ipc_short_children[], ut_jobctl_children[], ut_stdin_children[], ut_shm_children[],
	ut_service_children[], ut_driver_children[], ut_blk_children[], ut_net_children[], ut_netqemu_children[], ut_netsvc_bulk_children[],
	ut_fuzz_children[], ut_tee_children[], ut_display_children[], ut_disk_children[], ut_quota_children[],
	ut_token_children[], ut_privacy_children[];

#endif
