/* aitests: the AI service's tests inside NexaCore (tests/user/ai/ai_qemu_test.sh
 * boots them). Each test returns NULL when it passes or a message; the runner
 * prints "PASS aitests.NAME" or "FAIL aitests.NAME: message". Children (the
 * same program started with "child:NAME") check the capability denials and
 * play killed callers. */
#ifndef TESTS_USER_AI_AITESTS_H
#define TESTS_USER_AI_AITESTS_H

#include <nc/ai_client.h>
#include <nc/mem.h>
#include <nc/ncs.h>
#include <nc/ulib.h>

#define AT_TEXT "tiny-llama-q8_0"
#define AT_MOE "tiny-moe-q8_0"
#define AT_SPEECH "asr-rand"
#define AT_PROMPT "The first steps in Vim"
#define AT_KERNEL_ADDR 0xffffffff80000000ull
#define AT_UNMAPPED_ADDR 0x10ull

typedef const char *(*at_fn_t)(void);
typedef struct {
	const char *name;
	at_fn_t fn;
} at_test_t;

/* A failure message built like nc_print (static storage, one at a time). */
const char *at_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define AT_EXPECT(expr, want)                                                                   \
	do {                                                                                    \
		nc_sys_err_t at_got_ = (expr);                                                  \
		if (at_got_ != (want))                                                          \
			return at_fail("line %d: %s gave %s, want %s", __LINE__, #expr,         \
				       nc_sys_err_name(at_got_), nc_sys_err_name(want));         \
	} while (0)
#define AT_TRUE(cond)                                                                           \
	do {                                                                                    \
		if (!(cond))                                                                    \
			return at_fail("line %d: %s is false", __LINE__, #cond);                \
	} while (0)

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
 * tokenization policy[0..policy_len) (0: aitests' own) and wait for it: NULL
 * when it exited with 0, else a message. */
const char *at_run_child(const char *name, uint64_t *handles, uint64_t n, const void *policy, uint64_t policy_len);

/* Test tables: calls (aitests.c), the provider router (ai_router.c), limits
 * and the grinder (ai_grind.c), tokenization (ai_privacy.c). */
extern const at_test_t at_call_tests[], at_router_tests[], at_grind_tests[], at_privacy_tests[];
extern const size_t at_n_call_tests, at_n_router_tests, at_n_grind_tests, at_n_privacy_tests;
/* Child bodies: their exit code is 0 when every check held, else the line
 * (at_grind_child: those of ai_grind.c). */
int at_child(const char *name);
int at_grind_child(const char *name);
/* Those of ai_privacy.c; -1 for a name it does not have. */
int at_privacy_child(const char *name);

#endif
