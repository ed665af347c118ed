/* The one test harness, for host unit tests and in-OS tests alike.
 *
 *   NC_TEST(suite, name) { NC_CHECK(x == 1); NC_CHECK_EQ(a, b); }
 *
 * Tests register themselves in the linker section "nc_tests"; nc_test_run_all
 * runs every registered test and prints one line per test:
 *   PASS suite.name
 *   FAIL suite.name: file:line: expression (detail)
 * then "# N passed, N failed". The platform supplies nc_test_write (host:
 * stdout; NexaCore: the console). A failed check ends the current test
 * function; the run goes on with the next test. */
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

/* Deterministic test randomness: the next value of the xorshift64 generator
 * (Marsaglia 2003, shifts 13, 7, 17) whose state is *state (nonzero). */
uint64_t nc_test_random(uint64_t *state);

/* Run every registered test whose "suite.name" starts with prefix (NULL: all).
 * Returns the number of failed tests. */
int nc_test_run_all(const char *prefix);

/* Supplied by the platform: write len bytes of test output. */
void nc_test_write(const char *s, size_t len);

#endif
