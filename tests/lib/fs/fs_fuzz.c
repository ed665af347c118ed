/* libFuzzer target for lib/fs: mount and operations on mutated images.
 *
 * Input: byte 0 picks the base image (1 KiB blocks with an htree directory, the same with
 * committed transactions and a revoke record in its journal, 4 KiB blocks) and, in bit 7, a
 * read-only mount; byte 1 is the number of patches, each {offset: 3 bytes, n: 1 byte (1..8),
 * n bytes} written over the image; the rest is a script of up to 48 operations (create, write,
 * read, unlink, mkdir, rmdir, rename, link, truncate, list, read_link, stat, statfs, sync,
 * remount) on a fixed set of paths. Whatever the bytes, lib/fs must not crash, leak, or touch the
 * device outside it (the device callbacks abort on that). The base images are made by
 * tests/lib/fs/make_fuzz_images.sh into build/fuzz/fs-base (or $NC_FS_FUZZ_IMAGES). */
#include <nc/fs.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_BASES 3
#define SECTOR 512u
#define MAX_OPS 48u

typedef struct {
	uint8_t *base, *work;
	size_t bytes;
	uint8_t *dirty;             /* one flag per sector changed since the base */
	uint32_t *dirty_list;
	size_t n_dirty;
} image_t;

static image_t images[N_BASES];
static uint8_t pattern[65536];

static void load(image_t *im, const char *dir, const char *name)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fs_fuzz: cannot open %s (run tests/lib/fs/make_fuzz_images.sh)\n", path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	im->bytes = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	im->base = malloc(im->bytes);
	im->work = malloc(im->bytes);
	if (fread(im->base, 1, im->bytes, f) != im->bytes)
		abort();
	fclose(f);
	memcpy(im->work, im->base, im->bytes);
	im->dirty = calloc(im->bytes / SECTOR, 1);
	im->dirty_list = malloc(im->bytes / SECTOR * sizeof(uint32_t));
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *dir = getenv("NC_FS_FUZZ_IMAGES");
	dir = dir ? dir : "build/fuzz/fs-base";
	load(&images[0], dir, "base1k.img");
	load(&images[1], dir, "journal1k.img");
	load(&images[2], dir, "base4k.img");
	for (size_t i = 0; i < sizeof pattern; i++)
		pattern[i] = (uint8_t)(i * 7u + 1u);
	return 0;
}

static void touch(image_t *im, uint64_t sector)
{
	if (!im->dirty[sector]) {
		im->dirty[sector] = 1;
		im->dirty_list[im->n_dirty++] = (uint32_t)sector;
	}
}

static void restore(image_t *im)
{
	for (size_t i = 0; i < im->n_dirty; i++) {
		uint32_t s = im->dirty_list[i];
		memcpy(im->work + (size_t)s * SECTOR, im->base + (size_t)s * SECTOR, SECTOR);
		im->dirty[s] = 0;
	}
	im->n_dirty = 0;
}

static bool dev_read(void *ctx, uint64_t sector, uint32_t n, void *buf)
{
	image_t *im = ctx;
	if (n == 0 || sector + n > im->bytes / SECTOR)
		abort();
	memcpy(buf, im->work + sector * SECTOR, (size_t)n * SECTOR);
	return true;
}

static bool dev_write(void *ctx, uint64_t sector, uint32_t n, const void *buf)
{
	image_t *im = ctx;
	if (n == 0 || sector + n > im->bytes / SECTOR)
		abort();
	for (uint32_t i = 0; i < n; i++)
		touch(im, sector + i);
	memcpy(im->work + sector * SECTOR, buf, (size_t)n * SECTOR);
	return true;
}

static bool dev_flush(void *ctx)
{
	(void)ctx;
	return true;
}

static size_t live_bytes;

static void *fuzz_alloc(void *ud, void *ptr, size_t old_bytes, size_t new_bytes)
{
	(void)ud;
	live_bytes += new_bytes - old_bytes;
	if (new_bytes == 0) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, new_bytes);
}

static uint64_t fixed_clock(void *ud)
{
	(void)ud;
	return 1700000000ull * 1000000000ull;
}

static const char *const paths[] = {
	"/a", "/d", "/d/mid", "/many", "/many/n1", "/many/n77", "/many/n120", "/l", "/x", "/d/y",
	"/many/new", "/many/n5/z", "/d/sub", "/d/sub/w", "/", "/lost+found",
};
#define N_PATHS (sizeof paths / sizeof paths[0])

typedef struct {
	const uint8_t *p, *end;
} cursor_t;

static uint32_t take(cursor_t *c)
{
	return c->p < c->end ? *c->p++ : 0u;
}

static const char *take_path(cursor_t *c)
{
	return paths[take(c) % N_PATHS];
}

static void run_op(nc_fs_t **fs, nc_fs_config_t *cfg, cursor_t *c)
{
	uint32_t op = take(c) % 15u;
	const char *a = take_path(c), *b = take_path(c);
	size_t la = strlen(a), lb = strlen(b), got;
	nc_fs_node_t n;
	static uint8_t buf[65536];
	switch (op) {
	case 0: nc_fs_create(*fs, a, la, 0644, take(c) & 1u, &n); break;
	case 1: {
		uint64_t off = (uint64_t)take(c) << 12 | take(c);
		size_t len = (size_t)take(c) << 8;
		if (!nc_fs_lookup(*fs, a, la, &n))
			nc_fs_write(*fs, n, off, pattern, len, &got);
		break;
	}
	case 2:
		if (!nc_fs_lookup(*fs, a, la, &n))
			nc_fs_read(*fs, n, (uint64_t)take(c) << 10, buf, sizeof buf, &got);
		break;
	case 3: nc_fs_unlink(*fs, a, la); break;
	case 4: nc_fs_mkdir(*fs, a, la, 0755, &n); break;
	case 5: nc_fs_rmdir(*fs, a, la); break;
	case 6: nc_fs_rename(*fs, a, la, b, lb); break;
	case 7: nc_fs_link(*fs, a, la, b, lb); break;
	case 8:
		if (!nc_fs_lookup(*fs, a, la, &n))
			nc_fs_truncate(*fs, n, (uint64_t)take(c) << 11);
		break;
	case 9:
		if (!nc_fs_lookup(*fs, a, la, &n)) {
			uint64_t cookie = 0;
			bool end = false;
			nc_fs_dirent_t e;
			for (int i = 0; i < 400 && !end; i++)
				if (nc_fs_read_dir(*fs, n, &cookie, &e, &end))
					break;
		}
		break;
	case 10:
		if (!nc_fs_lookup(*fs, a, la, &n))
			nc_fs_read_link(*fs, n, (char *)buf, sizeof buf, &got);
		break;
	case 11: {
		nc_fs_stat_t st;
		if (!nc_fs_lookup(*fs, a, la, &n))
			nc_fs_stat(*fs, n, &st);
		break;
	}
	case 12: {
		nc_fs_statfs_t sf;
		nc_fs_statfs(*fs, &sf);
		break;
	}
	case 13: nc_fs_sync(*fs); break;
	default:
		nc_fs_unmount(*fs);
		*fs = NULL;
		nc_fs_mount(cfg, fs);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	cursor_t c = { data, data + size };
	uint32_t pick = take(&c);
	image_t *im = &images[(pick & 0x7fu) % N_BASES];
	for (uint32_t k = take(&c) % 32u; k > 0 && c.p < c.end; k--) {
		size_t off = (size_t)take(&c) | (size_t)take(&c) << 8 | (size_t)take(&c) << 16;
		uint32_t n = 1u + take(&c) % 8u;
		off %= im->bytes - 8u;
		for (uint32_t i = 0; i < n; i++) {
			touch(im, (off + i) / SECTOR);
			im->work[off + i] = (uint8_t)take(&c);
		}
	}
	nc_fs_config_t cfg = {
		.dev = { .ctx = im, .sector_bytes = SECTOR, .n_sectors = im->bytes / SECTOR,
			 .read = dev_read, .write = dev_write, .flush = dev_flush },
		.alloc = fuzz_alloc,
		.now_ns = fixed_clock,
		.flags = (pick & 0x80u) ? NC_FS_MOUNT_READ_ONLY : 0u,
	};
	nc_fs_t *fs = NULL;
	if (nc_fs_mount(&cfg, &fs) == NC_FS_OK) {
		for (uint32_t i = 0; i < MAX_OPS && c.p < c.end && fs; i++)
			run_op(&fs, &cfg, &c);
		if (fs)
			nc_fs_unmount(fs);
	}
	restore(im);
	if (live_bytes)
		abort(); /* a leak */
	return 0;
}
