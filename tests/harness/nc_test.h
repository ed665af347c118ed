/* The one test harness, for host unit tests, the in-kernel tests and the
 * in-OS test programs (usertests, aitests, libtests) alike.
 *
 * Registered tests (host, kernel, libtests):
 *   NC_TEST(suite, name) { NC_CHECK(x == 1); NC_CHECK_EQ(a, b); }
 * register themselves in the linker section "nc_tests"; nc_test_run_all runs
 * them. Ordered cases (the in-OS programs, whose tests share one boot and run
 * in a fixed order):
 *   static bool t_x(void) { NC_REQUIRE(x == 1); if (bad) return NC_FAIL("%d", v); return true; }
 *   const nc_test_case_t cases[] = { { "area.x", t_x }, { NULL, NULL } };
 * are run by nc_test_run_cases. Both print one line per test:
 *   PASS suite.name
 *   FAIL suite.name: file:line: expression (detail)     (a check)
 *   FAIL suite.name: message                            (NC_FAIL)
 * then "# N passed, N failed" (the QEMU test scripts and scripts/run-tests
 * parse these lines). The platform supplies nc_test_write (host: stdout;
 * kernel: the console; NexaCore programs: nc_test_user.c). A failed check
 * ends the current test function; the run goes on with the next test. */
#ifndef NC_TEST_H
#define NC_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef struct {
	const char *suite;
	const char *name;
	void (*fn)(void);
} nc_test_t;

#define NC_TEST(suite, name)                                                     \
	static void nc_test_fn_##suite##_##name(void);                            \
	static const nc_test_t nc_test_rec_##suite##_##name = {                  \
		#suite, #name, nc_test_fn_##suite##_##name };                       \
	static const nc_test_t *const nc_test_ptr_##suite##_##name               \
		__attribute__((used, section("nc_tests"))) = &nc_test_rec_##suite##_##name; \
	static void nc_test_fn_##suite##_##name(void)

/* Record a failure of the running test. Returns false so checks can chain. */
bool nc_test_fail(const char *file, int line, const char *expr, const char *detail);

#define NC_CHECK(cond)                                                   \
	do {                                                             \
		if (!(cond)) {                                           \
			nc_test_fail(__FILE__, __LINE__, #cond, NULL);   \
			return;                                          \
		}                                                        \
	} while (0)

/* Integer equality; the detail shows both values. */
#define NC_CHECK_EQ(a, b)                                                          \
	do {                                                                       \
		long long nc_a_ = (long long)(a), nc_b_ = (long long)(b);          \
		if (nc_a_ != nc_b_) {                                              \
			nc_test_fail_eq(__FILE__, __LINE__, #a " == " #b, nc_a_, nc_b_); \
			return;                                                    \
		}                                                                  \
	} while (0)

/* String equality (NUL-terminated); the detail shows both strings. */
#define NC_CHECK_STR(a, b)                                                         \
	do {                                                                       \
		if (!nc_test_str_eq((a), (b))) {                                   \
			nc_test_fail_str(__FILE__, __LINE__, #a " == " #b, (a), (b)); \
			return;                                                    \
		}                                                                  \
	} while (0)

bool nc_test_fail_eq(const char *file, int line, const char *expr, long long a, long long b);
bool nc_test_fail_str(const char *file, int line, const char *expr, const char *a, const char *b);
bool nc_test_str_eq(const char *a, const char *b);

/* Print a note line "# ..." into the test log (printf subset, see nc/fmt.h). */
void nc_test_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Deterministic test randomness (nc_test_random), shared with bench/. */
#include "random/nc_test_random.h"

/* Run every registered test whose "suite.name" starts with one of the
 * comma-separated prefixes of prefix (NULL or "": all). Returns the number of
 * failed tests. */
int nc_test_run_all(const char *prefix);

/* ---- Ordered cases ---- */

/* A case returns true when it passed; it fails by returning NC_FAIL(...) or
 * through NC_REQUIRE (or another check that records a failure). */
typedef struct {
	const char *name; /* "area.what": printed as suite.area.what */
	bool (*fn)(void);
} nc_test_case_t;

/* Record a failure of the running case with a printf-style message (printed
 * once, the first failure of a case). Returns false so a case can
 * `return NC_FAIL(...)`. Outside a running test (a child process of an in-OS
 * program, whose exit status is its verdict) it prints nothing. */
bool nc_test_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define NC_FAIL(...) nc_test_failf(__VA_ARGS__)

/* In a case (or a helper returning bool): fail unless cond holds. */
#define NC_REQUIRE(cond)                                                          \
	do {                                                                      \
		if (!(cond))                                                      \
			return nc_test_fail(__FILE__, __LINE__, #cond, NULL);     \
	} while (0)

/* How nc_test_run_cases runs: the cases whose name starts with one of the
 * comma-separated prefixes of only (NULL or "": every case) and with none of
 * those of skip (NULL: none); with clock_ns (monotonic, nanoseconds) it also
 * notes each case's time ("# suite.name: N ms"). */
typedef struct {
	const char *only;
	const char *skip;
	uint64_t (*clock_ns)(void);
} nc_test_plan_t;

/* Whether name starts with one of the comma-separated prefixes of list
 * (empty entries match nothing; a NULL list matches nothing). */
bool nc_test_matches_any(const char *name, const char *list);

/* Run the selected cases of each NULL-terminated table of tables[0..n_tables),
 * in order, as "suite.name"; then print "# suite: N passed, N failed".
 * Returns the number of failed cases. */
int nc_test_run_cases(const char *suite, const nc_test_case_t *const *tables, size_t n_tables,
		      const nc_test_plan_t *plan);

/* Supplied by the platform: write len bytes of test output. */
void nc_test_write(const char *s, size_t len);

#endif
