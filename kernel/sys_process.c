/* Process system calls: Exit, ProcessSpawn, ProcessSpawnSpec, ProcessWait,
 * ProcessKill, ProcessSuspend, ProcessResume, ProcessQuota (docs/abi.md).
 * Every argument is checked before anything changes. */
#include <kernel/clock.h>
#include <kernel/handle.h>
#include <kernel/cap.h>
#include <kernel/privacy.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>

nc_sys_err_t sys_exit(uint64_t code)
{
	process_exit(code & NC_SYS_EXIT_CODE_MASK);
}

/* The child's table: copies of the listed handles (each needs
 * RIGHT_TRANSFER), or of every transferable handle for SPAWN_INHERIT. */
static nc_sys_err_t child_handles(const uint64_t *hs, uint64_t n, handle_table_t **out)
{
	handle_table_t *own = handle_table_current(), *ht = handle_table_create();
	if (!ht)
		return NC_SYS_ERR_NO_MEMORY;
	nc_sys_err_t err = NC_SYS_OK;
	if (n == NC_SYS_SPAWN_INHERIT) {
		for (uint32_t i = 0; i < NC_SYS_HANDLES_MAX && !err; i++) {
			handle_ref_t r;
			uint64_t h, nh;
			if (!handle_slot_ref(own, i, &r, &h))
				continue;
			if (r.rights & NC_SYS_RIGHT_TRANSFER)
				err = handle_install_ref(ht, &r, &nh);
			handle_put(&r);
		}
	} else {
		for (uint64_t i = 0; i < n && !err; i++) {
			handle_ref_t r;
			uint64_t nh;
			err = handle_get(own, hs[i], 0, NC_SYS_RIGHT_TRANSFER, &r);
			if (!err) {
				err = handle_install_ref(ht, &r, &nh);
				handle_put(&r);
			}
		}
	}
	if (err) {
		handle_table_destroy(ht);
		return err;
	}
	*out = ht;
	return NC_SYS_OK;
}

/* ProcessSpawn and ProcessSpawnSpec: the checks (process.spawn's scope
 * must cover the program's name, the initrd path), the copies in, the
 * child's tokenization policy (kpolicy_for_child: policy_len 0 inherits the
 * caller's), the child's handle table, then process_spawn with quota_bytes. A caller
 * without fs.read on the program learns no more than fs.read would tell
 * it: a file that is not a program gives NOT_FOUND, as a missing one. */
static nc_sys_err_t spawn(uint64_t path, uint64_t path_len, uint64_t arg, uint64_t arg_len, uint64_t handles,
			  uint64_t n_handles, uint64_t quota_bytes, uint64_t policy, uint64_t policy_len,
			  uint64_t *pid_out)
{
	char kpath[NC_SYS_PATH_MAX + 1], karg[NC_SYS_ARG_MAX + 1];
	uint64_t hs[NC_SYS_SPAWN_HANDLES_MAX];
	if (path_len == 0 || path_len > NC_SYS_PATH_MAX || arg_len > NC_SYS_ARG_MAX ||
	    (n_handles > NC_SYS_SPAWN_HANDLES_MAX && n_handles != NC_SYS_SPAWN_INHERIT))
		return NC_SYS_ERR_INVALID;
	if (copy_from_user(kpath, path, path_len) || copy_from_user(karg, arg, arg_len) ||
	    (n_handles != NC_SYS_SPAWN_INHERIT && copy_from_user(hs, handles, n_handles * sizeof hs[0])))
		return NC_SYS_ERR_BAD_ADDRESS;
	kpath[path_len] = 0;
	karg[arg_len] = 0;
	if (cap_check("process.spawn", kpath, path_len))
		return NC_SYS_ERR_DENIED;
	kpolicy_t *kp;
	nc_sys_err_t err = kpolicy_for_child(policy, policy_len, &kp);
	if (err)
		return err;
	handle_table_t *ht;
	err = child_handles(hs, n_handles, &ht);
	if (err) {
		kpolicy_put(kp);
		return err;
	}
	process_t *child;
	err = process_spawn(thread_current()->proc, kpath, karg, arg_len, ht, quota_bytes, kp, &child);
	if (err == NC_SYS_ERR_BAD_EXECUTABLE && cap_check_initrd_read(kpath, path_len))
		err = NC_SYS_ERR_NOT_FOUND; /* a file that is no program: only fs.read may tell */
	if (err == NC_SYS_OK)
		*pid_out = child->pid;
	return err;
}

nc_sys_err_t sys_process_spawn(uint64_t path, uint64_t path_len, uint64_t arg, uint64_t arg_len,
			       uint64_t handles, uint64_t n_handles, uint64_t *pid_out)
{
	return spawn(path, path_len, arg, arg_len, handles, n_handles, 0, 0, 0, pid_out);
}

nc_sys_err_t sys_process_spawn_spec(uint64_t spec, uint64_t *pid_out)
{
	nc_sys_spawn_spec_t s;
	if (copy_from_user(&s, spec, sizeof s))
		return NC_SYS_ERR_BAD_ADDRESS;
	return spawn(s.path, s.path_len, s.arg, s.arg_len, s.handles, s.n_handles, s.quota_bytes, s.privacy_policy,
		     s.privacy_policy_len, pid_out);
}

nc_sys_err_t sys_process_wait(uint64_t pid, uint64_t status, uint64_t timeout_ns, uint64_t *pid_out)
{
	if (pid > UINT32_MAX)
		return NC_SYS_ERR_NO_CHILD;
	uint64_t probe = 0;
	if (copy_from_user(&probe, status, sizeof probe) || copy_to_user(status, &probe, sizeof probe))
		return NC_SYS_ERR_BAD_ADDRESS;
	uint32_t reaped;
	uint64_t st;
	nc_sys_err_t err = process_wait_until(thread_current()->proc, (uint32_t)pid,
					      clock_deadline_after(timeout_ns), &reaped, &st);
	if (err)
		return err;
	*pid_out = reaped;
	/* checked writable above; a sibling thread may have unmapped it since */
	return copy_to_user(status, &st, sizeof st) ? NC_SYS_ERR_BAD_ADDRESS : NC_SYS_OK;
}

/* pid as the process calls take it: 0 (which names no child: NO_CHILD) when
 * it does not fit a pid. */
static uint32_t child_pid(uint64_t pid)
{
	return pid > UINT32_MAX ? 0 : (uint32_t)pid;
}

nc_sys_err_t sys_process_kill(uint64_t pid)
{
	return process_kill(thread_current()->proc, child_pid(pid));
}

nc_sys_err_t sys_process_suspend(uint64_t pid)
{
	return process_set_stopped(thread_current()->proc, child_pid(pid), true);
}

nc_sys_err_t sys_process_resume(uint64_t pid)
{
	return process_set_stopped(thread_current()->proc, child_pid(pid), false);
}

static void read_quota(process_t *p, void *ctx)
{
	*(quota_stats_t *)ctx = quota_stats(p->quota);
}

nc_sys_err_t sys_process_quota(uint64_t pid, uint64_t quota)
{
	quota_stats_t st;
	if (pid == 0 || pid == thread_current()->proc->pid)
		st = quota_stats(quota_current());
	else if (!cap_holds_action("process.inspect"))
		return NC_SYS_ERR_DENIED;
	else if (pid > UINT32_MAX || !process_with((uint32_t)pid, read_quota, &st))
		return NC_SYS_ERR_NOT_FOUND;
	nc_sys_quota_t out = { st.limit_bytes, st.used_bytes, st.peak_bytes };
	return copy_to_user(quota, &out, sizeof out) ? NC_SYS_ERR_BAD_ADDRESS : NC_SYS_OK;
}
