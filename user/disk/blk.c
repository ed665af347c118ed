/* blk: raw block devices from the shell (docs/block.md), dd-like.
 *   blk list                          every registered device (BlkList)
 *   blk read DEV LBA [COUNT]          COUNT blocks (default 1) in hex and text
 *   blk write DEV LBA TEXT            TEXT at the start of block LBA (the rest
 *                                     of the block zero), flushed
 *   blk copy DEV FROM TO COUNT        COUNT blocks from FROM to TO, flushed
 * Needs blk.lookup on DEV (and blk.write to write): run it with
 * `run --grant blk=* blk ...`. Exit status 0, or 1 with the error. */
#include <nc/args.h>
#include <nc/blk.h>
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/ulib.h>

enum { ARGS_MAX = 6, DEVICES_MAX = 16, DUMP_BYTES = 64, WINDOW_BYTES = 128 * 1024 };

static bool number(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > UINT64_MAX / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

static int fail(const char *what, nc_sys_err_t err)
{
	nc_print("blk: %s: %s\n", what, nc_sys_err_name(err));
	return 1;
}

static int list(void)
{
	nc_sys_blk_info_t info[DEVICES_MAX];
	uint64_t n;
	nc_sys_err_t err = nc_sys_blk_list(info, DEVICES_MAX, &n);
	if (err)
		return fail("BlkList", err);
	nc_print("%-12s %10s %12s %10s %6s\n", "DEVICE", "BLOCK", "BLOCKS", "MIB", "PID");
	for (uint64_t i = 0; i < n && i < DEVICES_MAX; i++)
		nc_print("%-12s %10llu %12llu %10llu %6llu%s\n", info[i].name, (unsigned long long)info[i].block_bytes,
			 (unsigned long long)info[i].n_blocks,
			 (unsigned long long)(info[i].block_bytes * info[i].n_blocks >> 20),
			 (unsigned long long)info[i].driver_pid, info[i].flags & NC_SYS_BLK_READ_ONLY ? " ro" : "");
	return 0;
}

static void dump(uint64_t lba, const uint8_t *p, uint64_t n)
{
	for (uint64_t off = 0; off < n; off += 16) {
		char line[96];
		size_t k = nc_fmt_format(line, sizeof line, "%8llu+%03llx ", (unsigned long long)lba,
					 (unsigned long long)off);
		for (int i = 0; i < 16; i++)
			k += nc_fmt_format(line + k, sizeof line - k, "%02x ", p[off + i]);
		for (int i = 0; i < 16; i++)
			line[k++] = p[off + i] >= ' ' && p[off + i] < 127 ? (char)p[off + i] : '.';
		line[k] = 0;
		nc_print("%s\n", line);
	}
}

static int read_blocks(nc_blk_t *b, uint64_t lba, uint64_t count)
{
	uint64_t per = b->window_bytes / b->info.block_bytes;
	for (uint64_t done = 0; done < count;) {
		uint64_t n = count - done < per ? count - done : per;
		nc_sys_err_t err = nc_blk_io(b, NC_BLK_OP_READ, 0, lba + done, (uint32_t)n, 0);
		if (err)
			return fail("read", err);
		for (uint64_t i = 0; i < n; i++)
			dump(lba + done + i, b->window + i * b->info.block_bytes, DUMP_BYTES);
		done += n;
	}
	return 0;
}

static int write_text(nc_blk_t *b, uint64_t lba, const char *text)
{
	size_t n = nc_str_len(text);
	if (n > b->info.block_bytes)
		n = b->info.block_bytes;
	nc_mem_set(b->window, 0, b->info.block_bytes);
	nc_mem_copy(b->window, text, n);
	nc_sys_err_t err = nc_blk_io(b, NC_BLK_OP_WRITE, 0, lba, 1, 0);
	if (!err)
		err = nc_blk_io(b, NC_BLK_OP_FLUSH, 0, 0, 0, 0);
	return err ? fail("write", err) : 0;
}

static int copy_blocks(nc_blk_t *b, uint64_t from, uint64_t to, uint64_t count)
{
	uint64_t per = b->window_bytes / b->info.block_bytes;
	nc_sys_err_t err = NC_SYS_OK;
	for (uint64_t done = 0; done < count && !err;) {
		uint64_t n = count - done < per ? count - done : per;
		err = nc_blk_io(b, NC_BLK_OP_READ, 0, from + done, (uint32_t)n, 0);
		if (!err)
			err = nc_blk_io(b, NC_BLK_OP_WRITE, 0, to + done, (uint32_t)n, 0);
		done += n;
	}
	if (!err)
		err = nc_blk_io(b, NC_BLK_OP_FLUSH, 0, 0, 0, 0);
	return err ? fail("copy", err) : 0;
}

int main(const char *arg, size_t arg_len)
{
	char buf[512];
	char *argv[ARGS_MAX + 1];
	int argc = 0;
	if (nc_args_split(arg, arg_len, buf, sizeof buf, argv, ARGS_MAX, &argc) || argc == 0)
		argc = 0;
	if (argc == 1 && nc_str_compare(argv[0], "list") == 0)
		return list();
	uint64_t a = 0, c = 1, d = 0;
	bool ok = argc >= 3 && number(argv[2], &a);
	if (!ok || (nc_str_compare(argv[0], "read") == 0 && argc == 4 && !number(argv[3], &c)) ||
	    (nc_str_compare(argv[0], "copy") == 0 && (argc != 5 || !number(argv[3], &d) || !number(argv[4], &c)))) {
		nc_print("usage: blk list | blk read DEV LBA [COUNT] | blk write DEV LBA TEXT | blk copy DEV FROM TO COUNT\n");
		return 2;
	}
	nc_blk_t b;
	nc_sys_err_t err = nc_blk_open(&b, argv[1], WINDOW_BYTES);
	if (err)
		return fail(argv[1], err);
	int rc = 2;
	if (nc_str_compare(argv[0], "read") == 0)
		rc = read_blocks(&b, a, c);
	else if (nc_str_compare(argv[0], "write") == 0 && argc == 4)
		rc = write_text(&b, a, argv[3]);
	else if (nc_str_compare(argv[0], "copy") == 0)
		rc = copy_blocks(&b, a, d, c);
	nc_blk_close(&b);
	return rc;
}
