/* randread: 4 KiB O_DIRECT reads at random aligned offsets of a block device,
 * with QD threads each keeping one read in flight. A Linux program (built
 * static with the host's gcc by blk_bench.sh) for the Linux guest of the
 * block benchmark, where busybox's dd covers the sequential runs.
 *   randread DEVICE QD N   prints "BENCH linux rand_read_4k_qdQD IOPS IOPS"
 * and, at QD 1, the fastest, median, 90th-percentile and slowest read
 * ("..._req_min/_p50/_p90/_max N us", as blkbench prints them). */
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
static uint64_t *req_ns; /* at QD 1: each read's time */

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

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
		uint64_t t = now_ns();
		if (pread(fd, buf, SMALL, (off_t)(s % blocks) * SMALL) != SMALL)
			return (void *)1;
		if (req_ns)
			req_ns[i] = now_ns() - t;
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
	req_ns = qd == 1 ? calloc(per_thread, sizeof *req_ns) : NULL;
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
	if (req_ns) {
		uint64_t k = per_thread;
		qsort(req_ns, k, sizeof *req_ns, compare_u64);
		printf("BENCH linux rand_read_4k_qd1_req_min %llu us\n", (unsigned long long)(req_ns[0] / 1000));
		printf("BENCH linux rand_read_4k_qd1_req_p50 %llu us\n", (unsigned long long)(req_ns[k / 2] / 1000));
		printf("BENCH linux rand_read_4k_qd1_req_p90 %llu us\n", (unsigned long long)(req_ns[k * 9 / 10] / 1000));
		printf("BENCH linux rand_read_4k_qd1_req_max %llu us\n", (unsigned long long)(req_ns[k - 1] / 1000));
	}
	return 0;
}
