/* linux_fsbench: fsbench.c's six measurements in the Linux guest, on ext3 mounted at /mnt
 * (bench/fs/fs_bench.sh). The page cache is dropped before each read phase, as NexaCore's fsd
 * keeps no file data in memory. Prints "BENCH linux NAME SECONDS s" lines. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { FILES = 1000, SMALL = 1024, PIECE = 4096, BIG = 32 << 20, BIG_PIECE = 1 << 20 };

static char buf[PIECE], big_buf[BIG_PIECE];

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void drop_caches(void)
{
	sync();
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd < 0 || write(fd, "3\n", 2) != 2)
		perror("drop_caches");
	if (fd >= 0)
		close(fd);
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static long read_to_end(const char *path, char *into, size_t piece)
{
	int fd = open(path, O_RDONLY);
	long total = 0;
	ssize_t n;
	if (fd < 0)
		die(path);
	while ((n = read(fd, into, piece)) > 0)
		total += n;
	close(fd);
	return total;
}

/* write_32m and read_32m in pieces of piece bytes from into: NAME and NAME_1m. */
static void big_file(const char *path, char *from, size_t piece, const char *suffix)
{
	double t = now_s();
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("big");
	for (long done = 0; done < BIG; done += (long)piece)
		if (write(fd, from, piece) != (ssize_t)piece)
			die("write big");
	if (fsync(fd) != 0)
		die("fsync big");
	close(fd);
	printf("BENCH linux write_32m%s %.6f s\n", suffix, now_s() - t);
	drop_caches();
	t = now_s();
	if (read_to_end(path, from, piece) != BIG)
		die("read big");
	printf("BENCH linux read_32m%s %.6f s\n", suffix, now_s() - t);
}

int main(void)
{
	char path[64];
	memset(buf, 'x', sizeof buf);
	if (mkdir("/mnt/b", 0755) != 0)
		die("mkdir");
	drop_caches();
	double t = now_s();
	for (int i = 0; i < FILES; i++) {
		snprintf(path, sizeof path, "/mnt/b/%d", i);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, SMALL) != SMALL)
			die("create");
		close(fd);
	}
	int dir = open("/mnt/b", O_RDONLY | O_DIRECTORY);
	if (dir < 0 || fsync(dir) != 0)
		die("fsync dir");
	syncfs(dir);
	printf("BENCH linux create_1000 %.6f s\n", now_s() - t);
	drop_caches();
	t = now_s();
	for (int i = 0; i < FILES; i++) {
		snprintf(path, sizeof path, "/mnt/b/%d", i);
		read_to_end(path, buf, PIECE);
	}
	printf("BENCH linux read_1000 %.6f s\n", now_s() - t);
	big_file("/mnt/big", buf, PIECE, "");
	if (unlink("/mnt/big") != 0) /* room for the next one on the 64 MiB disk */
		die("unlink big");
	drop_caches();
	memset(big_buf, 'x', sizeof big_buf);
	big_file("/mnt/big1m", big_buf, BIG_PIECE, "_1m");
	printf("BENCH linux done\n");
	return 0;
}
