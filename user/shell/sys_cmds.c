/* System commands: ps, kill, mem, cpus, uptime, caps, shutdown, reboot. */
#include "nexacore.h"
#include <nc/args.h>
#include <nc/mem.h>

enum { MAX_PROCS = 64 };

static nc_sys_process_info_t procs[MAX_PROCS];
static nc_sys_handle_info_t handles[NC_SYS_HANDLES_MAX];

shell_err_t shell_os_fail(shell_t *sh, const char *what, nc_sys_err_t err)
{
	shell_printf(sh, "%s: %s\n", what, nc_sys_err_name(err));
	return err == NC_SYS_ERR_DENIED ? SHELL_ERR_DENIED : SHELL_ERR_SYSTEM;
}

/* Decimal u64 from text; false on anything else. */
static bool parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

static shell_err_t list_processes(shell_t *sh, uint64_t *n)
{
	nc_sys_err_t err = nc_sys_process_list(procs, MAX_PROCS, n);
	if (err)
		return shell_os_fail(sh, "ProcessList", err);
	if (*n > MAX_PROCS)
		*n = MAX_PROCS;
	return SHELL_OK;
}

static shell_err_t cmd_ps(shell_t *sh, int argc, char **argv)
{
	uint64_t n;
	if (argc != 1)
		return SHELL_ERR_USAGE;
	shell_err_t err = list_processes(sh, &n);
	if (err)
		return err;
	shell_printf(sh, "  PID  PPID STATE   THR   CPU(ms)  MEM(KiB) HND NAME\n");
	for (uint64_t i = 0; i < n; i++) {
		const nc_sys_process_info_t *p = &procs[i];
		shell_printf(sh, "%5llu %5llu %-7s %3llu %9llu %9llu %3llu %.32s\n",
			     (unsigned long long)p->pid, (unsigned long long)p->parent_pid,
			     p->state == NC_SYS_PROC_ZOMBIE ? "zombie"
			     : shell_run_is_stopped(p->pid) ? "stopped" : "running",
			     (unsigned long long)p->n_threads,
			     (unsigned long long)(p->cpu_time_ns / 1000000),
			     (unsigned long long)(p->frames * 4), (unsigned long long)p->n_handles, p->name);
	}
	return SHELL_OK;
}

static shell_err_t cmd_kill(shell_t *sh, int argc, char **argv)
{
	uint64_t pid;
	if (argc != 2 || !parse_u64(argv[1], &pid))
		return SHELL_ERR_USAGE;
	nc_sys_err_t err = nc_sys_process_kill(pid);
	if (err == NC_SYS_ERR_NO_CHILD) {
		shell_printf(sh, "kill: %llu is not a child of this shell\n", (unsigned long long)pid);
		return SHELL_ERR_NOT_FOUND;
	}
	return err ? shell_os_fail(sh, "kill", err) : SHELL_OK;
}

static shell_err_t info(shell_t *sh, uint64_t what, uint64_t *out)
{
	nc_sys_err_t err = nc_sys_system_info(what, out);
	return err ? shell_os_fail(sh, "SystemInfo", err) : SHELL_OK;
}

static shell_err_t cmd_mem(shell_t *sh, int argc, char **argv)
{
	uint64_t free_frames, total, n;
	if (argc != 1)
		return SHELL_ERR_USAGE;
	shell_err_t err = info(sh, NC_SYS_INFO_FREE_FRAMES, &free_frames);
	if (!err)
		err = info(sh, NC_SYS_INFO_TOTAL_FRAMES, &total);
	if (!err)
		err = list_processes(sh, &n);
	if (err)
		return err;
	shell_printf(sh, "frames: %llu total, %llu free, %llu used (4 KiB each; %llu MiB free)\n",
		     (unsigned long long)total, (unsigned long long)free_frames,
		     (unsigned long long)(total - free_frames),
		     (unsigned long long)(free_frames * 4096 >> 20));
	shell_printf(sh, "  PID   NAME             PAGES(KiB)  QUOTA: USED / LIMIT (KiB)   PEAK\n");
	for (uint64_t i = 0; i < n; i++) {
		nc_sys_quota_t q;
		if (nc_sys_process_quota(procs[i].pid, &q))
			q = (nc_sys_quota_t){ 0, 0, 0 }; /* reaped since the list was made */
		shell_printf(sh, "  %-5llu %-16.32s %10llu  %10llu / %-10llu  %8llu\n",
			     (unsigned long long)procs[i].pid, procs[i].name,
			     (unsigned long long)(procs[i].frames * 4), (unsigned long long)(q.used_bytes >> 10),
			     (unsigned long long)(q.limit_bytes >> 10), (unsigned long long)(q.peak_bytes >> 10));
	}
	return SHELL_OK;
}

static shell_err_t cmd_cpus(shell_t *sh, int argc, char **argv)
{
	uint64_t n, cur;
	if (argc != 1)
		return SHELL_ERR_USAGE;
	shell_err_t err = info(sh, NC_SYS_INFO_CPU_COUNT, &n);
	if (!err)
		err = info(sh, NC_SYS_INFO_CURRENT_CPU, &cur);
	if (!err)
		shell_printf(sh, "%llu CPUs online; this shell runs on CPU %llu\n",
			     (unsigned long long)n, (unsigned long long)cur);
	return err;
}

static shell_err_t cmd_uptime(shell_t *sh, int argc, char **argv)
{
	uint64_t ns;
	if (argc != 1)
		return SHELL_ERR_USAGE;
	shell_err_t err = info(sh, NC_SYS_INFO_UPTIME_NS, &ns);
	if (!err) {
		uint64_t ms = ns / 1000000;
		shell_printf(sh, "up %llu.%03llu s\n", (unsigned long long)(ms / 1000),
			     (unsigned long long)(ms % 1000));
	}
	return err;
}

static const char *handle_type(uint64_t t)
{
	switch (t) {
	case NC_SYS_HANDLE_CONSOLE: return "console";
	case NC_SYS_HANDLE_FILE: return "file";
	case NC_SYS_HANDLE_DIR: return "dir";
	case NC_SYS_HANDLE_CHANNEL: return "channel";
	case NC_SYS_HANDLE_CAP: return "cap";
	default: return "?";
	}
}

static shell_err_t cmd_caps(shell_t *sh, int argc, char **argv)
{
	uint64_t pid = 0, n;
	if (argc > 2 || (argc == 2 && !parse_u64(argv[1], &pid)))
		return SHELL_ERR_USAGE;
	nc_sys_err_t err = nc_sys_handle_list(pid, handles, NC_SYS_HANDLES_MAX, &n);
	if (err)
		return shell_os_fail(sh, "HandleList", err);
	shell_printf(sh, "HANDLE TYPE    RIGHTS ACTION           SCOPE\n");
	for (uint64_t i = 0; i < n && i < NC_SYS_HANDLES_MAX; i++) {
		const nc_sys_handle_info_t *h = &handles[i];
		shell_printf(sh, "%6llu %-7s %#6llx %-16.64s %.160s%s\n", (unsigned long long)h->handle,
			     handle_type(h->type), (unsigned long long)h->rights, h->action, h->scope,
			     h->state ? " (unusable)" : "");
	}
	return SHELL_OK;
}

/* Power off or reset, after making /disk durable (the machine goes down without its service
 * unmounting it; the journal makes the next mount consistent). */
static shell_err_t power(shell_t *sh, int argc, uint64_t mode)
{
	if (argc != 1)
		return SHELL_ERR_USAGE;
	nc_sys_err_t err = shell_fs_sync("/disk");
	if (err && err != NC_SYS_ERR_NOT_FOUND)
		shell_printf(sh, "/disk: not synced: %s\n", nc_sys_err_name(err));
	return shell_os_fail(sh, "SystemPower", nc_sys_system_power(mode));
}

static shell_err_t cmd_shutdown(shell_t *sh, int argc, char **argv)
{
	return power(sh, argc, NC_SYS_POWER_OFF);
}

static shell_err_t cmd_reboot(shell_t *sh, int argc, char **argv)
{
	return power(sh, argc, NC_SYS_POWER_REBOOT);
}

const shell_cmd_t shell_sys_cmds[] = {
	{ "ps", "ps", "list processes", cmd_ps, false },
	{ "kill", "kill PID", "kill a child of this shell", cmd_kill, false },
	{ "mem", "mem", "physical memory, and each process's pages and memory quota", cmd_mem, false },
	{ "cpus", "cpus", "CPUs online", cmd_cpus, false },
	{ "uptime", "uptime", "time since boot", cmd_uptime, false },
	{ "caps", "caps [PID]", "handles and capabilities of this shell or a child", cmd_caps, false },
	{ "shutdown", "shutdown", "power off (after syncing /disk)", cmd_shutdown, false },
	{ "reboot", "reboot", "reset the machine (after syncing /disk)", cmd_reboot, false },
};
const size_t shell_n_sys_cmds = sizeof shell_sys_cmds / sizeof shell_sys_cmds[0];
