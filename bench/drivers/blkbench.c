/* blkbench: the block service's throughput (bench/drivers/blk_bench.sh runs
 * it under devmgr in a copy of the bench image, against the NVMe disk).
 * The same four measurements the Linux baseline makes with dd and randread:
 *   seq_write   64 MiB in 128 KiB writes, one at a time (dd oflag=direct bs=128k)
 *   seq_read    64 MiB in 128 KiB reads, one at a time   (dd iflag=direct bs=128k)
 *   rand_qd1    4 KiB reads at random aligned offsets, one at a time
 *   rand_qd32   the same with 32 in flight
 * Prints "BENCH nexacore NAME VALUE UNIT" lines; never asserts. Besides the
 * rates, the one-at-a-time runs print the fastest, median, 90th percentile
 * and slowest single request (NAME_req_min, _p50, _p90, _max in
 * microseconds): a short run's rate under TCG on a loaded host swings with
 * the host's scheduling, the fastest and the median request much less, so
 * they tell the code's cost from the host's noise. */
#include <nc/blk.h>
#include <nc/sort.h>
#include <nc/ulib.h>
#include <nc_test_random.h>

enum { CHUNK = 128 * 1024, TOTAL = 64 << 20, SMALL = 4096, QD = 32, RAND_QD1 = 2000, RAND_QD32 = 8000 };

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	nc_sys_clock_get(&t);
	return t;
}

static uint64_t rng = 0x626c6b62656e6368ull;

static uint64_t next(void) { return nc_test_random(&rng); }

/* MiB/s with two decimals, printed from integers (no floating point here). */
static void report_rate(const char *name, uint64_t bytes, uint64_t ns)
{
	uint64_t centi = ns ? bytes * 100 * 1000000000ull / ns / (1 << 20) : 0;
	nc_print("BENCH nexacore %s %llu.%02llu MiB/s\n", name, (unsigned long long)(centi / 100),
		 (unsigned long long)(centi % 100));
}

static void report_iops(const char *name, uint64_t n, uint64_t ns)
{
	nc_print("BENCH nexacore %s %llu IOPS\n", name, (unsigned long long)(ns ? n * 1000000000ull / ns : 0));
}

/* Times of single requests, for report_requests. */
static uint64_t req_ns[RAND_QD1 > TOTAL / CHUNK ? RAND_QD1 : TOTAL / CHUNK];

static int compare_u64(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void report_requests(const char *name, size_t n)
{
	nc_sort(req_ns, n, sizeof req_ns[0], compare_u64, NULL);
	nc_print("BENCH nexacore %s_req_min %llu us\n", name, (unsigned long long)(req_ns[0] / 1000));
	nc_print("BENCH nexacore %s_req_p50 %llu us\n", name, (unsigned long long)(req_ns[n / 2] / 1000));
	nc_print("BENCH nexacore %s_req_p90 %llu us\n", name, (unsigned long long)(req_ns[n * 9 / 10] / 1000));
	nc_print("BENCH nexacore %s_req_max %llu us\n", name, (unsigned long long)(req_ns[n - 1] / 1000));
}

static nc_sys_err_t sequential(nc_blk_t *b, uint8_t op)
{
	uint32_t blocks = CHUNK / (uint32_t)b->info.block_bytes;
	for (uint64_t at = 0; at < TOTAL; at += CHUNK) {
		uint64_t t = now_ns();
		nc_sys_err_t err = nc_blk_io(b, op, 0, at / b->info.block_bytes, blocks, 0);
		req_ns[at / CHUNK] = now_ns() - t;
		if (err)
			return err;
	}
	return NC_SYS_OK;
}

static uint64_t random_lba(const nc_blk_t *b)
{
	uint64_t per = SMALL / b->info.block_bytes;
	return next() % (b->info.n_blocks / per) * per;
}

/* n random 4 KiB reads with up to depth in flight (window slot i for request
 * i % depth); at depth 1 each request's time goes to req_ns. */
static nc_sys_err_t random_reads(nc_blk_t *b, unsigned n, unsigned depth)
{
	uint32_t blocks = SMALL / (uint32_t)b->info.block_bytes;
	unsigned sent = 0, done = 0, in_flight = 0;
	uint64_t started = 0;
	while (done < n) {
		nc_blk_req_t r[NC_BLK_REQS_PER_MSG];
		size_t k = 0;
		while (sent < n && in_flight + k < depth && k < NC_BLK_REQS_PER_MSG) {
			r[k] = (nc_blk_req_t){ NC_BLK_OP_READ, 0, 0, blocks, random_lba(b), (uint64_t)(sent % depth) * SMALL,
					       sent };
			k++;
			sent++;
		}
		if (k) {
			started = now_ns();
			nc_sys_err_t err = nc_blk_submit(b, r, k);
			if (err)
				return err;
			in_flight += (unsigned)k;
			continue;
		}
		nc_blk_done_t d[NC_BLK_DONES_PER_MSG];
		size_t got;
		nc_sys_err_t err = nc_blk_wait(b, d, NC_BLK_DONES_PER_MSG, &got, NC_SYS_TIMEOUT_INFINITE);
		for (size_t i = 0; !err && i < got; i++)
			if (d[i].status)
				err = (nc_sys_err_t)d[i].status;
		if (err)
			return err;
		if (depth == 1 && done < RAND_QD1)
			req_ns[done] = now_ns() - started;
		done += (unsigned)got;
		in_flight -= (unsigned)got;
	}
	return NC_SYS_OK;
}

int main(const char *arg, size_t arg_len)
{
	(void)arg;
	(void)arg_len;
	nc_blk_t b;
	nc_sys_err_t err = nc_blk_open(&b, "nvme0n1", CHUNK > QD * SMALL ? CHUNK : QD * SMALL);
	if (err) {
		nc_print("blkbench: nvme0n1: %s\n", nc_sys_err_name(err));
		return 1;
	}
	for (uint64_t i = 0; i < b.window_bytes; i++)
		b.window[i] = (uint8_t)(i * 13);
	uint64_t t = now_ns();
	err = sequential(&b, NC_BLK_OP_WRITE);
	if (!err)
		err = nc_blk_io(&b, NC_BLK_OP_FLUSH, 0, 0, 0, 0);
	report_rate("seq_write", TOTAL, now_ns() - t);
	if (!err)
		report_requests("seq_write", TOTAL / CHUNK);
	t = now_ns();
	if (!err)
		err = sequential(&b, NC_BLK_OP_READ);
	report_rate("seq_read", TOTAL, now_ns() - t);
	if (!err)
		report_requests("seq_read", TOTAL / CHUNK);
	t = now_ns();
	if (!err)
		err = random_reads(&b, RAND_QD1, 1);
	report_iops("rand_read_4k_qd1", RAND_QD1, now_ns() - t);
	if (!err)
		report_requests("rand_read_4k_qd1", RAND_QD1);
	t = now_ns();
	if (!err)
		err = random_reads(&b, RAND_QD32, QD);
	report_iops("rand_read_4k_qd32", RAND_QD32, now_ns() - t);
	nc_blk_close(&b);
	if (err)
		nc_print("blkbench: %s\n", nc_sys_err_name(err));
	return err ? 1 : 0;
}
