/* Support for the lib/fs host tests: a seeded generator, temporary directories, images made by
 * e2fsprogs (the independent writer and checker), manifests (one sorted line per path: type,
 * size, link count, content hash) to compare a host directory, a mounted image and a model, and
 * an in-memory device that logs every write and flush (crash tests). Host only. */
#ifndef NC_FS_TEST_UTIL_H
#define NC_FS_TEST_UTIL_H

#include <nc/fs.h>
#include <stdio.h>

#include "../../../tools/nc-fs/host_dev.h"

typedef struct {
	uint64_t s;
} rng_t;

uint64_t rng_next(rng_t *r);
uint32_t rng_below(rng_t *r, uint32_t n); /* 0..n-1; n > 0 */
void rng_fill(rng_t *r, void *buf, size_t len);

/* A fresh directory (malloc'd path) in /dev/shm or /tmp; tmp_remove deletes it and frees the path. */
char *tmp_make(void);
void tmp_remove(char *dir);
/* tmp_make, and for each (name, buffer of TMP_PATH_CAP bytes) pair, buffer = DIR/name; the list
 * ends with a NULL name. */
#define TMP_PATH_CAP 512
char *tmp_with(const char *name, char *path, ...);

/* Run a shell command (printf format); returns its exit status. With out, its stdout and
 * stderr are captured into out (NUL-terminated, cut at cap). */
int run(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A tree of directories and files under dir from seed: nested directories, file sizes around
 * block boundaries and up to double indirect blocks, one directory of many names, a sparse file
 * with data at sparse_at (past 65804 KiB it needs triple indirect blocks of 1 KiB), fast and slow
 * symlinks, a hard link. */
void gen_tree(const char *dir, uint64_t seed, uint32_t n_files, uint64_t sparse_at);

/* mke2fs -t ext3 with block_bytes blocks, size_kib KiB, the content of src (NULL: empty). */
int make_image(const char *img, uint32_t block_bytes, uint32_t size_kib, const char *src);

/* e2fsck -fn img: true when it reports nothing to fix; its output goes to out. */
bool fsck_clean(const char *img, char *out, size_t cap);

/* A manifest: one line per path below the root but lost+found ("/a/b dir",
 * "/a/f file SIZE links=N ino=N h=HASH", "/l symlink TARGET"), sorted, in one malloc'd string.
 * Link counts (debugfs rdump loses them), inode numbers and content hashes only as flags say. */
#define MANIFEST_LINKS 1u
#define MANIFEST_INO 2u
#define MANIFEST_NO_CONTENT 4u
char *manifest_host(const char *dir, uint32_t flags);
char *manifest_fs(nc_fs_t *fs, uint32_t flags, nc_fs_err_t *err);
/* Building a manifest line by line (the model's), then sorting and joining it (consumes l). */
typedef struct {
	char **lines;
	size_t n, cap;
} lines_t;
void manifest_add_dir(lines_t *l, const char *path);
void manifest_add_file(lines_t *l, const char *path, uint64_t size, uint32_t links, uint32_t ino, uint64_t hash);
char *manifest_join(lines_t *l);
uint64_t content_hash(const void *data, size_t len);
/* The first line where a and b differ, for messages (static buffer). */
const char *manifest_diff(const char *a, const char *b);

/* A mounted image file. */
typedef struct {
	host_dev_t dev;
	host_alloc_t alloc;
	nc_fs_t *fs;
} mounted_t;

nc_fs_err_t mount_file(mounted_t *m, const char *img, uint32_t flags);
nc_fs_err_t unmount_file(mounted_t *m);

/* Write len bytes (or read) of a whole host file. */
int write_host_file(const char *path, const void *data, size_t len);
void *read_host_file(const char *path, size_t *len);

/* An image held in memory. With logging on, every write and flush is recorded in order, with
 * the value of tag at that moment (the test's operation number). */
typedef struct {
	uint64_t sector;
	uint32_t n_sectors;         /* 0: a flush */
	uint32_t tag;
	uint8_t *data;
} mem_rec_t;

typedef struct {
	uint8_t *data;
	uint64_t bytes;
	uint32_t sector_bytes;
	bool logging;
	uint32_t tag;
	mem_rec_t *log;
	size_t n_log, cap_log;
	int64_t fail_writes_after;  /* < 0: never; else writes after this many fail */
	uint64_t n_writes;
} mem_dev_t;

int mem_dev_load(mem_dev_t *d, const char *img, uint32_t sector_bytes);
void mem_dev_free(mem_dev_t *d);
int mem_dev_save(const mem_dev_t *d, const char *img);
nc_fs_config_t mem_fs_config(mem_dev_t *d, host_alloc_t *alloc, uint32_t flags);

#endif
