/* fsd, the file-system service (docs/filesystem.md): mounts the ext3 file system of the disk
 * nvme0n1 with lib/fs and serves it at /disk through service routing (docs/services.md).
 *
 *   fsd [PROGRAM [ARGUMENT]]
 * With a PROGRAM (the shell, a test), fsd runs it with every handle fsd may pass on once /disk
 * is served (or could not be: the reason is printed and the program runs without /disk), and
 * serves until it ends; then fsd unmounts the disk (clean, journal empty) and exits with the
 * program's status. Without one it serves until it is killed. Changes become durable at
 * FsSync, and at most SYNC_NS after they were made (file data waiting in serve.c's write-back
 * included). */
#include <nc/mem.h>
#include <nc/ulib.h>

#include "blkdev.h"
#include "serve.h"

#define DEVICE "nvme0n1"
#define PREFIX "/disk"
#define WINDOW_BYTES (256u * 1024u)
#define POLL_NS 100000000ull  /* how often fsd looks at its program and the sync timer */
#define SYNC_NS 5000000000ull /* ext3's default commit interval */

static fsd_blkdev_t blk;
static fsd_t served;
static nc_service_msg_t msg;

static void *fs_alloc(void *ud, void *ptr, size_t old_bytes, size_t new_bytes)
{
	return nc_heap_realloc(ud, ptr, old_bytes, new_bytes);
}

static uint64_t wall_ns(void *ud)
{
	(void)ud;
	uint64_t now = 0;
	nc_sys_system_info(NC_SYS_INFO_WALL_CLOCK_NS, &now);
	return now;
}

/* Mount the disk and register /disk; the port, or 0 with the reason printed. */
static uint64_t serve_disk(void)
{
	nc_fs_config_t cfg = { .alloc = fs_alloc, .now_ns = wall_ns };
	nc_sys_err_t err = fsd_blkdev_open(&blk, DEVICE, WINDOW_BYTES, &cfg.dev);
	if (err) {
		nc_print("fsd: no disk %s (%s): %s is not served\n", DEVICE, nc_sys_err_name(err), PREFIX);
		return 0;
	}
	nc_fs_err_t ferr = nc_fs_mount(&cfg, &served.fs);
	if (ferr) {
		nc_print("fsd: %s holds no ext3 file system lib/fs mounts (%s): %s is not served\n", DEVICE,
			 nc_fs_err_name(ferr), PREFIX);
		fsd_blkdev_close(&blk);
		return 0;
	}
	uint64_t port;
	err = nc_sys_service_register(NC_SYS_SERVICE_FS, PREFIX, sizeof PREFIX - 1, &port);
	if (err) {
		nc_print("fsd: ServiceRegister %s: %s\n", PREFIX, nc_sys_err_name(err));
		nc_fs_unmount(served.fs);
		fsd_blkdev_close(&blk);
		return 0;
	}
	fsd_keep_private(&port, NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE);
	nc_fs_statfs_t st;
	nc_fs_statfs(served.fs, &st);
	nc_print("fsd: %s (%llu MiB ext3, %llu MiB free) served at %s\n", DEVICE,
		 (unsigned long long)(st.total_blocks * st.block_bytes >> 20),
		 (unsigned long long)(st.avail_blocks * st.block_bytes >> 20), PREFIX);
	return port;
}

static uint64_t run_program(const char *line, size_t len)
{
	size_t name_len = 0;
	while (name_len < len && line[name_len] != ' ')
		name_len++;
	const char *arg = line + name_len + (name_len < len);
	uint64_t pid = 0;
	nc_sys_err_t err = nc_sys_process_spawn(line, name_len, arg, len - (size_t)(arg - line), NULL,
						NC_SYS_SPAWN_INHERIT, &pid);
	if (err)
		nc_print("fsd: cannot start %.*s: %s\n", (int)name_len, line, nc_sys_err_name(err));
	return err ? 0 : pid;
}

/* The calls that change nothing on the disk. */
static bool reads_only(uint64_t op)
{
	switch (op) {
	case NC_SYS_FS_STAT: case NC_SYS_FS_STAT_FULL: case NC_SYS_FS_STAT_FS: case NC_SYS_FD_READ:
	case NC_SYS_FD_READ_BULK:
	case NC_SYS_FD_SEEK: case NC_SYS_FS_LIST_DIR: case NC_SYS_FS_READ_DIR: case NC_SYS_FD_STAT:
	case NC_SYS_FS_SYNC: case NC_SYS_SERVICE_OP_CANCEL:
		return true;
	default:
		return false;
	}
}

static void answer(uint64_t port)
{
	fsd_reply_t r;
	fsd_serve(&served, &msg.hdr, msg.payload, &r);
	if (r.silent)
		return;
	if (r.object)
		nc_service_answer_object(port, msg.hdr.id, r.object, r.object_type, r.rights);
	else
		nc_service_answer(port, msg.hdr.id, r.status, r.result, r.data, r.len);
}

/* Serve until the program (0: none) ends; its exit status. */
static uint64_t serve(uint64_t port, uint64_t program)
{
	uint64_t dirty_since = 0, status = 0, pid;
	for (;;) {
		nc_sys_err_t err = port ? nc_service_receive(port, &msg, POLL_NS) : NC_SYS_ERR_TIMED_OUT;
		if (err == NC_SYS_OK) {
			answer(port);
			if (!dirty_since && !reads_only(msg.hdr.op))
				nc_sys_clock_get(&dirty_since);
			else if (msg.hdr.op == NC_SYS_FS_SYNC)
				dirty_since = 0;
			continue;
		}
		uint64_t now = 0;
		nc_sys_clock_get(&now);
		if (dirty_since && now - dirty_since >= SYNC_NS) {
			nc_fs_err_t ferr = fsd_flush(&served);
			if (!ferr)
				ferr = nc_fs_sync(served.fs);
			if (ferr)
				nc_print("fsd: sync: %s\n", nc_fs_err_name(ferr));
			dirty_since = 0;
		}
		if (program && nc_sys_process_wait(program, &status, port ? 0 : NC_SYS_TIMEOUT_INFINITE, &pid) == NC_SYS_OK)
			return status;
		if (!program && !port)
			return 0;
	}
}

int main(const char *arg, size_t arg_len)
{
	uint64_t port = serve_disk();
	uint64_t program = arg_len ? run_program(arg, arg_len) : 0;
	uint64_t status = serve(port, program);
	if (port) {
		nc_sys_handle_close(port);
		nc_fs_err_t err = fsd_flush(&served);
		if (err)
			nc_print("fsd: writing back: %s\n", nc_fs_err_name(err));
		err = nc_fs_unmount(served.fs);
		if (err)
			nc_print("fsd: unmount: %s\n", nc_fs_err_name(err));
		fsd_blkdev_close(&blk);
	}
	return (int)(status & NC_SYS_EXIT_CODE_MASK) | (status & ~NC_SYS_EXIT_CODE_MASK ? 1 : 0);
}
