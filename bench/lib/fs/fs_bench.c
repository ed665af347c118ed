/* lib/fs against e2fsprogs' libext2fs (through `debugfs -w -f CMDS`), the same workloads on the
 * same kind of image, in the same run: 1,000 small files created then read back, one 32 MiB
 * file written then read back. Images live in /dev/shm (tmpfs), so both sides pay for the file
 * system code, not a disk. lib/fs journals its metadata and syncs at the end; libext2fs writes
 * without a journal, so the comparison favours it. Times are CPU seconds (user + system; the
 * machine is shared, wall time would measure the neighbours), best of RUNS; debugfs's start-up
 * (an empty command file on the same image: opening the file system, reading its bitmaps) is
 * measured apart and taken off its times. The ratio is lib/fs / debugfs (lower is better).
 * Reported, never asserted. */
#define _GNU_SOURCE
#include "../cpu_time.h"
#include <nc/fs.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../tools/nc-fs/host_dev.h"

enum { RUNS = 3, N_SMALL = 1000, SMALL_BYTES = 1024 };
#define BIG_BYTES (32u << 20)

static char dir[64];
static uint8_t *big;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void fresh_image(uint32_t block_bytes)
{
	if (sh("mke2fs -q -F -t ext3 -b %u %s/img 128M > /dev/null 2>&1", block_bytes, dir))
		exit(1);
}

typedef struct {
	host_dev_t dev;
	host_alloc_t alloc;
	nc_fs_t *fs;
} mnt_t;

static void mount_img(mnt_t *m)
{
	char path[128];
	snprintf(path, sizeof path, "%s/img", dir);
	m->alloc = (host_alloc_t){ .fail_after = -1 };
	if (!host_dev_open(&m->dev, path, false, 512))
		exit(1);
	nc_fs_config_t cfg = host_fs_config(&m->dev, &m->alloc, 0);
	if (nc_fs_mount(&cfg, &m->fs))
		exit(1);
}

static void unmount_img(mnt_t *m)
{
	if (nc_fs_unmount(m->fs))
		exit(1);
	host_dev_close(&m->dev);
}

/* Our side of each workload; returns CPU seconds. */
static double ours(int w)
{
	mnt_t m;
	mount_img(&m);
	double t = bench_cpu_self();
	char name[64];
	nc_fs_node_t n;
	size_t got;
	static uint8_t buf[SMALL_BYTES];
	for (int i = 0; w < 2 && i < N_SMALL; i++) {
		snprintf(name, sizeof name, "/d/f%d", i);
		if (w == 0 && (nc_fs_create(m.fs, name, strlen(name), 0644, 0, &n) ||
			       nc_fs_write(m.fs, n, 0, big + i, SMALL_BYTES, &got)))
			exit(1);
		if (w == 1 && (nc_fs_lookup(m.fs, name, strlen(name), &n) ||
			       nc_fs_read(m.fs, n, 0, buf, sizeof buf, &got) || got != SMALL_BYTES))
			exit(1);
	}
	if (w == 2 && (nc_fs_create(m.fs, "/big", 4, 0644, 0, &n) || nc_fs_write(m.fs, n, 0, big, BIG_BYTES, &got)))
		exit(1);
	if (w == 3) {
		static uint8_t chunk[1 << 20];
		if (nc_fs_lookup(m.fs, "/big", 4, &n))
			exit(1);
		for (uint64_t off = 0; off < BIG_BYTES; off += got)
			if (nc_fs_read(m.fs, n, off, chunk, sizeof chunk, &got) || got == 0)
				exit(1);
	}
	unmount_img(&m); /* commits: part of the cost */
	return bench_cpu_self() - t;
}

/* debugfs's side: one invocation running the workload's commands (w -1: none). */
static double theirs(int w)
{
	char cmds[128];
	snprintf(cmds, sizeof cmds, "%s/cmds", dir);
	FILE *f = fopen(cmds, "w");
	for (int i = 0; w < 2 && i < N_SMALL; i++)
		if (w == 0)
			fprintf(f, "write %s/small%d /e/f%d\n", dir, i, i);
		else
			fprintf(f, "dump /e/f%d /dev/null\n", i);
	if (w == 2)
		fprintf(f, "write %s/big /big2\n", dir);
	if (w == 3)
		fprintf(f, "dump /big2 /dev/null\n");
	fclose(f);
	double t = bench_cpu_children();
	if (sh("debugfs -w -f %s %s/img > /dev/null 2>&1", cmds, dir))
		exit(1);
	return bench_cpu_children() - t;
}

static void prepare_sources(void)
{
	big = malloc(BIG_BYTES);
	for (uint32_t i = 0; i < BIG_BYTES; i++)
		big[i] = (uint8_t)(i * 2654435761u >> 24);
	char path[128];
	snprintf(path, sizeof path, "%s/big", dir);
	FILE *f = fopen(path, "wb");
	fwrite(big, 1, BIG_BYTES, f);
	fclose(f);
	for (int i = 0; i < N_SMALL; i++) {
		snprintf(path, sizeof path, "%s/small%d", dir, i);
		f = fopen(path, "wb");
		fwrite(big + i, 1, SMALL_BYTES, f);
		fclose(f);
	}
}

int main(void)
{
	snprintf(dir, sizeof dir, "/dev/shm/nc-fs-bench-%d", (int)getpid());
	if (sh("mkdir -p %s", dir))
		return 1;
	prepare_sources();
	static const char *names[] = { "create 1000 x 1 KiB", "read 1000 x 1 KiB", "write 32 MiB", "read 32 MiB" };
	printf("lib/fs vs debugfs (libext2fs, no journal), CPU s, best of %d; ratio lower is better\n", RUNS);
	for (uint32_t bs = 1024; bs <= 4096; bs *= 4) {
		double best_o[4] = { 1e9, 1e9, 1e9, 1e9 }, best_t[4] = { 1e9, 1e9, 1e9, 1e9 }, start = 1e9;
		for (int r = 0; r < RUNS; r++) {
			fresh_image(bs);
			if (sh("debugfs -w -R 'mkdir /d' %s/img > /dev/null 2>&1 && "
			       "debugfs -w -R 'mkdir /e' %s/img > /dev/null 2>&1", dir, dir))
				return 1;
			double e = theirs(-1);
			start = e < start ? e : start;
			for (int w = 0; w < 4; w++) {
				double o = ours(w), t = theirs(w);
				best_o[w] = o < best_o[w] ? o : best_o[w];
				best_t[w] = t < best_t[w] ? t : best_t[w];
			}
		}
		printf("  %u-byte blocks  debugfs start-up %.3f s (taken off below)\n", bs, start);
		for (int w = 0; w < 4; w++) {
			double t = best_t[w] - start;
			printf("  %u-byte blocks  %-22s lib/fs %.3f s  debugfs %.3f s  ratio %.2f\n", bs, names[w],
			       best_o[w], t, t > 0 ? best_o[w] / t : 0.0);
		}
	}
	sh("rm -rf %s", dir);
	return 0;
}
