/* Formatted output without libc: a printf subset that writes into a buffer.
 * Conversions: %d %i %u %x %X %o %c %s %p %%, length modifiers hh h l ll z,
 * flags '-' '0' ' ' '+' '#', field width and precision (also as '*').
 * %s with a NULL pointer prints "(null)". Floating point is not formatted here
 * (the kernel flavour has no FPU); see nc_fmt_double for user code.
 * Reentrant; no allocation. */
#ifndef NC_FMT_H
#define NC_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Format into buf[0..cap_bytes), always NUL-terminated when cap_bytes > 0.
 * Returns the length the full output would have (like C's vsnprintf), so a
 * result >= cap_bytes means the output was cut. */
size_t nc_fmt_vformat(char *buf, size_t cap_bytes, const char *fmt, va_list ap);
size_t nc_fmt_format(char *buf, size_t cap_bytes, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A sink receives formatted output in pieces; ctx is passed through. */
typedef void (*nc_fmt_sink_t)(void *ctx, const char *s, size_t len_bytes);

/* Format to a sink. Returns the number of bytes sent to the sink. */
size_t nc_fmt_vprint(nc_fmt_sink_t sink, void *ctx, const char *fmt, va_list ap);
size_t nc_fmt_print(nc_fmt_sink_t sink, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
