/* ncScript against Debian's lua5.4, same workloads, same run. ncScript runs
 * in-process through nc_ncs_run with every limit enabled (steps, live bytes,
 * deadline from the clock, call depth); Lua runs as `lua5.4 FILE` on the same
 * program. Times are CPU seconds (user + system; the machine is shared, so wall
 * time would measure the neighbours), best of RUNS; the ratio is ncScript / Lua
 * (lower is better). Both sides print their result, which must agree. */
#define _POSIX_C_SOURCE 200809L
#include "../cpu_time.h"
#include <nc/ncs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { RUNS = 3 };

static const struct {
	const char *name, *ncs, *lua;
} work[] = {
	{ "fib(32)",
	  "fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }\nfn main() { fib(32) }",
	  "local function fib(n) if n < 2 then return n else return fib(n - 1) + fib(n - 2) end end\n"
	  "print(fib(32))" },
	{ "loop 10M arith",
	  "fn main() { let mut s = 0; for i in 0..10000000 { s = (s + i * 3) % 1000003; } s }",
	  "local s = 0\nfor i = 0, 9999999 do s = (s + i * 3) % 1000003 end\nprint(s)" },
	{ "200k strings+join",
	  "fn main() { let mut parts = []; for i in 0..200000 { parts.push(string::from_int(i)); }\n"
	  "let s = parts.join(\",\"); s.len() }",
	  "local t = {}\nfor i = 0, 199999 do t[#t + 1] = tostring(i) end\nprint(#table.concat(t, \",\"))" },
	{ "sort 100k ints",
	  "fn main() { let mut a = []; let mut x = 42;\n"
	  "for i in 0..100000 { x = (x * 1103515245 + 12345) % 2147483648; a.push(x); }\n"
	  "a.sort(); a[0] + a[50000] + a[99999] }",
	  "local a, x = {}, 42\nfor i = 1, 100000 do x = (x * 1103515245 + 12345) % 2147483648; a[i] = x end\n"
	  "table.sort(a)\nprint(a[1] + a[50001] + a[100000])" },
	{ "struct fields 5M",
	  "struct P { x: Int, y: Int }\nfn main() { let mut p = P { x: 0, y: 0 };\n"
	  "for i in 0..5000000 { p.x = p.x + i; p.y = p.y + p.x % 7; } p.y }",
	  "local p = { x = 0, y = 0 }\nfor i = 0, 4999999 do p.x = p.x + i; p.y = p.y + p.x % 7 end\nprint(p.y)" },
	{ "map 200k int keys",
	  "fn main() { let mut m = map::new(); let mut x = 42;\n"
	  "for i in 0..200000 { x = (x * 1103515245 + 12345) % 2147483648; m[x % 1000003] = i; }\n"
	  "let mut s = 0; for i in 0..400000 { s += m.get_or(i, 0); } s % 1000000007 + m.len() }",
	  "local m, x = {}, 42\nfor i = 0, 199999 do x = (x * 1103515245 + 12345) % 2147483648; m[x % 1000003] = i end\n"
	  "local s, n = 0, 0\nfor i = 0, 399999 do s = s + (m[i] or 0) end\nfor _ in pairs(m) do n = n + 1 end\n"
	  "print(s % 1000000007 + n)" },
	{ "map 200k word count",
	  "fn main() { let mut m = map::new();\n"
	  "for i in 0..200000 { let w = \"k\" + ((i * 7919) % 5000) as String; m[w] = m.get_or(w, 0) + 1; }\n"
	  "m.len() * 1000 + m[\"k42\"] }",
	  "local m = {}\nfor i = 0, 199999 do local w = \"k\" .. ((i * 7919) % 5000); m[w] = (m[w] or 0) + 1 end\n"
	  "local n = 0\nfor _ in pairs(m) do n = n + 1 end\nprint(n * 1000 + m[\"k42\"])" },
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t clock_us(void *ud)
{
	(void)ud;
	return (uint64_t)(now() * 1e6);
}

static void *alloc(void *ud, void *p, size_t old, size_t n)
{
	(void)ud;
	(void)old;
	if (!n) {
		free(p);
		return NULL;
	}
	return realloc(p, n);
}

/* Run Lua on src; returns seconds (or -1) and its first output line in out. */
static double run_lua(const char *src, char *out, size_t cap)
{
	char path[] = "/tmp/ncs_bench_XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	fputs(src, f);
	fclose(f);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "lua5.4 %s", path);
	double t0 = bench_cpu_children();
	FILE *p = popen(cmd, "r");
	if (!p) {
		remove(path);
		return -1;
	}
	if (!fgets(out, (int)cap, p))
		out[0] = 0;
	int rc = pclose(p);
	double t = bench_cpu_children() - t0;
	remove(path);
	out[strcspn(out, "\n")] = 0;
	return rc == 0 && out[0] ? t : -1;
}

int main(void)
{
	nc_ncs_config_t cfg = { 0 };
	cfg.alloc = alloc;
	cfg.clock = clock_us;
	cfg.limits.max_steps = 100000000000ull;
	cfg.limits.max_alloc_bytes = 1ull << 30;
	cfg.limits.deadline_micros = 600000000ull;
	cfg.limits.max_call_depth = 100000;
	printf("%-20s %12s %12s %8s  %s\n", "workload", "ncscript cpu", "lua5.4 cpu", "ratio", "result");
	for (size_t w = 0; w < sizeof work / sizeof work[0]; w++) {
		double best_n = 1e9, best_l = 1e9;
		char value[64] = "?", lua_out[64] = "";
		bool ok = true;
		for (int r = 0; r < RUNS; r++) {
			nc_ncs_result_t res;
			double t0 = bench_cpu_self();
			nc_ncs_err_t err = nc_ncs_run(&cfg, "bench.ncs", work[w].ncs, strlen(work[w].ncs), &res);
			double t = bench_cpu_self() - t0;
			if (err) {
				printf("%-20s ncscript failed: %s", work[w].name, res.message ? res.message : nc_ncs_err_name(err));
				ok = false;
			} else {
				snprintf(value, sizeof value, "%s", res.value);
			}
			nc_ncs_result_fini(&cfg, &res);
			if (t < best_n)
				best_n = t;
			double tl = run_lua(work[w].lua, lua_out, sizeof lua_out);
			if (tl >= 0 && tl < best_l)
				best_l = tl;
		}
		if (!ok)
			continue;
		if (best_l >= 1e9) {
			printf("%-20s %12.3f %12s %8s  %s (lua5.4 not available)\n", work[w].name, best_n, "-", "-", value);
			continue;
		}
		printf("%-20s %12.3f %12.3f %8.2f  %s%s\n", work[w].name, best_n, best_l, best_n / best_l, value,
		       strcmp(value, lua_out) ? " (MISMATCH with lua)" : "");
	}
	return 0;
}
