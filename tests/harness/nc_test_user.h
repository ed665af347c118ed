/* The harness inside NexaCore (user flavour): what the in-OS test programs
 * (usertests, aitests, libtests) share besides nc_test.h.
 *
 * nc_test_user.c supplies nc_test_write (whole lines to the program's standard
 * output, as nc_print writes them, so another process's output cannot split a
 * PASS/FAIL line). A program that checks crashes, denials or killed callers
 * starts itself again with the argument "child:NAME"; nc_test_child_name
 * recognises that argument and nc_test_run_child runs NAME's body, whose
 * return value is the child's exit status (0: every check held, else the
 * failing line, NC_REQUIRE_CHILD / NC_EXPECT_SYS_CHILD). */
#ifndef NC_TEST_USER_H
#define NC_TEST_USER_H

#include "nc_test.h"
#include <nc/ulib.h>

/* In a case: fail unless expr gives the system error want (both named). */
#define NC_EXPECT_SYS(expr, want)                                                              \
	do {                                                                                   \
		nc_sys_err_t nc_got_ = (expr);                                                 \
		if (nc_got_ != (want))                                                         \
			return NC_FAIL("line %d: %s gave %s, want %s", __LINE__, #expr,        \
				       nc_sys_err_name(nc_got_), nc_sys_err_name(want));        \
	} while (0)

/* In a child body (no test running): return the failing line number unless
 * expr gives want (NC_EXPECT_CHILD) or cond holds (NC_REQUIRE_CHILD). */
#define NC_EXPECT_CHILD(expr, want) NC_REQUIRE_CHILD((expr) == (want))
#define NC_REQUIRE_CHILD(cond)                                                                 \
	do {                                                                                   \
		if (!(cond))                                                                   \
			return __LINE__;                                                       \
	} while (0)

/* A child body: runs in its own process; its return value is the exit code. */
typedef struct {
	const char *name;
	int (*fn)(void);
} nc_test_child_t;

/* The exit status of a child whose body is missing. */
enum { NC_TEST_CHILD_MISSING = 127 };

/* If arg (arg_len bytes) is "child:NAME", NAME (inside arg); else NULL. */
const char *nc_test_child_name(const char *arg, size_t arg_len);

/* Run the body called name from the NULL-terminated tables of
 * tables[0..n_tables) and return its exit code; NC_TEST_CHILD_MISSING (with a
 * note) when there is none. */
int nc_test_run_child(const nc_test_child_t *const *tables, size_t n_tables, const char *name);

#endif
