/* Service routing (docs/services.md) end to end, with the in-memory file
 * system of svc_memfs.c serving /svct: every file call forwarded and
 * answered, the capability checks made before a service is asked, replies a
 * faulty service gets wrong, a caller killed while it waits (the service gets
 * a cancel notice and its late answer is refused), the service ending with
 * calls pending (UNAVAILABLE, also for handles it opened) and a restart, and
 * ServiceRegister's own errors. */
#include "ut_sys.h"

static bool wait_status(uint64_t pid, uint64_t *status)
{
	uint64_t reaped;
	NC_EXPECT_SYS(nc_sys_process_wait(pid, status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	return true;
}

/* Start svc_memfs and wait until /svct is served. */
static bool start_memfs(uint64_t *pid)
{
	uint64_t cap;
	nc_sys_stat_t st;
	NC_EXPECT_SYS(ut_attenuate("service", "service.register", "fs:/svct", NC_SYS_RIGHTS_ALL, 0, &cap), NC_SYS_OK);
	NC_EXPECT_SYS(ut_spawn_child("svc_memfs", &cap, 1, pid), NC_SYS_OK);
	nc_sys_handle_close(cap);
	for (int i = 0; i < 2000; i++) {
		if (nc_sys_fs_stat("/svct", 5, &st) == NC_SYS_OK)
			return st.type == NC_SYS_HANDLE_DIR || NC_FAIL("/svct is not a directory");
		nc_sys_sleep(1000000);
	}
	return NC_FAIL("svc_memfs did not register /svct");
}

static void stop_memfs(uint64_t pid)
{
	uint64_t status, reaped;
	nc_sys_process_kill(pid);
	nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped);
}

#define P(s) s, sizeof s - 1

/* Write text to path (created or truncated). */
static nc_sys_err_t put(const char *path, const char *text)
{
	uint64_t h, n;
	nc_sys_err_t err = nc_sys_fs_open(path, nc_str_len(path),
					  NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_TRUNCATE, &h);
	if (err)
		return err;
	err = nc_sys_fd_write(h, text, nc_str_len(text), &n);
	nc_sys_handle_close(h);
	return err ? err : n == nc_str_len(text) ? NC_SYS_OK : NC_SYS_ERR_IO_ERROR;
}

/* Read all of path into buf (NUL-terminated); *len gets its length. */
static nc_sys_err_t get(const char *path, char *buf, size_t cap, uint64_t *len)
{
	uint64_t h, n;
	*len = 0;
	nc_sys_err_t err = nc_sys_fs_open(path, nc_str_len(path), 0, &h);
	while (!err && *len + 1 < cap && !(err = nc_sys_fd_read(h, buf + *len, cap - 1 - *len, 0, &n)) && n)
		*len += n;
	if (!err || err == NC_SYS_ERR_INVALID)
		nc_sys_handle_close(h);
	buf[*len] = 0;
	return err;
}

static bool file_calls(void)
{
	uint64_t h, h2, n, pos;
	char buf[64];
	nc_sys_stat_t st;
	nc_sys_stat_full_t sf;
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/a"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_write(h, "hello", 5, &n), NC_SYS_OK);
	NC_REQUIRE(n == 5);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 1, NC_SYS_SEEK_SET, &pos), NC_SYS_OK);
	NC_REQUIRE(pos == 1);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, sizeof buf, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 4 && nc_mem_compare(buf, "ello", 4) == 0);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, sizeof buf, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 0);
	NC_EXPECT_SYS(nc_sys_fs_stat(P("/svct/a"), &st), NC_SYS_OK);
	NC_REQUIRE(st.type == NC_SYS_HANDLE_FILE && st.size_bytes == 5);
	NC_EXPECT_SYS(nc_sys_fd_stat(h, &sf), NC_SYS_OK);
	NC_REQUIRE(sf.type == NC_SYS_HANDLE_FILE && sf.size_bytes == 5 && sf.inode >= 2);
	NC_EXPECT_SYS(nc_sys_fs_stat_full(P("/svct/a"), &sf), NC_SYS_OK);
	NC_REQUIRE(sf.size_bytes == 5 && sf.n_links == 1);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/a"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_EXCLUSIVE, &h2),
		  NC_SYS_ERR_EXISTS);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/nope"), 0, &h2), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/a"), NC_SYS_OPEN_DIR, &h2), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/a"), NC_SYS_OPEN_CREATE, &h2), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fs_truncate(h, 2), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_sync(h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/a"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_APPEND, &h2), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_write(h2, "xy", 2, &n), NC_SYS_OK);
	nc_sys_handle_close(h2);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(get("/svct/a", buf, sizeof buf, &n), NC_SYS_OK);
	NC_REQUIRE(n == 4 && nc_str_compare(buf, "hexy") == 0);
	/* a read-only handle cannot write, an initrd handle cannot be truncated */
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/a"), 0, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_write(h, "z", 1, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_fs_truncate(h, 0), NC_SYS_ERR_DENIED);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/hello.txt"), 0, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_truncate(h, 0), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_fs_sync(h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_stat(h, &sf), NC_SYS_OK);
	NC_REQUIRE(sf.type == NC_SYS_HANDLE_FILE && sf.size_bytes > 0);
	nc_sys_handle_close(h);
	/* FsSync takes directories too (the service's and the initrd's), nothing else */
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct"), NC_SYS_OPEN_DIR, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_sync(h), NC_SYS_OK);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/"), NC_SYS_OPEN_DIR, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_sync(h), NC_SYS_OK);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(nc_sys_fs_sync(ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL)), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_fs_sync(0xdead), NC_SYS_ERR_BAD_HANDLE);
	return true;
}

/* Whether the root's listing has a directory name (a mount point shows there). */
static bool root_lists(const char *name)
{
	uint64_t h;
	nc_sys_dirent_full_t e;
	bool found = false;
	if (nc_sys_fs_open(P("/"), NC_SYS_OPEN_DIR, &h))
		return false;
	for (uint64_t i = 0; !found && nc_sys_fs_read_dir(h, i, &e) == NC_SYS_OK; i++)
		found = e.type == NC_SYS_HANDLE_DIR && nc_str_compare(e.name, name) == 0;
	nc_sys_handle_close(h);
	return found;
}

static bool dir_calls(void)
{
	uint64_t h;
	nc_sys_dirent_t e;
	nc_sys_dirent_full_t ef;
	NC_EXPECT_SYS(nc_sys_fs_mkdir(P("/svct/d")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_mkdir(P("/svct/d")), NC_SYS_ERR_EXISTS);
	NC_EXPECT_SYS(nc_sys_fs_mkdir(P("/svct/q/r")), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(put("/svct/d/x", "12345"), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/d"), NC_SYS_OPEN_DIR, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_list_dir(h, 0, &e), NC_SYS_OK);
	NC_REQUIRE(e.type == NC_SYS_HANDLE_FILE && e.size_bytes == 5 && nc_str_compare(e.name, "x") == 0);
	NC_EXPECT_SYS(nc_sys_fs_read_dir(h, 0, &ef), NC_SYS_OK);
	NC_REQUIRE(ef.type == NC_SYS_HANDLE_FILE && ef.inode >= 2 && nc_str_compare(ef.name, "x") == 0);
	NC_EXPECT_SYS(nc_sys_fs_list_dir(h, 1, &e), NC_SYS_ERR_NOT_FOUND);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(nc_sys_fs_rmdir(P("/svct/d")), NC_SYS_ERR_NOT_EMPTY);
	NC_EXPECT_SYS(nc_sys_fs_unlink(P("/svct/d")), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_fs_unlink(P("/svct/d/x")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_rmdir(P("/svct/d")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_rmdir(P("/svct/d")), NC_SYS_ERR_NOT_FOUND);
	/* the initrd's directories read as before, the mount point after them */
	NC_EXPECT_SYS(nc_sys_fs_open(P("/"), NC_SYS_OPEN_DIR, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_read_dir(h, 0, &ef), NC_SYS_OK);
	NC_REQUIRE(ef.name[0] != 0 && nc_str_compare(ef.name, "svct") != 0);
	nc_sys_handle_close(h);
	NC_REQUIRE(root_lists("svct"));
	return true;
}

static bool rename_and_cwd(void)
{
	char buf[64];
	uint64_t n, h;
	nc_sys_stat_t st;
	nc_sys_statfs_t fs;
	NC_EXPECT_SYS(nc_sys_fs_rename(P("/svct/a"), P("/svct/b")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_stat(P("/svct/a"), &st), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_fs_stat(P("/svct/b"), &st), NC_SYS_OK);
	NC_REQUIRE(st.size_bytes == 4);
	NC_EXPECT_SYS(nc_sys_fs_rename(P("/svct/b"), P("/hello.txt")), NC_SYS_ERR_CROSS_DEVICE);
	NC_EXPECT_SYS(nc_sys_fs_rename(P("/hello.txt"), P("/motd2")), NC_SYS_ERR_READ_ONLY);
	NC_EXPECT_SYS(nc_sys_fs_mkdir(P("/zz")), NC_SYS_ERR_READ_ONLY);
	NC_EXPECT_SYS(nc_sys_fs_unlink(P("/hello.txt")), NC_SYS_ERR_READ_ONLY);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/hello.txt"), NC_SYS_OPEN_WRITE, &h), NC_SYS_ERR_READ_ONLY);
	/* the service answers UNSUPPORTED, which FsLink does not list */
	NC_EXPECT_SYS(nc_sys_fs_link(P("/svct/b"), P("/svct/c")), NC_SYS_ERR_IO_ERROR);
	NC_EXPECT_SYS(nc_sys_set_cwd(P("/svct")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_get_cwd(buf, sizeof buf, &n), NC_SYS_OK);
	NC_REQUIRE(n == 5 && nc_str_compare(buf, "/svct") == 0);
	NC_EXPECT_SYS(get("b", buf, sizeof buf, &n), NC_SYS_OK);
	NC_REQUIRE(nc_str_compare(buf, "hexy") == 0);
	NC_EXPECT_SYS(nc_sys_set_cwd(P("b")), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_set_cwd(P("/")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_stat_fs(P("/svct/b"), &fs), NC_SYS_OK);
	NC_REQUIRE(nc_str_compare(fs.fs_type, "memfs") == 0 && fs.block_bytes == 512);
	NC_EXPECT_SYS(nc_sys_fs_stat_fs(P("/hello.txt"), &fs), NC_SYS_OK);
	NC_REQUIRE(nc_str_compare(fs.fs_type, "initrd") == 0 && (fs.flags & NC_SYS_BLK_READ_ONLY));
	return true;
}

static bool stats_have(const char *want)
{
	char buf[128];
	uint64_t n;
	NC_EXPECT_SYS(get("/svct/stats", buf, sizeof buf, &n), NC_SYS_OK);
	for (size_t i = 0; i + nc_str_len(want) <= n; i++)
		if (nc_mem_compare(buf + i, want, nc_str_len(want)) == 0)
			return true;
	return NC_FAIL("stats '%s' lack '%s'", buf, want);
}

/* Answers out of protocol become IO_ERROR for the caller; answers the kernel
 * refuses (INVALID to the service) leave the caller waiting for a good one. */
static bool faulty_answers(void)
{
	uint64_t h, n;
	nc_sys_stat_t st;
	char buf[128];
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/badstatus"), 0, &h), NC_SYS_ERR_IO_ERROR);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/badtype"), 0, &h), NC_SYS_ERR_IO_ERROR);
	NC_EXPECT_SYS(nc_sys_fs_stat(P("/svct/badlen"), &st), NC_SYS_ERR_IO_ERROR);
	NC_EXPECT_SYS(put("/svct/toolong", "0123456789abcdef"), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/toolong"), 0, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, 10, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 10 && nc_mem_compare(buf, "0123456789", 10) == 0);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(get("/svct/stats", buf, sizeof buf, &n), NC_SYS_OK);
	if (nc_mem_compare(buf, "close=0 ", 8) == 0)
		return NC_FAIL("no close notices: %s", buf);
	return stats_have("invalid=2 ");
}

static bool t_routed_calls(void)
{
	uint64_t pid;
	if (!start_memfs(&pid))
		return false;
	bool ok = file_calls() && dir_calls() && rename_and_cwd() &&
		  faulty_answers();
	stop_memfs(pid);
	return ok;
}

/* Holds fs.read on "/": opens /svct/hold, which the service keeps waiting;
 * exit code 0 when that open ends with UNAVAILABLE (the service ended). */
static int child_hold(void)
{
	uint64_t h;
	NC_EXPECT_CHILD(nc_sys_fs_open(P("/svct/hold"), 0, &h), NC_SYS_ERR_UNAVAILABLE);
	return 0;
}

static bool wait_held(void)
{
	nc_sys_stat_t st;
	for (int i = 0; i < 2000; i++) {
		if (nc_sys_fs_stat(P("/svct/held"), &st) == NC_SYS_OK)
			return true;
		nc_sys_sleep(1000000);
	}
	return NC_FAIL("the service never held a request");
}

static bool t_caller_killed_and_service_ended(void)
{
	uint64_t memfs, child, status, h, n, fsread;
	char buf[8];
	if (!start_memfs(&memfs))
		return false;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/", NC_SYS_RIGHTS_ALL, 0, &fsread), NC_SYS_OK);
	/* a caller killed while the service holds its request */
	NC_EXPECT_SYS(ut_spawn_child("svc_hold", &fsread, 1, &child), NC_SYS_OK);
	if (!wait_held())
		return false;
	NC_EXPECT_SYS(nc_sys_process_kill(child), NC_SYS_OK);
	if (!wait_status(child, &status))
		return false;
	NC_REQUIRE(status & NC_SYS_EXIT_KILLED);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/release"), 0, &h), NC_SYS_ERR_NOT_FOUND);
	if (!stats_have("cancel=1 ") || !stats_have("cancelled=1"))
		return false;
	/* the service ends with a request held and another one in progress */
	NC_EXPECT_SYS(put("/svct/f", "data"), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/f"), 0, &h), NC_SYS_OK);
	NC_EXPECT_SYS(ut_spawn_child("svc_hold", &fsread, 1, &child), NC_SYS_OK);
	if (!wait_held())
		return false;
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/exit"), 0, &n), NC_SYS_ERR_UNAVAILABLE);
	if (!wait_status(child, &status))
		return false;
	NC_REQUIRE(status == 0);
	if (!wait_status(memfs, &status))
		return false;
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, sizeof buf, 0, &n), NC_SYS_ERR_UNAVAILABLE);
	nc_sys_stat_t st;
	NC_EXPECT_SYS(nc_sys_fs_stat(P("/svct/f"), &st), NC_SYS_ERR_NOT_FOUND); /* the initrd's now */
	NC_REQUIRE(!root_lists("svct"));
	/* a restarted service does not reach the old handle's object */
	if (!start_memfs(&memfs))
		return false;
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, sizeof buf, 0, &n), NC_SYS_ERR_UNAVAILABLE);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(put("/svct/g", "x"), NC_SYS_OK);
	stop_memfs(memfs);
	nc_sys_handle_close(fsread);
	return true;
}

/* fs.read on /svct only: reads, but writes and changes are refused. */
static int child_read_only(void)
{
	uint64_t h;
	NC_EXPECT_CHILD(nc_sys_fs_open(P("/svct/r"), 0, &h), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fs_open(P("/svct/r"), NC_SYS_OPEN_WRITE, &h), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_mkdir(P("/svct/m")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_open(P("/hello.txt"), 0, &h), NC_SYS_ERR_DENIED);
	return 0;
}

/* fs.read on / and fs.write on /svct/w only. */
static int child_write_scoped(void)
{
	uint64_t h;
	NC_EXPECT_CHILD(nc_sys_fs_mkdir(P("/svct/w/y")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fs_mkdir(P("/svct/x")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_mkdir(P("/svct/w/../x")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_rename(P("/svct/w/y"), P("/svct/y")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_open(P("/svct/r"), NC_SYS_OPEN_WRITE, &h), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_open(P("/svct/w/z"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE, &h), NC_SYS_OK);
	return 0;
}

/* Handle 1: a read-only handle to /svct/r, passed by the parent. */
static int child_read_passed(void)
{
	char buf[8];
	uint64_t n;
	NC_EXPECT_CHILD(nc_sys_fd_read(1, buf, sizeof buf, 0, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(n == 3 && nc_mem_compare(buf, "abc", 3) == 0, 1);
	return 0;
}

static bool run_with(const char *name, const char *action1, const char *scope1, const char *action2,
		     const char *scope2)
{
	uint64_t hs[2], status, n = 0;
	NC_EXPECT_SYS(ut_attenuate("fs", action1, scope1, NC_SYS_RIGHTS_ALL, 0, &hs[n++]), NC_SYS_OK);
	if (action2)
		NC_EXPECT_SYS(ut_attenuate("fs", action2, scope2, NC_SYS_RIGHTS_ALL, 0, &hs[n++]), NC_SYS_OK);
	bool ok = ut_spawn_with(name, hs, n, &status);
	for (uint64_t i = 0; i < n; i++)
		nc_sys_handle_close(hs[i]);
	if (ok && status)
		return NC_FAIL("%s failed at line %llu", name, (unsigned long long)status);
	return ok;
}

static bool t_capabilities_checked_first(void)
{
	uint64_t memfs, h, status;
	if (!start_memfs(&memfs))
		return false;
	bool ok = put("/svct/r", "abc") == NC_SYS_OK && nc_sys_fs_mkdir(P("/svct/w")) == NC_SYS_OK &&
		  run_with("svc_read_only", "fs.read", "/svct", NULL, NULL) &&
		  run_with("svc_write_scoped", "fs.read", "/", "fs.write", "/svct/w");
	if (ok && nc_sys_fs_open(P("/svct/r"), 0, &h) == NC_SYS_OK) {
		ok = ut_spawn_with("svc_read_passed", &h, 1, &status) &&
		     (status == 0 || NC_FAIL("reading a passed handle failed at line %llu", (unsigned long long)status));
		nc_sys_handle_close(h);
	}
	stop_memfs(memfs);
	return ok;
}

/* Holds service.register for "fs:/svct" only. */
static int child_register_scoped(void)
{
	uint64_t port;
	NC_EXPECT_CHILD(nc_sys_service_register(NC_SYS_SERVICE_FS, P("/other"), &port), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_service_register(NC_SYS_SERVICE_NET, NULL, 0, &port), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_service_register(NC_SYS_SERVICE_FS, P("/svct"), &port), NC_SYS_OK);
	return 0;
}

static bool t_register_errors(void)
{
	uint64_t port, port2, cap, status;
	NC_EXPECT_SYS(nc_sys_service_register(0, NULL, 0, &port), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_service_register(99, NULL, 0, &port), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_service_register(NC_SYS_SERVICE_FS, P("/"), &port), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_service_register(NC_SYS_SERVICE_FS, P("/a/../b"), &port), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_service_register(NC_SYS_SERVICE_FS, P("svct"), &port), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_service_register(NC_SYS_SERVICE_FS, NULL, 0, &port), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_service_register(NC_SYS_SERVICE_NET, P("x"), &port), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_service_register(NC_SYS_SERVICE_FS, (void *)UT_KERNEL_ADDR, 4, &port),
		  NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_service_register(NC_SYS_SERVICE_FS, P("/svc2"), &port), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_service_register(NC_SYS_SERVICE_FS, P("/svc2"), &port2), NC_SYS_ERR_BUSY);
	nc_sys_handle_close(port);
	NC_EXPECT_SYS(nc_sys_service_register(NC_SYS_SERVICE_FS, P("/svc2"), &port), NC_SYS_OK);
	/* requests nobody answers: poll gives TIMED_OUT; bad ids NOT_FOUND */
	nc_service_msg_t *m = nc_malloc(sizeof *m);
	NC_REQUIRE(m != NULL);
	NC_EXPECT_SYS(nc_service_receive(port, m, 0), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_service_answer(port, 12345, NC_SYS_OK, 0, NULL, 0), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_service_receive(port, m, 8, NULL, 0, 0, &status), NC_SYS_ERR_TIMED_OUT);
	nc_free(m);
	nc_sys_handle_close(port);
	NC_EXPECT_SYS(ut_attenuate("service", "service.register", "fs:/svct", NC_SYS_RIGHTS_ALL, 0, &cap), NC_SYS_OK);
	bool ok = ut_spawn_with("svc_register_scoped", &cap, 1, &status);
	nc_sys_handle_close(cap);
	if (ok && status)
		return NC_FAIL("scoped registration failed at line %llu", (unsigned long long)status);
	return ok;
}

/* Hundreds of routed opens, writes, reads and closes return every frame. */
static bool t_no_leak(void)
{
	uint64_t memfs, before, after, n;
	char buf[16];
	nc_sys_stat_t st;
	if (!start_memfs(&memfs))
		return false;
	bool ok = put("/svct/l", "warm") == NC_SYS_OK && nc_sys_fs_stat(P("/svct/l"), &st) == NC_SYS_OK;
	nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &before);
	for (int i = 0; ok && i < 200; i++)
		ok = put("/svct/l", "leak test") == NC_SYS_OK && get("/svct/l", buf, sizeof buf, &n) == NC_SYS_OK;
	ok = ok && nc_sys_fs_stat(P("/svct/l"), &st) == NC_SYS_OK; /* after every close notice */
	nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &after);
	stop_memfs(memfs);
	if (!ok)
		return NC_FAIL("a routed call failed");
	return before == after || NC_FAIL("free frames %llu before, %llu after", (unsigned long long)before,
					  (unsigned long long)after);
}

/* FdReadBulk and FdWriteBulk through windows: the bytes arrive whole from and
 * to unaligned buffers, a read stops at the end of the file; the window is
 * gone from the service once it answered (unmapped=N) and an FdWriteBulk
 * window shows nothing past its bytes (zeros=N); a buffer the caller cannot
 * write or read gives BAD_ADDRESS before the service is asked (the position
 * and the size stay); a result longer than the window gives IO_ERROR, and
 * the service ending with a window filled but unanswered UNAVAILABLE. */
static bool bulk_windows(uint8_t *data, uint8_t *back)
{
	enum { LEN = 7000, PAGE = 4096 };
	uint64_t h, n, pos, ro, holed;
	for (int i = 0; i < LEN + 1; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/bulk"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_write_bulk(h, data + 1, LEN, &n), NC_SYS_OK);
	NC_REQUIRE(n == LEN);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 0, NC_SYS_SEEK_SET, &pos), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back + 3, LEN + 1000, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == LEN && nc_mem_compare(back + 3, data + 1, LEN) == 0);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back, LEN, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 0);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 100, NC_SYS_SEEK_SET, &pos), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back, PAGE + 1, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == PAGE + 1 && nc_mem_compare(back, data + 101, PAGE + 1) == 0);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back, 0, 0, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back, NC_SYS_IO_BULK_MAX_BYTES + 1, 0, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fd_write_bulk(h, data, NC_SYS_IO_BULK_MAX_BYTES + 1, &n), NC_SYS_ERR_INVALID);
	/* bad buffers: read-only, a hole in the middle, kernel memory */
	NC_EXPECT_SYS(nc_sys_mem_map(0, 2 * PAGE, NC_SYS_PROT_READ, &ro), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_mem_map(0, 3 * PAGE, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &holed), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_mem_unmap(holed + PAGE, PAGE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, (void *)ro, 2 * PAGE, 0, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, (void *)(holed + 100), 2 * PAGE, 0, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, (void *)0xffff800000000000ull, 2 * PAGE, 0, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 0, NC_SYS_SEEK_CUR, &pos), NC_SYS_OK);
	NC_REQUIRE(pos == 100 + PAGE + 1); /* nothing was read */
	NC_EXPECT_SYS(nc_sys_fd_write_bulk(h, (void *)(holed + 100), 2 * PAGE, &n), NC_SYS_ERR_BAD_ADDRESS);
	nc_sys_stat_full_t st;
	NC_EXPECT_SYS(nc_sys_fd_stat(h, &st), NC_SYS_OK);
	NC_REQUIRE(st.size_bytes == LEN); /* nothing was written */
	nc_sys_mem_unmap(ro, 2 * PAGE);
	nc_sys_mem_unmap(holed, 3 * PAGE);
	nc_sys_handle_close(h);
	return stats_have("unmapped=4 zeros=1");
}

/* A service that breaks the protocol with a window, then one that ends mid-transfer. */
static bool bulk_faults(uint8_t *back)
{
	enum { PAGE = 4096 };
	uint64_t h, n;
	NC_EXPECT_SYS(put("/svct/bulklong", "x"), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/bulklong"), 0, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back, PAGE + 1, 0, &n), NC_SYS_ERR_IO_ERROR);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(put("/svct/bulkdie", "y"), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/svct/bulkdie"), 0, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back, PAGE + 1, 0, &n), NC_SYS_ERR_UNAVAILABLE);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back, PAGE + 1, 0, &n), NC_SYS_ERR_UNAVAILABLE);
	nc_sys_handle_close(h);
	return true;
}

static uint64_t quota_left(void)
{
	uint64_t limit = 0, used = 0;
	nc_sys_system_info(NC_SYS_INFO_QUOTA_BYTES, &limit);
	nc_sys_system_info(NC_SYS_INFO_QUOTA_USED_BYTES, &used);
	return limit - used;
}

enum { QUOTA_CHILD_BYTES = 8 << 20, QUOTA_ROOM = 512 << 10, QUOTA_CHUNK = 64 << 10 };

/* In its own quota with less than QUOTA_ROOM of it left: an FdReadBulk whose window (charged to
 * the caller) does not fit gets LIMIT, with the position kept; a small one goes through. */
static int child_bulk_quota(void)
{
	uint64_t buf, addr, h, n;
	NC_EXPECT_CHILD(nc_sys_mem_map(0, NC_SYS_IO_BULK_MAX_BYTES, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &buf),
			NC_SYS_OK);
	while (quota_left() > QUOTA_ROOM)
		NC_EXPECT_CHILD(nc_sys_mem_map(0, QUOTA_CHUNK, NC_SYS_PROT_READ, &addr), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fs_open(P("/svct/bulk"), 0, &h), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fd_read_bulk(h, (void *)buf, NC_SYS_IO_BULK_MAX_BYTES, 0, &n), NC_SYS_ERR_LIMIT);
	NC_EXPECT_CHILD(nc_sys_fd_read_bulk(h, (void *)buf, 8192, 0, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(n, 7000);
	return 0;
}

static bool bulk_quota(void)
{
	static const char self[] = "usertests", arg[] = "child:svc_bulk_quota";
	uint64_t pid, status;
	nc_sys_spawn_spec_t spec = { (uint64_t)self, sizeof self - 1, (uint64_t)arg, sizeof arg - 1, 0,
				     NC_SYS_SPAWN_INHERIT, QUOTA_CHILD_BYTES, 0, 0 };
	NC_EXPECT_SYS(nc_sys_process_spawn_spec(&spec, &pid), NC_SYS_OK);
	if (!wait_status(pid, &status))
		return false;
	return status == 0 || NC_FAIL("the child in a quota failed at line %llu", (unsigned long long)status);
}

static bool t_bulk_windows(void)
{
	uint64_t memfs, status;
	if (!start_memfs(&memfs))
		return false;
	uint8_t *data = nc_malloc(16384), *back = nc_malloc(16384);
	bool ok = data && back ? bulk_windows(data, back) && bulk_quota() &&
					 bulk_faults(back)
			       : NC_FAIL("no memory");
	nc_free(data);
	nc_free(back);
	if (!ok) {
		stop_memfs(memfs);
		return false;
	}
	return wait_status(memfs, &status); /* /bulkdie ended it */
}

const nc_test_case_t ut_service_tests[] = {
	{ "service.register_errors", t_register_errors },
	{ "service.routed_calls", t_routed_calls },
	{ "service.capabilities_checked_first", t_capabilities_checked_first },
	{ "service.caller_killed_and_service_ended", t_caller_killed_and_service_ended },
	{ "service.no_leak", t_no_leak },
	{ "service.bulk_windows", t_bulk_windows },
	{ NULL, NULL },
};

const nc_test_child_t ut_service_children[] = {
	{ "svc_memfs", ut_svc_memfs_main },
	{ "svc_hold", child_hold },
	{ "svc_bulk_quota", child_bulk_quota },
	{ "svc_read_only", child_read_only },
	{ "svc_write_scoped", child_write_scoped },
	{ "svc_read_passed", child_read_passed },
	{ "svc_register_scoped", child_register_scoped },
	{ NULL, NULL },
};
