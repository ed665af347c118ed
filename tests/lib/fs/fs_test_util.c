/* Support for the lib/fs host tests (see fs_test_util.h). */
#define _GNU_SOURCE
#include "fs_test_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

uint64_t rng_next(rng_t *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

uint32_t rng_below(rng_t *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

void rng_fill(rng_t *r, void *buf, size_t len)
{
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = rng_next(r);
		memcpy(p + i, &v, len - i < 8 ? len - i : 8);
	}
}

/* In /dev/shm when there is one (tmpfs: the images never touch a disk), else /tmp. */
char *tmp_make(void)
{
	struct stat st;
	bool shm = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0;
	char *dir = strdup(shm ? "/dev/shm/nc-fs-test-XXXXXX" : "/tmp/nc-fs-test-XXXXXX");
	if (!dir || !mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	return dir;
}

char *tmp_with(const char *name, char *path, ...)
{
	char *dir = tmp_make();
	va_list ap;
	va_start(ap, path);
	while (dir && name) {
		snprintf(path, TMP_PATH_CAP, "%s/%s", dir, name);
		name = va_arg(ap, const char *);
		path = name ? va_arg(ap, char *) : NULL;
	}
	va_end(ap);
	return dir;
}

void tmp_remove(char *dir)
{
	if (!dir)
		return;
	run(NULL, 0, "rm -rf '%s'", dir);
	free(dir);
}

int run(char *out, size_t cap, const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	char full[8300];
	snprintf(full, sizeof full, "( %s ) 2>&1", cmd);
	FILE *p = popen(full, "r");
	if (!p)
		return -1;
	size_t n = 0;
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, p)) > 0) {
		if (out && n + 1 < cap) {
			size_t k = got < cap - 1 - n ? got : cap - 1 - n;
			memcpy(out + n, buf, k);
			n += k;
		}
	}
	if (out && cap)
		out[n] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int write_host_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t put = len ? fwrite(data, 1, len, f) : 0;
	return fclose(f) == 0 && put == len ? 0 : -1;
}

void *read_host_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	void *buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void gen_file(rng_t *r, const char *path, size_t len)
{
	char *buf = malloc(len ? len : 1);
	rng_fill(r, buf, len);
	write_host_file(path, buf, len);
	free(buf);
}

void gen_tree(const char *dir, uint64_t seed, uint32_t n_files, uint64_t sparse_at)
{
	static const size_t sizes[] = { 0, 1, 1023, 1024, 1025, 4095, 4096, 4097, 12 * 1024 - 1, 12 * 1024 + 1,
					48 * 1024 - 1, 48 * 1024 + 1, 268 * 1024 - 1, 268 * 1024 + 7, 300000 };
	rng_t r = { seed };
	char path[512], dirs[8][256];
	uint32_t n_dirs = 1;
	snprintf(dirs[0], sizeof dirs[0], "%s", dir);
	for (uint32_t i = 1; i < 8; i++) {
		snprintf(dirs[i], sizeof dirs[i], "%s/d%u", dirs[rng_below(&r, n_dirs)], i);
		mkdir(dirs[i], 0755);
		n_dirs++;
	}
	for (uint32_t i = 0; i < n_files; i++) {
		size_t len = i < sizeof sizes / sizeof sizes[0] ? sizes[i] : rng_below(&r, 20000);
		snprintf(path, sizeof path, "%s/f%u_%u", dirs[rng_below(&r, n_dirs)], i, (unsigned)len);
		gen_file(&r, path, len);
	}
	snprintf(path, sizeof path, "%s/many", dir);
	mkdir(path, 0755);
	for (uint32_t i = 0; i < 400; i++) {
		char name[600];
		uint32_t extra = rng_below(&r, 40);
		snprintf(name, sizeof name, "%s/many/entry_%u_%.*s", dir, i, (int)extra,
			 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		gen_file(&r, name, rng_below(&r, 64));
	}
	snprintf(path, sizeof path, "%s/sparse", dir);
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	char tail[3000];
	rng_fill(&r, tail, sizeof tail);
	if (fd >= 0) {
		if (pwrite(fd, tail, sizeof tail, (off_t)sparse_at) != (ssize_t)sizeof tail ||
		    pwrite(fd, tail, 10, 13 * 1024) != 10)
			perror("sparse");
		close(fd);
	}
	snprintf(path, sizeof path, "%s/short_link", dir);
	if (symlink("d1/target", path) != 0)
		perror("symlink");
	snprintf(path, sizeof path, "%s/long_link", dir);
	if (symlink("a/target/that/is/longer/than/sixty/bytes/so/it/needs/its/own/data/block", path) != 0)
		perror("symlink");
	char from[512];
	snprintf(from, sizeof from, "%s/f0_0", dirs[0]);
	snprintf(path, sizeof path, "%s/hard_link", dir);
	if (link(from, path) != 0) {
		gen_file(&r, from, 5);
		if (link(from, path) != 0)
			perror("link");
	}
}

int make_image(const char *img, uint32_t block_bytes, uint32_t size_kib, const char *src)
{
	char out[4096];
	int rc = run(out, sizeof out, "rm -f '%s' && mke2fs -q -F -t ext3 -b %u %s%s%s '%s' %uk", img, block_bytes,
		     src ? "-d '" : "", src ? src : "", src ? "'" : "", img, size_kib);
	if (rc)
		fprintf(stderr, "mke2fs: %s\n", out);
	return rc;
}

bool fsck_clean(const char *img, char *out, size_t cap)
{
	return run(out, cap, "e2fsck -fn '%s'", img) == 0;
}

nc_fs_err_t mount_file(mounted_t *m, const char *img, uint32_t flags)
{
	m->fs = NULL;
	m->alloc = (host_alloc_t){ .fail_after = -1 };
	if (!host_dev_open(&m->dev, img, flags & NC_FS_MOUNT_READ_ONLY, 512))
		return NC_FS_ERR_IO;
	nc_fs_config_t cfg = host_fs_config(&m->dev, &m->alloc, flags);
	nc_fs_err_t err = nc_fs_mount(&cfg, &m->fs);
	if (err)
		host_dev_close(&m->dev);
	return err;
}

nc_fs_err_t unmount_file(mounted_t *m)
{
	nc_fs_err_t err = nc_fs_unmount(m->fs);
	m->fs = NULL;
	host_dev_close(&m->dev);
	return err;
}

/* ---- manifests ---- */

static void add_line(lines_t *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_line(lines_t *l, const char *fmt, ...)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->lines = realloc(l->lines, l->cap * sizeof(char *));
	}
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&l->lines[l->n], fmt, ap) >= 0)
		l->n++;
	va_end(ap);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *manifest_join(lines_t *l)
{
	if (l->n)
		qsort(l->lines, l->n, sizeof(char *), cmp_line);
	size_t total = 1;
	for (size_t i = 0; i < l->n; i++)
		total += strlen(l->lines[i]) + 1;
	char *s = malloc(total), *p = s;
	for (size_t i = 0; i < l->n; i++) {
		p = stpcpy(p, l->lines[i]);
		*p++ = '\n';
		free(l->lines[i]);
	}
	*p = '\0';
	free(l->lines);
	return s;
}

/* FNV-1a over 8-byte words (the content's length is in the manifest line too). */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001B3ull;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001B3ull;
	return h;
}

#define FNV_START 0xcbf29ce484222325ull

uint64_t content_hash(const void *data, size_t len)
{
	return fnv(FNV_START, data, len);
}

void manifest_add_dir(lines_t *l, const char *path)
{
	add_line(l, "%s dir", path);
}

void manifest_add_file(lines_t *l, const char *path, uint64_t size, uint32_t links, uint32_t ino, uint64_t hash)
{
	add_line(l, "%s file %llu links=%u ino=%u h=%016llx", path, (unsigned long long)size, links, ino,
		 (unsigned long long)hash);
}

static void walk_host(lines_t *l, const char *root, const char *rel, uint32_t flags)
{
	char path[4096];
	snprintf(path, sizeof path, "%s%s", root, rel);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || (!*rel && !strcmp(e->d_name, "lost+found")))
			continue;
		char sub[4096], full[4200];
		snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name);
		snprintf(full, sizeof full, "%s%s", root, sub);
		struct stat st;
		if (lstat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			manifest_add_dir(l, sub);
			walk_host(l, root, sub, flags);
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t n = readlink(full, target, sizeof target - 1);
			target[n > 0 ? n : 0] = '\0';
			add_line(l, "%s symlink %s", sub, target);
		} else {
			size_t len;
			void *data = read_host_file(full, &len);
			manifest_add_file(l, sub, len, (flags & MANIFEST_LINKS) ? (uint32_t)st.st_nlink : 0u, 0u,
					  (flags & MANIFEST_NO_CONTENT) ? 0u : content_hash(data, len));
			free(data);
		}
	}
	closedir(d);
}

char *manifest_host(const char *dir, uint32_t flags)
{
	lines_t l = { 0 };
	walk_host(&l, dir, "", flags);
	return manifest_join(&l);
}

static nc_fs_err_t file_hash(nc_fs_t *fs, nc_fs_node_t n, uint64_t size, uint64_t *h)
{
	static char buf[1 << 20];
	*h = FNV_START;
	for (uint64_t off = 0; off < size;) {
		size_t got;
		nc_fs_err_t err = nc_fs_read(fs, n, off, buf, sizeof buf, &got);
		if (err)
			return err;
		if (got == 0)
			return NC_FS_ERR_BAD_INODE; /* ended before its size */
		*h = fnv(*h, buf, got);
		off += got;
	}
	return NC_FS_OK;
}

static nc_fs_err_t walk_fs(lines_t *l, nc_fs_t *fs, const char *rel, uint32_t flags)
{
	nc_fs_node_t dir;
	nc_fs_err_t err = nc_fs_lookup(fs, *rel ? rel : "/", *rel ? strlen(rel) : 1, &dir);
	uint64_t cookie = 0;
	bool end = false;
	while (!err) {
		nc_fs_dirent_t e;
		err = nc_fs_read_dir(fs, dir, &cookie, &e, &end);
		if (err || end)
			break;
		if (!strcmp(e.name, ".") || !strcmp(e.name, "..") || (!*rel && !strcmp(e.name, "lost+found")))
			continue;
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", rel, e.name);
		nc_fs_node_t n;
		nc_fs_stat_t st;
		err = nc_fs_lookup(fs, sub, strlen(sub), &n);
		if (!err)
			err = nc_fs_stat(fs, n, &st);
		if (err)
			break;
		if (st.type == NC_FS_TYPE_DIR) {
			manifest_add_dir(l, sub);
			err = walk_fs(l, fs, sub, flags);
		} else if (st.type == NC_FS_TYPE_SYMLINK) {
			char target[4096];
			size_t len;
			err = nc_fs_read_link(fs, n, target, sizeof target - 1, &len);
			target[len < sizeof target ? len : sizeof target - 1] = '\0';
			add_line(l, "%s symlink %s", sub, target);
		} else {
			uint64_t h = 0;
			if (!(flags & MANIFEST_NO_CONTENT))
				err = file_hash(fs, n, st.size_bytes, &h);
			manifest_add_file(l, sub, st.size_bytes, (flags & MANIFEST_LINKS) ? st.n_links : 0u,
					  (flags & MANIFEST_INO) ? st.node.ino : 0u, h);
		}
	}
	return err;
}

char *manifest_fs(nc_fs_t *fs, uint32_t flags, nc_fs_err_t *err)
{
	lines_t l = { 0 };
	*err = walk_fs(&l, fs, "", flags);
	return manifest_join(&l);
}

const char *manifest_diff(const char *a, const char *b)
{
	static char msg[1024];
	while (*a || *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
		if (la != lb || memcmp(a, b, la) != 0) {
			snprintf(msg, sizeof msg, "[%.*s] vs [%.*s]", (int)(la > 400 ? 400 : la), a,
				 (int)(lb > 400 ? 400 : lb), b);
			return msg;
		}
		a += la + (ea ? 1 : 0);
		b += lb + (eb ? 1 : 0);
	}
	return "(same)";
}

/* ---- in-memory device ---- */

static void log_rec(mem_dev_t *d, uint64_t sector, uint32_t n, const void *data)
{
	if (d->n_log == d->cap_log) {
		d->cap_log = d->cap_log ? 2 * d->cap_log : 1024;
		d->log = realloc(d->log, d->cap_log * sizeof(mem_rec_t));
	}
	mem_rec_t *r = &d->log[d->n_log++];
	*r = (mem_rec_t){ .sector = sector, .n_sectors = n, .tag = d->tag };
	if (n) {
		r->data = malloc((size_t)n * d->sector_bytes);
		memcpy(r->data, data, (size_t)n * d->sector_bytes);
	}
}

static bool mem_read(void *ctx, uint64_t sector, uint32_t n, void *buf)
{
	mem_dev_t *d = ctx;
	if ((sector + n) * d->sector_bytes > d->bytes)
		abort(); /* lib/fs promised never to ask */
	memcpy(buf, d->data + sector * d->sector_bytes, (size_t)n * d->sector_bytes);
	return true;
}

static bool mem_write(void *ctx, uint64_t sector, uint32_t n, const void *buf)
{
	mem_dev_t *d = ctx;
	if ((sector + n) * d->sector_bytes > d->bytes)
		abort();
	if (d->fail_writes_after >= 0 && d->n_writes >= (uint64_t)d->fail_writes_after)
		return false;
	d->n_writes++;
	memcpy(d->data + sector * d->sector_bytes, buf, (size_t)n * d->sector_bytes);
	if (d->logging)
		log_rec(d, sector, n, buf);
	return true;
}

static bool mem_flush(void *ctx)
{
	mem_dev_t *d = ctx;
	if (d->logging)
		log_rec(d, 0, 0, NULL);
	return true;
}

int mem_dev_load(mem_dev_t *d, const char *img, uint32_t sector_bytes)
{
	*d = (mem_dev_t){ .sector_bytes = sector_bytes, .fail_writes_after = -1 };
	size_t len;
	d->data = read_host_file(img, &len);
	d->bytes = len;
	return d->data ? 0 : -1;
}

void mem_dev_free(mem_dev_t *d)
{
	for (size_t i = 0; i < d->n_log; i++)
		free(d->log[i].data);
	free(d->log);
	free(d->data);
	*d = (mem_dev_t){ 0 };
}

int mem_dev_save(const mem_dev_t *d, const char *img)
{
	return write_host_file(img, d->data, d->bytes);
}

nc_fs_config_t mem_fs_config(mem_dev_t *d, host_alloc_t *alloc, uint32_t flags)
{
	return (nc_fs_config_t){
		.dev = { .ctx = d, .sector_bytes = d->sector_bytes, .n_sectors = d->bytes / d->sector_bytes,
			 .read = mem_read, .write = mem_write, .flush = mem_flush },
		.alloc = host_fs_alloc,
		.alloc_ud = alloc,
		.now_ns = host_fs_clock,
		.flags = flags,
	};
}
