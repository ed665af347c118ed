/* Test registry and runners (see nc_test.h). Freestanding: uses lib/base only,
 * so the same tests build for the host, the kernel and NexaCore programs. */
#include "nc_test.h"
#include <nc/fmt.h>
#include <nc/mem.h>
#include <stdarg.h>

/* Bounds of the "nc_tests" section, provided by the linker for sections whose
 * names are C identifiers (GNU ld, "Input Section Basics"); weak, so that a
 * program of ordered cases only (no NC_TEST, no section) links with both
 * NULL: no registered tests. */
extern const nc_test_t *const __start_nc_tests[] __attribute__((weak));
extern const nc_test_t *const __stop_nc_tests[] __attribute__((weak));

/* The running test: its printed name and whether it has failed. */
static const char *running_suite, *running_name;
static bool current_failed;

static void sink_write(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	nc_test_write(s, n);
}

static void out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	nc_fmt_vprint(sink_write, NULL, fmt, ap);
	va_end(ap);
}

bool nc_test_fail(const char *file, int line, const char *expr, const char *detail)
{
	return nc_test_failf("%s:%d: %s%s%s%s", file, line, expr, detail ? " (" : "", detail ? detail : "",
			     detail ? ")" : "");
}

bool nc_test_failf(const char *fmt, ...)
{
	if (running_name && !current_failed) {
		va_list ap;
		va_start(ap, fmt);
		out("FAIL %s.%s: ", running_suite, running_name);
		nc_fmt_vprint(sink_write, NULL, fmt, ap);
		out("\n");
		va_end(ap);
	}
	current_failed = running_name != NULL;
	return false;
}

bool nc_test_fail_eq(const char *file, int line, const char *expr, long long a, long long b)
{
	char detail[64];
	nc_fmt_format(detail, sizeof detail, "%lld != %lld", a, b);
	return nc_test_fail(file, line, expr, detail);
}

bool nc_test_fail_str(const char *file, int line, const char *expr, const char *a, const char *b)
{
	char detail[160];
	nc_fmt_format(detail, sizeof detail, "\"%.60s\" != \"%.60s\"", a ? a : "(null)",
		      b ? b : "(null)");
	return nc_test_fail(file, line, expr, detail);
}

bool nc_test_str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return nc_str_compare(a, b) == 0;
}

void nc_test_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out("# ");
	nc_fmt_vprint(sink_write, NULL, fmt, ap);
	out("\n");
	va_end(ap);
}

bool nc_test_matches_any(const char *name, const char *list)
{
	while (list && *list) {
		size_t n = 0;
		while (list[n] && list[n] != ',')
			n++;
		if (n && nc_str_len_max(name, n) == n && nc_mem_compare(name, list, n) == 0)
			return true;
		list += n + (list[n] == ',');
	}
	return false;
}

/* Run one test (fn returns whether it passed; a recorded failure fails it
 * too); with clock_ns, note its time; then print its PASS line unless a FAIL
 * line was printed already. */
static bool run_one(const char *suite, const char *name, bool (*fn)(const void *), const void *ctx,
		    uint64_t (*clock_ns)(void))
{
	running_suite = suite;
	running_name = name;
	current_failed = false;
	uint64_t t0 = clock_ns ? clock_ns() : 0;
	if (!fn(ctx))
		nc_test_failf("returned false");
	if (clock_ns)
		nc_test_note("%s.%s: %llu ms", suite, name, (unsigned long long)((clock_ns() - t0) / 1000000));
	bool passed = !current_failed;
	if (passed)
		out("PASS %s.%s\n", suite, name);
	running_name = NULL;
	return passed;
}

static bool call_registered(const void *t)
{
	((const nc_test_t *)t)->fn();
	return true;
}

int nc_test_run_all(const char *prefix)
{
	int passed = 0, failed = 0;
	for (const nc_test_t *const *p = __start_nc_tests; p < __stop_nc_tests; p++) {
		char full[128];
		nc_fmt_format(full, sizeof full, "%s.%s", (*p)->suite, (*p)->name);
		if (prefix && *prefix && !nc_test_matches_any(full, prefix))
			continue;
		if (run_one((*p)->suite, (*p)->name, call_registered, *p, NULL))
			passed++;
		else
			failed++;
	}
	out("# %d passed, %d failed\n", passed, failed);
	return failed;
}

static bool call_case(const void *c)
{
	return ((const nc_test_case_t *)c)->fn();
}

int nc_test_run_cases(const char *suite, const nc_test_case_t *const *tables, size_t n_tables,
		      const nc_test_plan_t *plan)
{
	int passed = 0, failed = 0;
	for (size_t t = 0; t < n_tables; t++)
		for (const nc_test_case_t *c = tables[t]; c->name; c++) {
			if ((plan->only && *plan->only && !nc_test_matches_any(c->name, plan->only)) ||
			    nc_test_matches_any(c->name, plan->skip))
				continue;
			if (run_one(suite, c->name, call_case, c, plan->clock_ns))
				passed++;
			else
				failed++;
		}
	out("# %s: %d passed, %d failed\n", suite, passed, failed);
	return failed;
}
