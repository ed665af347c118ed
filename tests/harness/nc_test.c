/* Test registry and runner (see nc_test.h). Freestanding: uses lib/base only,
 * so the same tests build for the host and for NexaCore. */
#include "nc_test.h"
#include <nc/fmt.h>
#include <nc/mem.h>
#include <stdarg.h>

/* Bounds of the "nc_tests" section, provided by the linker for sections whose
 * names are C identifiers (GNU ld, "Input Section Basics"). */
extern const nc_test_t *const __start_nc_tests[];
extern const nc_test_t *const __stop_nc_tests[];

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

static const nc_test_t *running;

bool nc_test_fail(const char *file, int line, const char *expr, const char *detail)
{
	if (!current_failed)
		out("FAIL %s.%s: %s:%d: %s%s%s%s\n", running->suite, running->name, file, line,
		    expr, detail ? " (" : "", detail ? detail : "", detail ? ")" : "");
	current_failed = true;
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

static bool matches(const nc_test_t *t, const char *prefix)
{
	char full[128];
	nc_fmt_format(full, sizeof full, "%s.%s", t->suite, t->name);
	return !prefix || nc_str_starts_with(full, prefix);
}

uint64_t nc_test_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

int nc_test_run_all(const char *prefix)
{
	int passed = 0, failed = 0;
	for (const nc_test_t *const *p = __start_nc_tests; p < __stop_nc_tests; p++) {
		if (!matches(*p, prefix))
			continue;
		running = *p;
		current_failed = false;
		running->fn();
		if (current_failed)
			failed++;
		else {
			passed++;
			out("PASS %s.%s\n", running->suite, running->name);
		}
	}
	out("# %d passed, %d failed\n", passed, failed);
	return failed;
}
