/* Console, clock, initrd and statistics system calls: WriteConsole, ClockGet,
 * InitrdRead, SystemInfo (docs/abi.md). */
#include <kernel/cap.h>
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/initrd.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/sched.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>
#include <arch/cpu.h>

enum { CONSOLE_MAX_BYTES = 4096 };

nc_sys_err_t sys_write_console(uint64_t buf, uint64_t len_bytes)
{
	static char kbuf[CPU_MAX][CONSOLE_MAX_BYTES];
	if (len_bytes > CONSOLE_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	/* per-CPU buffer: the kernel is not preemptible, and the copy runs with
	 * interrupts off so no other thread can take this CPU's buffer meanwhile */
	uint64_t f = irq_save();
	char *k = kbuf[cpu_this()->index];
	usercopy_err_t err = copy_from_user(k, buf, len_bytes);
	if (!err)
		console_write(k, len_bytes);
	irq_restore(f);
	return err ? NC_SYS_ERR_BAD_ADDRESS : NC_SYS_OK;
}

nc_sys_err_t sys_clock_get(uint64_t *now_ns_out)
{
	*now_ns_out = clock_now_ns();
	return NC_SYS_OK;
}

nc_sys_err_t sys_initrd_read(uint64_t path, uint64_t path_len, uint64_t buf, uint64_t buf_len,
			     uint64_t offset, uint64_t *n_bytes_out)
{
	char kpath[NC_SYS_PATH_MAX];
	if (path_len == 0 || path_len > NC_SYS_PATH_MAX)
		return NC_SYS_ERR_INVALID;
	if (copy_from_user(kpath, path, path_len))
		return NC_SYS_ERR_BAD_ADDRESS;
	if (cap_check_initrd_read(kpath, path_len))
		return NC_SYS_ERR_DENIED;
	const uint8_t *data;
	size_t size;
	if (!initrd_lookup(kpath, path_len, &data, &size))
		return NC_SYS_ERR_NOT_FOUND;
	uint64_t n = offset >= size ? 0 : size - offset;
	if (n > buf_len)
		n = buf_len;
	if (n && copy_to_user(buf, data + offset, n))
		return NC_SYS_ERR_BAD_ADDRESS;
	*n_bytes_out = n;
	return NC_SYS_OK;
}

nc_sys_err_t sys_system_info(uint64_t what, uint64_t *value_out)
{
	thread_t *t = thread_current();
	switch (what) {
	case NC_SYS_INFO_FREE_FRAMES: *value_out = pmm_stats().free_frames; break;
	case NC_SYS_INFO_TOTAL_FRAMES: *value_out = pmm_stats().total_frames; break;
	case NC_SYS_INFO_CPU_COUNT: *value_out = cpu_count; break;
	case NC_SYS_INFO_CURRENT_CPU: *value_out = cpu_this()->index; break;
	case NC_SYS_INFO_THREAD_RUNTIME_NS: *value_out = clock_tsc_to_ns(sched_runtime_tsc(t)); break;
	case NC_SYS_INFO_PROCESS_FRAMES: *value_out = t->proc->vs->n_frames; break;
	case NC_SYS_INFO_UPTIME_NS: *value_out = clock_now_ns(); break;
	case NC_SYS_INFO_PID: *value_out = t->proc->pid; break;
	case NC_SYS_INFO_QUOTA_BYTES: *value_out = quota_stats(t->proc->quota).limit_bytes; break;
	case NC_SYS_INFO_QUOTA_USED_BYTES: *value_out = quota_stats(t->proc->quota).used_bytes; break;
	case NC_SYS_INFO_WALL_CLOCK_NS: *value_out = clock_wall_ns(); break;
	default: return NC_SYS_ERR_INVALID;
	}
	return NC_SYS_OK;
}
