/* termbench N: terminal throughput, the way `cat` of a large file writes
 * (bench/desktop/desktop_bench.py, docs/desktop.md "Benchmarks"). It writes N
 * numbered lines of 79 characters to its standard output in the chunks the
 * shell's cat uses there: messages of IPC_MSG_MAX_BYTES on a terminal
 * window's channel, IO_MAX_BYTES console writes otherwise. In a window it
 * then asks the terminal for the cursor position (ESC [ 6 n) and waits for
 * the answer, which the terminal gives only after it has handled every line
 * before it; a console write returns once the kernel has drawn it. The
 * result goes to the console (WriteConsole: the serial line), whatever
 * standard output is:
 *   bench desktop.WHERE_lines: N lines, C TSC per line, L lines/s
 * WHERE being terminal or console; TSC counts guest instructions under
 * -icount shift=0. */
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/ulib.h>

enum { LINE = 80, LINES_MAX = 100000, ANSWER_NS = 60ull * 1000 * 1000 * 1000 };

static char text[NC_SYS_IO_MAX_BYTES];

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

/* Line i (79 characters and '\n') at p. */
static void line(char *p, uint64_t i)
{
	size_t n = nc_fmt_format(p, LINE, "%06llu ", (unsigned long long)i);
	for (; n < LINE - 1; n++)
		p[n] = (char)('a' + (i + n) % 26);
	p[LINE - 1] = '\n';
}

static nc_sys_err_t put(uint64_t out, const char *s, size_t n)
{
	if (!out)
		return nc_sys_write_console(s, n);
	for (size_t off = 0; off < n; off += NC_SYS_IPC_MSG_MAX_BYTES) {
		size_t k = n - off < NC_SYS_IPC_MSG_MAX_BYTES ? n - off : NC_SYS_IPC_MSG_MAX_BYTES;
		nc_sys_err_t err = nc_sys_ipc_send(out, s + off, k, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
		if (err)
			return err;
	}
	return NC_SYS_OK;
}

/* The terminal's cursor position report ("ESC [ row ; col R") came back. */
static bool answered(void)
{
	char buf[32];
	size_t got = 0, n;
	while (got < sizeof buf && !nc_stdin_read(buf + got, sizeof buf - got, ANSWER_NS, &n) && n) {
		got += n;
		if (buf[got - 1] == 'R')
			return true;
	}
	return false;
}

int main(const char *arg, size_t arg_len)
{
	uint64_t lines = 0;
	for (size_t i = 0; i < arg_len && arg[i] >= '0' && arg[i] <= '9'; i++)
		lines = lines * 10 + (uint64_t)(arg[i] - '0');
	if (!lines || lines > LINES_MAX) {
		nc_print("usage: termbench LINES (1..%u)\n", LINES_MAX);
		return 64;
	}
	uint64_t out = nc_handle_find(NC_SYS_HANDLE_CHANNEL, NC_SYS_RIGHT_WRITE, NC_SYS_RIGHT_READ);
	uint64_t t0, t1, c0 = rdtsc();
	nc_sys_clock_get(&t0);
	enum { PER_CHUNK = sizeof text / LINE };
	nc_sys_err_t err = NC_SYS_OK;
	for (uint64_t i = 0; i < lines && !err; i += PER_CHUNK) {
		uint64_t k = lines - i < PER_CHUNK ? lines - i : PER_CHUNK;
		for (uint64_t j = 0; j < k; j++)
			line(text + j * LINE, i + j);
		err = put(out, text, k * LINE);
	}
	if (!err && out && (err = put(out, "\x1b[6n", 4)) == NC_SYS_OK && !answered())
		err = NC_SYS_ERR_TIMED_OUT;
	uint64_t c1 = rdtsc();
	nc_sys_clock_get(&t1);
	char report[160];
	size_t n = err ? nc_fmt_format(report, sizeof report, "bench desktop.%s_lines: failed: %s\n",
				       out ? "terminal" : "console", nc_sys_err_name(err))
		       : nc_fmt_format(report, sizeof report, "bench desktop.%s_lines: %llu lines, %llu TSC per line, %llu lines/s\n",
				       out ? "terminal" : "console", (unsigned long long)lines,
				       (unsigned long long)((c1 - c0) / lines),
				       (unsigned long long)(lines * 1000000000ull / (t1 > t0 ? t1 - t0 : 1)));
	nc_sys_write_console(report, n);
	return err ? 1 : 0;
}
