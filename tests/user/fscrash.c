/* fscrash: the workload of the power-cut test (tests/user/fscrash_qemu_test.py), on /disk/c.
 *
 *   fscrash        print the state, then change files for ever (the host cuts the power)
 *   fscrash state  print the state and exit (the last boot, which ends with a clean unmount)
 *
 * The state, as this boot's lib/fs sees it after replaying the journal: "STATE NAME SIZE HASH"
 * for each file (BLAKE3 in hex), then "STATE-END". The seed of the workload is a counter kept on
 * the disk (/disk/c/boot), so each boot of a run does something else and every run the same.
 * Each step either
 *   - writes a new version of one of 8 files: random bytes to tmp, FsSync, "WRITING fN HASH",
 *     rename tmp over fN, FsSync on the directory, "SYNCED fN HASH"; or
 *   - appends 1..40 records "b<boot> s<step> r<k>\n" to log: "APPEND OFFSET TEXT" for each (TEXT
 *     without its newline), then FsSync, "SYNCED log SIZE HASH".
 * WRITING, SYNCED and STATE lines are printed once what they say is done, APPEND lines just
 * before the write, so after a cut fN holds the last SYNCED version or one written after it,
 * and log holds the SYNCED prefix followed by a prefix of the APPENDed text. */
#include <nc/crypto.h>
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/ulib.h>
#include <nc_test_random.h>

#define P(s) s, sizeof s - 1

enum { FILES = 8, MAX_BYTES = 24000, RECORDS_MAX = 40, LINE_MAX_BYTES = 64 };

static uint8_t data[MAX_BYTES];
static uint64_t rng;

static uint64_t next(void) { return nc_test_random(&rng); }

static void fail(const char *what, nc_sys_err_t err)
{
	nc_print("FSCRASH-ERROR %s: %s\n", what, nc_sys_err_name(err));
	nc_sys_exit(1);
}

static void hex(const uint8_t h[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		nc_fmt_format(out + 2 * i, 3, "%02x", h[i]);
}

/* BLAKE3 of the whole file at path (len bytes) into out; its size. */
static uint64_t hash_file(const char *path, char out[65])
{
	uint64_t h, n, size = 0;
	nc_sys_err_t err = nc_sys_fs_open(path, nc_str_len(path), 0, &h);
	if (err)
		fail(path, err);
	static nc_crypto_blake3_t b;
	static uint8_t buf[NC_SYS_IO_MAX_BYTES];
	nc_crypto_blake3_init(&b);
	while ((err = nc_sys_fd_read(h, buf, sizeof buf, 0, &n)) == NC_SYS_OK && n) {
		nc_crypto_blake3_update(&b, buf, n);
		size += n;
	}
	if (err)
		fail(path, err);
	nc_sys_handle_close(h);
	uint8_t d[32];
	nc_crypto_blake3_finalize(&b, 0, d, sizeof d);
	hex(d, out);
	return size;
}

static void print_state(void)
{
	uint64_t dir;
	nc_sys_err_t err = nc_sys_fs_open(P("/disk/c"), NC_SYS_OPEN_DIR, &dir);
	if (err)
		fail("/disk/c", err);
	static nc_sys_dirent_full_t e;
	for (uint64_t i = 0; nc_sys_fs_read_dir(dir, i, &e) == NC_SYS_OK; i++) {
		char path[NC_SYS_PATH_MAX + 1], h[65];
		nc_fmt_format(path, sizeof path, "/disk/c/%s", e.name);
		uint64_t size = hash_file(path, h);
		nc_print("STATE %s %llu %s\n", e.name, (unsigned long long)size, h);
	}
	nc_sys_handle_close(dir);
	nc_print("STATE-END\n");
}

static uint64_t open_write(const char *path, uint64_t flags)
{
	uint64_t h;
	nc_sys_err_t err = nc_sys_fs_open(path, nc_str_len(path), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | flags, &h);
	if (err)
		fail(path, err);
	return h;
}

static void write_all(uint64_t h, const void *p, uint64_t len, const char *what)
{
	const uint8_t *b = p;
	for (uint64_t done = 0, n; done < len; done += n) {
		uint64_t piece = len - done < NC_SYS_IO_MAX_BYTES ? len - done : NC_SYS_IO_MAX_BYTES;
		nc_sys_err_t err = nc_sys_fd_write(h, b + done, piece, &n);
		if (err)
			fail(what, err);
	}
}

static void sync_handle(uint64_t h, const char *what)
{
	nc_sys_err_t err = nc_sys_fs_sync(h);
	if (err)
		fail(what, err);
}

/* The boot counter: read, incremented and synced. */
static uint64_t next_boot(void)
{
	uint64_t h, n, boot = 0;
	if (nc_sys_fs_open(P("/disk/c/boot"), 0, &h) == NC_SYS_OK) {
		nc_sys_fd_read(h, &boot, sizeof boot, 0, &n);
		nc_sys_handle_close(h);
	}
	boot++;
	h = open_write("/disk/c/boot", NC_SYS_OPEN_TRUNCATE);
	write_all(h, &boot, sizeof boot, "boot");
	sync_handle(h, "boot");
	nc_sys_handle_close(h);
	return boot;
}

static void new_version(uint64_t dir)
{
	char name[16], path[32], h[65];
	nc_fmt_format(name, sizeof name, "f%llu", (unsigned long long)(next() % FILES));
	nc_fmt_format(path, sizeof path, "/disk/c/%s", name);
	uint64_t len = next() % MAX_BYTES;
	for (uint64_t i = 0; i < len; i++)
		data[i] = (uint8_t)next();
	uint64_t f = open_write("/disk/c/tmp", NC_SYS_OPEN_TRUNCATE);
	write_all(f, data, len, "tmp");
	sync_handle(f, "tmp");
	nc_sys_handle_close(f);
	uint8_t d[32];
	nc_crypto_blake3(d, sizeof d, data, len);
	hex(d, h);
	nc_print("WRITING %s %s\n", name, h);
	nc_sys_err_t err = nc_sys_fs_rename(P("/disk/c/tmp"), path, nc_str_len(path));
	if (err)
		fail("rename", err);
	sync_handle(dir, "/disk/c");
	nc_print("SYNCED %s %s\n", name, h);
}

static void append(uint64_t boot, uint64_t step)
{
	uint64_t f = open_write("/disk/c/log", NC_SYS_OPEN_APPEND), off;
	nc_sys_err_t err = nc_sys_fd_seek(f, 0, NC_SYS_SEEK_END, &off);
	if (err)
		fail("log", err);
	uint64_t k = 1 + next() % RECORDS_MAX;
	for (uint64_t r = 0; r < k; r++) {
		char line[LINE_MAX_BYTES];
		size_t n = nc_fmt_format(line, sizeof line, "b%llu s%llu r%llu", (unsigned long long)boot,
					 (unsigned long long)step, (unsigned long long)r);
		nc_print("APPEND %llu %s\n", (unsigned long long)off, line);
		line[n++] = '\n';
		write_all(f, line, n, "log");
		off += n;
	}
	sync_handle(f, "log");
	nc_sys_handle_close(f);
	char h[65];
	uint64_t size = hash_file("/disk/c/log", h);
	nc_print("SYNCED log %llu %s\n", (unsigned long long)size, h);
}

int main(const char *arg, size_t arg_len)
{
	nc_sys_err_t err = nc_sys_fs_mkdir(P("/disk/c"));
	if (err && err != NC_SYS_ERR_EXISTS)
		fail("mkdir /disk/c", err);
	print_state();
	if (arg_len == 5 && nc_mem_compare(arg, "state", 5) == 0)
		return 0;
	uint64_t boot = next_boot(), dir;
	rng = 0x9e3779b97f4a7c15ull * boot + 1;
	nc_print("FSCRASH-BOOT %llu\n", (unsigned long long)boot);
	if ((err = nc_sys_fs_open(P("/disk/c"), NC_SYS_OPEN_DIR, &dir)))
		fail("/disk/c", err);
	for (uint64_t step = 0;; step++) {
		if (next() % 5 < 3)
			new_version(dir);
		else
			append(boot, step);
	}
}
