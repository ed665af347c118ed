/* A captured terminal for tests of code that writes through a
 * (ctx, bytes, len) output function (line editor, shell): everything written
 * is appended to nc_test_screen (NUL-terminated, cut at its capacity). */
#ifndef NC_TEST_SCREEN_H
#define NC_TEST_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

enum { NC_TEST_SCREEN_BYTES = 8192 };

extern char nc_test_screen[NC_TEST_SCREEN_BYTES];
extern size_t nc_test_screen_len;

/* The output function: append s[0..len) (ctx unused). */
void nc_test_screen_write(void *ctx, const char *s, size_t len);
/* Forget what was captured. */
void nc_test_screen_clear(void);
/* True when needle occurs in what was captured since the last clear. */
bool nc_test_screen_has(const char *needle);

#endif
