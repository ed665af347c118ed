/* Process system calls: Exit, ProcessSpawn, ProcessWait, ProcessKill
 * (docs/abi.md). Every argument is checked before anything changes. */
#include <kernel/process.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>

nc_sys_err_t sys_exit(uint64_t code)
{
	process_exit(code & NC_SYS_EXIT_CODE_MASK);
}

nc_sys_err_t sys_process_spawn(uint64_t path, uint64_t path_len, uint64_t arg, uint64_t arg_len,
			       uint64_t *pid_out)
{
	char kpath[NC_SYS_PATH_MAX + 1], karg[NC_SYS_ARG_MAX + 1];
	if (path_len == 0 || path_len > NC_SYS_PATH_MAX || arg_len > NC_SYS_ARG_MAX)
		return NC_SYS_ERR_INVALID;
	if (copy_from_user(kpath, path, path_len) || copy_from_user(karg, arg, arg_len))
		return NC_SYS_ERR_BAD_ADDRESS;
	kpath[path_len] = 0;
	karg[arg_len] = 0;
	process_t *child;
	nc_sys_err_t err = process_spawn(thread_current()->proc, kpath, karg, arg_len, &child);
	if (err == NC_SYS_OK)
		*pid_out = child->pid;
	return err;
}

nc_sys_err_t sys_process_wait(uint64_t pid, uint64_t status, uint64_t *pid_out)
{
	if (pid > UINT32_MAX)
		return NC_SYS_ERR_NO_CHILD;
	uint64_t probe = 0;
	if (copy_from_user(&probe, status, sizeof probe) || copy_to_user(status, &probe, sizeof probe))
		return NC_SYS_ERR_BAD_ADDRESS;
	uint32_t reaped;
	uint64_t st;
	nc_sys_err_t err = process_wait(thread_current()->proc, (uint32_t)pid, &reaped, &st);
	if (err)
		return err;
	*pid_out = reaped;
	/* checked writable above; a sibling thread may have unmapped it since */
	return copy_to_user(status, &st, sizeof st) ? NC_SYS_ERR_BAD_ADDRESS : NC_SYS_OK;
}

nc_sys_err_t sys_process_kill(uint64_t pid)
{
	if (pid == 0 || pid > UINT32_MAX)
		return NC_SYS_ERR_NO_CHILD;
	return process_kill(thread_current()->proc, (uint32_t)pid);
}
