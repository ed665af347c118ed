/* aitests: the AI service's tests inside NexaCore (tests/user/ai/ai_qemu_test.sh
 * boots them). Its tests are ordered cases of the test harness
 * (tests/harness/nc_test.h, nc_test_user.h): the runner prints "PASS
 * aitests.NAME" or "FAIL aitests.NAME: message" and each case's time. The
 * argument, if any, is a comma-separated list of name prefixes selecting the
 * cases. Children (the same program started with "child:NAME") check the
 * capability denials and play killed callers. */
#ifndef TESTS_USER_AI_AITESTS_H
#define TESTS_USER_AI_AITESTS_H

#include <nc/ai_client.h>
#include <nc/mem.h>
#include <nc/ncs.h>
#include <nc/ulib.h>
#include <nc_test_user.h>

#define AT_TEXT "tiny-llama-q8_0"
#define AT_MOE "tiny-moe-q8_0"
#define AT_SPEECH "asr-rand"
#define AT_PROMPT "The first steps in Vim"
#define AT_KERNEL_ADDR 0xffffffff80000000ull
#define AT_UNMAPPED_ADDR 0x10ull

/* The expectations file /ai-expect: the value of key (hex decoded for text
 * keys) into buf; false when absent. */
bool at_expect_text(const char *key, char *buf, size_t cap, size_t *len);
/* The numbers after key into v (at most cap); their count, 0 when absent. */
size_t at_expect_numbers(const char *key, double *v, size_t cap);
/* Line number i (0..) that starts with key: its words after the key into w
 * (at most n); the count. */
size_t at_expect_words(const char *key, size_t i, char w[][128], size_t n);

/* Greedy generation of AT_PROMPT on model (max tokens n) into out. */
nc_sys_err_t at_greedy(const char *model, uint64_t n, char *out, size_t cap, uint64_t *len);
/* Start a child "child:NAME" with exactly handles[0..n); its pid. */
nc_sys_err_t at_spawn(const char *name, const uint64_t *handles, uint64_t n, uint64_t *pid);
/* Run child "child:NAME" with exactly handles[0..n) (closed here) under the
 * tokenization policy[0..policy_len) (0: aitests' own) and wait for it: true
 * when it exited with 0, else false with a recorded failure. */
bool at_run_child(const char *name, uint64_t *handles, uint64_t n, const void *policy, uint64_t policy_len);

/* Test tables (NULL-terminated): calls (aitests.c), the provider router
 * (ai_router.c), limits and the grinder (ai_grind.c), tokenization
 * (ai_privacy.c), the engine on a NexaCore thread pool (ai_pool.c); and the child bodies of aitests.c, ai_grind.c and
 * ai_privacy.c (exit code 0 when every check held, else the line). */
extern const nc_test_case_t at_call_tests[], at_router_tests[], at_grind_tests[], at_privacy_tests[], at_pool_tests[];
extern const nc_test_child_t at_call_children[], at_grind_children[], at_privacy_children[];

#endif
