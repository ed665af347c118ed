/* The in-OS user tests (xv6 usertests style): one program, usertests, that
 * init starts from the test manifest. Its tests are ordered cases of the test
 * harness (tests/harness/nc_test.h, nc_test_user.h): run without an argument
 * it runs every case in order and prints "PASS usertests.<name>" or "FAIL
 * usertests.<name>: why" per case, then exits with the number of failures.
 * Tests that must crash run in a child process (usertests started again with
 * "child:<name>") whose wait status is checked. */
#ifndef TESTS_USER_USERTESTS_H
#define TESTS_USER_USERTESTS_H

#include <stdbool.h>
#include <nc/ulib.h>
#include <nc_test_user.h>

/* Spawn usertests as a child running child body name; wait; return its status
 * through *status. False (a recorded failure) when spawning or waiting failed. */
bool ut_run_child(const char *name, uint64_t *status);
/* Expected wait status of a child killed by CPU exception vector. */
uint64_t ut_fault_status(unsigned vector);
/* The number of CPUs online. */
uint64_t ut_cpu_count(void);

/* Test tables of each file (fault_tests.c, proc_tests.c, heap_tests.c, smp_tests.c). */
extern const nc_test_case_t ut_fault_tests[], ut_proc_tests[], ut_heap_tests[], ut_smp_tests[];
extern const nc_test_child_t ut_fault_children[], ut_proc_children[], ut_heap_children[], ut_smp_children[];

#endif
