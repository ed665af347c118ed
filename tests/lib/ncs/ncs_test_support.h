/* Helpers for the lib/ncs tests: a freestanding allocator over a static pool
 * (counts live bytes, can fail the Nth allocation), a fake clock, and one-call
 * runners. Freestanding-clean: no libc. */
#ifndef NCS_TEST_SUPPORT_H
#define NCS_TEST_SUPPORT_H

#include "nc_test.h"
#include <nc/ncs.h>

extern nc_ncs_result_t nt_result;
extern nc_ncs_config_t nt_cfg;

/* Reset nt_cfg to defaults: pool allocator, fake clock, no limits, no handlers. */
void nt_reset(void);
/* Run src with nt_cfg ("test.ncs"); the previous result is released first. */
nc_ncs_err_t nt_run(const char *src);
nc_ncs_err_t nt_check(const char *src);
/* Live bytes in the pool allocator (0 after nt_release when nothing leaked). */
uint64_t nt_live_bytes(void);
void nt_release(void);
/* Fail the Nth allocation from now (1 = the next); 0 disables. */
void nt_fail_alloc_at(uint64_t n);
/* Fake clock: each call advances by step_micros. */
void nt_clock_step(uint64_t step_micros);
bool nt_contains(const char *hay, const char *needle);
/* Modules for nt_cfg.load = nt_load_module with nt_cfg.load_ud = a table of
 * nt_module_t ending with { NULL, NULL }; the file name is the module path. */
typedef struct { const char *path, *src; } nt_module_t;
bool nt_load_module(void *ud, const char *path, const char **src, size_t *len, const char **file);

/* Run src from a fresh config: it must fail with err and a message containing
 * text, and release everything. */
void nt_expect_error(const char *src, nc_ncs_err_t err, const char *text);

/* value of main: NC_TEST body helper */
#define NT_VALUE(src, want)                                   \
	do {                                                  \
		NC_CHECK_EQ(nt_run(src), NC_NCS_OK);          \
		NC_CHECK_STR(nt_result.value, want);          \
		nt_release();                                 \
		NC_CHECK_EQ(nt_live_bytes(), 0);              \
	} while (0)
#define NT_OUTPUT(src, want)                                  \
	do {                                                  \
		NC_CHECK_EQ(nt_run(src), NC_NCS_OK);          \
		NC_CHECK_STR(nt_result.output, want);         \
		nt_release();                                 \
		NC_CHECK_EQ(nt_live_bytes(), 0);              \
	} while (0)
#define NT_ERROR(src, err)                                    \
	do {                                                  \
		NC_CHECK_EQ(nt_run(src), err);                \
		nt_release();                                 \
		NC_CHECK_EQ(nt_live_bytes(), 0);              \
	} while (0)
#define NT_CASE(suite, name, src, want) NC_TEST(suite, name) { nt_reset(); NT_VALUE(src, want); }
#define NT_FAIL(suite, name, src, err) NC_TEST(suite, name) { nt_reset(); NT_ERROR(src, err); }
#define NT_PRINTS(suite, name, src, want) NC_TEST(suite, name) { nt_reset(); NT_OUTPUT(src, want); }

#endif
