/* The in-OS user tests (xv6 usertests style): one program, usertests, that
 * init starts from the test manifest. Run without an argument it runs every
 * test in order and prints "PASS usertests.<name>" or "FAIL usertests.<name>:
 * why" per test, then exits with the number of failures. Tests that must
 * crash run in a child process (usertests started again with "child:<name>")
 * whose wait status is checked. */
#ifndef TESTS_USER_USERTESTS_H
#define TESTS_USER_USERTESTS_H

#include <stdbool.h>
#include <nc/ulib.h>

/* An in-process test: returns true on success; on failure fills why. */
typedef bool (*ut_fn_t)(char *why, size_t why_len);

typedef struct {
	const char *name;
	ut_fn_t fn;
} ut_test_t;

/* A child body (runs in its own process); its return value is the exit code. */
typedef struct {
	const char *name;
	int (*fn)(void);
} ut_child_t;

/* Spawn usertests as a child running child body name; wait; return its status
 * through *status. False (with why) when spawning or waiting failed. */
bool ut_run_child(const char *name, uint64_t *status, char *why, size_t why_len);
/* Expected wait status of a child killed by CPU exception vector. */
uint64_t ut_fault_status(unsigned vector);
/* The number of CPUs online. */
uint64_t ut_cpu_count(void);

#define UT_FAIL(...) (nc_fmt_format(why, why_len, __VA_ARGS__), false)

/* Test tables of each file (fault_tests.c, proc_tests.c, heap_tests.c, smp_tests.c). */
extern const ut_test_t ut_fault_tests[], ut_proc_tests[], ut_heap_tests[], ut_smp_tests[];
extern const ut_child_t ut_fault_children[], ut_proc_children[], ut_heap_children[], ut_smp_children[];

#endif
