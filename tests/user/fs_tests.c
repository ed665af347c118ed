/* The initrd file system: FsOpen, FsStat, FsListDir, FdRead on files, FdSeek,
 * GetCwd, SetCwd. Expected contents come from the test initrd's sources
 * (tests/kernel/initrd/hello.txt and etc/nexacore/notes.txt). */
#include "ut_sys.h"

static const char hello[] = "hello from the initrd\n";
static const char notes[] = "notes for the fs tests\n";

static bool t_stat(void)
{
	nc_sys_stat_t st;
	NC_EXPECT_SYS(nc_sys_fs_stat("/hello.txt", 10, &st), NC_SYS_OK);
	NC_REQUIRE(st.type == NC_SYS_HANDLE_FILE && st.size_bytes == sizeof hello - 1);
	NC_EXPECT_SYS(nc_sys_fs_stat("/etc/nexacore", 13, &st), NC_SYS_OK);
	NC_REQUIRE(st.type == NC_SYS_HANDLE_DIR);
	NC_EXPECT_SYS(nc_sys_fs_stat("/", 1, &st), NC_SYS_OK);
	NC_REQUIRE(st.type == NC_SYS_HANDLE_DIR);
	NC_EXPECT_SYS(nc_sys_fs_stat("/etc/nexacore/../nexacore/./notes.txt", 37, &st), NC_SYS_OK);
	NC_REQUIRE(st.type == NC_SYS_HANDLE_FILE && st.size_bytes == sizeof notes - 1);
	NC_EXPECT_SYS(nc_sys_fs_stat("/nope", 5, &st), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_fs_stat("/etc/nexacor", 12, &st), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_fs_stat("/..", 3, &st), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fs_stat("/", 0, &st), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fs_stat("/a\001", 3, &st), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fs_stat((void *)UT_KERNEL_ADDR, 3, &st), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_fs_stat("/hello.txt", 10, (void *)UT_KERNEL_ADDR), NC_SYS_ERR_BAD_ADDRESS);
	return true;
}

static bool t_read_seek(void)
{
	uint64_t h, n, pos;
	char buf[64];
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", 10, 0, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, 5, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 5 && nc_mem_compare(buf, "hello", 5) == 0);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, sizeof buf, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == sizeof hello - 6 && nc_mem_compare(buf, hello + 5, n) == 0);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, sizeof buf, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 0);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 6, NC_SYS_SEEK_SET, &pos), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, 4, 0, &n), NC_SYS_OK);
	NC_REQUIRE(pos == 6 && n == 4 && nc_mem_compare(buf, "from", 4) == 0);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, (uint64_t)-2, NC_SYS_SEEK_END, &pos), NC_SYS_OK);
	NC_REQUIRE(pos == sizeof hello - 3);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 1, NC_SYS_SEEK_CUR, &pos), NC_SYS_OK);
	NC_REQUIRE(pos == sizeof hello - 2);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 2, NC_SYS_SEEK_CUR, &pos), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, (uint64_t)-1, NC_SYS_SEEK_SET, &pos), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 0, 3, &pos), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, 0, 0, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, NC_SYS_IO_MAX_BYTES + 1, 0, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 0, NC_SYS_SEEK_SET, &pos), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(h, (void *)UT_KERNEL_ADDR, 4, 0, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_fd_write(h, "x", 1, &n), NC_SYS_ERR_DENIED); /* read-only */
	uint64_t d;
	NC_EXPECT_SYS(nc_sys_fs_open("/", 1, NC_SYS_OPEN_DIR, &d), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_seek(d, 0, NC_SYS_SEEK_SET, &pos), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_fd_read(d, buf, 4, 0, &n), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_handle_close(d), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, 4, 0, &n), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 0, NC_SYS_SEEK_SET, &pos), NC_SYS_ERR_BAD_HANDLE);
	return true;
}

static bool t_open_errors(void)
{
	uint64_t h;
	NC_EXPECT_SYS(nc_sys_fs_open("/nope", 5, 0, &h), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_fs_open("/etc", 4, 0, &h), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", 10, NC_SYS_OPEN_DIR, &h), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", 10, 64, &h), NC_SYS_ERR_INVALID); /* no such flag */
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", 10, NC_SYS_OPEN_TRUNCATE, &h), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fs_open("/etc", 4, NC_SYS_OPEN_DIR | NC_SYS_OPEN_WRITE, &h), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", 10, NC_SYS_OPEN_WRITE | NC_SYS_OPEN_EXCLUSIVE, &h),
		  NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", 10, NC_SYS_OPEN_WRITE, &h), NC_SYS_ERR_READ_ONLY);
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", 0, 0, &h), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", NC_SYS_PATH_MAX + 1, 0, &h), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fs_open("/../hello.txt", 13, 0, &h), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fs_open((void *)UT_UNMAPPED_ADDR, 4, 0, &h), NC_SYS_ERR_BAD_ADDRESS);
	return true;
}

static bool t_list_dir(void)
{
	uint64_t d, f;
	nc_sys_dirent_t e;
	NC_EXPECT_SYS(nc_sys_fs_open("/", 1, NC_SYS_OPEN_DIR, &d), NC_SYS_OK);
	bool hello_seen = false, etc_seen = false;
	uint64_t i = 0;
	for (; nc_sys_fs_list_dir(d, i, &e) == NC_SYS_OK; i++) {
		hello_seen |= nc_str_compare(e.name, "hello.txt") == 0 && e.type == NC_SYS_HANDLE_FILE &&
			      e.size_bytes == sizeof hello - 1;
		etc_seen |= nc_str_compare(e.name, "etc") == 0 && e.type == NC_SYS_HANDLE_DIR;
	}
	NC_REQUIRE(hello_seen && etc_seen && i >= 4);
	NC_EXPECT_SYS(nc_sys_fs_list_dir(d, i, &e), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_fs_list_dir(d, 0, (void *)UT_KERNEL_ADDR), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_handle_close(d), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_open("/etc/nexacore", 13, NC_SYS_OPEN_DIR, &d), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_list_dir(d, 0, &e), NC_SYS_OK);
	NC_REQUIRE(nc_str_compare(e.name, "notes.txt") == 0 && e.size_bytes == sizeof notes - 1);
	NC_EXPECT_SYS(nc_sys_fs_list_dir(d, 1, &e), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", 10, 0, &f), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_list_dir(f, 0, &e), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_fs_list_dir(12345, 0, &e), NC_SYS_ERR_BAD_HANDLE);
	nc_sys_handle_close(f);
	nc_sys_handle_close(d);
	return true;
}

static bool t_cwd(void)
{
	char buf[NC_SYS_PATH_MAX + 1];
	uint64_t n, h;
	NC_EXPECT_SYS(nc_sys_get_cwd(buf, sizeof buf, &n), NC_SYS_OK);
	NC_REQUIRE(n == 1 && nc_str_compare(buf, "/") == 0);
	NC_EXPECT_SYS(nc_sys_set_cwd("etc", 3), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_get_cwd(buf, sizeof buf, &n), NC_SYS_OK);
	NC_REQUIRE(n == 4 && nc_str_compare(buf, "/etc") == 0);
	NC_EXPECT_SYS(nc_sys_fs_open("nexacore/notes.txt", 18, 0, &h), NC_SYS_OK);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(nc_sys_set_cwd("nexacore/notes.txt", 18), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_set_cwd("nope", 4), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_set_cwd("../..", 5), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_set_cwd("x", 0), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_set_cwd((void *)UT_KERNEL_ADDR, 2), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_get_cwd(buf, 4, &n), NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_get_cwd((void *)UT_KERNEL_ADDR, 8, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_set_cwd("..", 2), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_get_cwd(buf, 2, &n), NC_SYS_OK);
	NC_REQUIRE(n == 1 && buf[0] == '/');
	return true;
}

static bool t_initrd_read(void)
{
	char buf[64];
	uint64_t n;
	NC_EXPECT_SYS(nc_sys_initrd_read("etc/nexacore/notes.txt", 22, buf, sizeof buf, 6, &n), NC_SYS_OK);
	NC_REQUIRE(n == sizeof notes - 7 && nc_mem_compare(buf, notes + 6, n) == 0);
	return true;
}

const nc_test_case_t ut_fs_tests[] = {
	{ "fs.stat", t_stat },
	{ "fs.read_seek", t_read_seek },
	{ "fs.open_errors", t_open_errors },
	{ "fs.list_dir", t_list_dir },
	{ "fs.cwd", t_cwd },
	{ "fs.initrd_read", t_initrd_read },
	{ NULL, NULL },
};
