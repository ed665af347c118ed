/* randread: 4 KiB O_DIRECT reads at random aligned offsets of a block device,
 * with QD threads each keeping one read in flight. A Linux program (built
 * static with the host's gcc by blk_bench.sh) for the Linux guest of the
 * block benchmark, where busybox's dd covers the sequential runs.
 *   randread DEVICE QD N   prints "BENCH linux rand_read_4k_qdQD IOPS IOPS" */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { SMALL = 4096, QD_MAX = 64 };

static int fd;
static uint64_t blocks, per_thread;

static void *reader(void *arg)
{
	uint64_t s = 0x72616e6472656164ull ^ (uintptr_t)arg * 0x9e3779b97f4a7c15ull;
	void *buf;
	if (posix_memalign(&buf, SMALL, SMALL))
		return (void *)1;
	for (uint64_t i = 0; i < per_thread; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		if (pread(fd, buf, SMALL, (off_t)(s % blocks) * SMALL) != SMALL)
			return (void *)1;
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return fprintf(stderr, "usage: randread DEVICE QD N\n"), 2;
	int qd = atoi(argv[2]);
	long n = atol(argv[3]);
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	off_t size = fd < 0 ? 0 : lseek(fd, 0, SEEK_END);
	if (fd < 0 || size < SMALL || qd < 1 || qd > QD_MAX || n < qd)
		return fprintf(stderr, "randread: cannot read %s\n", argv[1]), 1;
	blocks = (uint64_t)size / SMALL;
	per_thread = (uint64_t)n / (uint64_t)qd;
	pthread_t t[QD_MAX];
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < qd; i++)
		pthread_create(&t[i], NULL, reader, (void *)(uintptr_t)i);
	int bad = 0;
	for (int i = 0; i < qd; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad |= r != NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	if (bad)
		return fprintf(stderr, "randread: a read failed\n"), 1;
	printf("BENCH linux rand_read_4k_qd%d %.0f IOPS\n", qd, (double)(per_thread * (uint64_t)qd) / s);
	return 0;
}
