/* lib/http's own helpers, shared by head.c, client.c and request.c. */
#ifndef LIB_HTTP_INT_H
#define LIB_HTTP_INT_H

#include <stdbool.h>
#include <stddef.h>

/* RFC 9110 5.6.2 tchar. */
bool http_token_char(char c);
/* Whether l[0..n) is a field line "name: value" (name a token, the value
 * without control bytes other than tab). */
bool http_field_line(const char *l, size_t n);
/* The end of the line starting at s in text[0..len) (at CR LF, or at len). */
size_t http_line_end(const char *text, size_t len, size_t s);
/* Whether a[0..n) equals the lower-case NUL-terminated b without case. */
bool http_same_nocase(const char *a, size_t n, const char *b);

#endif
