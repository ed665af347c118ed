/* printf-style formatting over a sink (see nc/fmt.h). One engine, vprint;
 * the buffer functions are a sink that fills a buffer and counts the rest. */
#include <nc/fmt.h>
#include <nc/mem.h>
#include <stdint.h>
#include <stdbool.h>

enum { FMT_LEFT = 1, FMT_ZERO = 2, FMT_SPACE = 4, FMT_PLUS = 8, FMT_ALT = 16 };

typedef struct {
	nc_fmt_sink_t sink;
	void *ctx;
	size_t count;
} out_t;

static void put(out_t *o, const char *s, size_t n)
{
	if (n) {
		o->sink(o->ctx, s, n);
		o->count += n;
	}
}

static void pad(out_t *o, char c, int n)
{
	char block[16];
	nc_mem_set(block, c, sizeof block);
	while (n > 0) {
		int k = n < (int)sizeof block ? n : (int)sizeof block;
		put(o, block, (size_t)k);
		n -= k;
	}
}

/* Emit prefix + digits with width, precision and flags applied. */
static void put_number(out_t *o, const char *prefix, const char *digits, int ndig,
		       int flags, int width, int prec)
{
	int plen = (int)nc_str_len(prefix);
	int zeros = prec > ndig ? prec - ndig : 0;
	int total = plen + zeros + ndig;
	int fill = width > total ? width - total : 0;
	if (!(flags & FMT_LEFT) && !((flags & FMT_ZERO) && prec < 0))
		pad(o, ' ', fill);
	put(o, prefix, (size_t)plen);
	if (!(flags & FMT_LEFT) && (flags & FMT_ZERO) && prec < 0)
		pad(o, '0', fill);
	pad(o, '0', zeros);
	put(o, digits, (size_t)ndig);
	if (flags & FMT_LEFT)
		pad(o, ' ', fill);
}

static int to_digits(uint64_t v, unsigned base, bool upper, char *end)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;
	do {
		*--end = set[v % base];
		v /= base;
		n++;
	} while (v);
	return n;
}

static void put_str(out_t *o, const char *s, int flags, int width, int prec)
{
	if (!s)
		s = "(null)";
	int n = (int)(prec >= 0 ? nc_str_len_max(s, (size_t)prec) : nc_str_len(s));
	int fill = width > n ? width - n : 0;
	if (!(flags & FMT_LEFT))
		pad(o, ' ', fill);
	put(o, s, (size_t)n);
	if (flags & FMT_LEFT)
		pad(o, ' ', fill);
}

static int parse_flags(const char **f)
{
	int flags = 0;
	for (;; (*f)++) {
		switch (**f) {
		case '-': flags |= FMT_LEFT; break;
		case '0': flags |= FMT_ZERO; break;
		case ' ': flags |= FMT_SPACE; break;
		case '+': flags |= FMT_PLUS; break;
		case '#': flags |= FMT_ALT; break;
		default: return flags;
		}
	}
}

static int parse_int(const char **f, va_list *ap)
{
	if (**f == '*') {
		(*f)++;
		return va_arg(*ap, int);
	}
	int v = 0;
	while (**f >= '0' && **f <= '9')
		v = v * 10 + (*(*f)++ - '0');
	return v;
}

/* Length modifier: returns the number of 'l's (h is -1, hh -2, z LEN_SIZE). size_t
 * has its own code: it is 32 bits wide on wasm32, where long long is 64. */
enum { LEN_SIZE = 8 };
static int parse_length(const char **f)
{
	int len = 0;
	if (**f == 'z') {
		(*f)++;
		return LEN_SIZE;
	}
	while (**f == 'l') {
		(*f)++;
		len++;
	}
	while (**f == 'h') {
		(*f)++;
		len--;
	}
	return len;
}

static uint64_t arg_unsigned(va_list *ap, int len)
{
	if (len == LEN_SIZE)
		return va_arg(*ap, size_t);
	if (len >= 1)
		return len == 1 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned long long);
	unsigned v = va_arg(*ap, unsigned);
	return len == -1 ? (unsigned short)v : len == -2 ? (unsigned char)v : v;
}

static int64_t arg_signed(va_list *ap, int len)
{
	if (len == LEN_SIZE) /* %zd: the signed type of size_t's width */
		return sizeof(size_t) == sizeof(long long) ? va_arg(*ap, long long) : va_arg(*ap, int);
	if (len >= 1)
		return len == 1 ? va_arg(*ap, long) : va_arg(*ap, long long);
	int v = va_arg(*ap, int);
	return len == -1 ? (short)v : len == -2 ? (signed char)v : v;
}

static void put_conv(out_t *o, char conv, int flags, int width, int prec, int len, va_list *ap)
{
	char buf[24];
	char *end = buf + sizeof buf;
	const char *prefix = "";
	int n;
	switch (conv) {
	case 'd':
	case 'i': {
		int64_t v = arg_signed(ap, len);
		uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		prefix = v < 0 ? "-" : (flags & FMT_PLUS) ? "+" : (flags & FMT_SPACE) ? " " : "";
		n = (prec == 0 && mag == 0) ? 0 : to_digits(mag, 10, false, end);
		put_number(o, prefix, end - n, n, flags, width, prec);
		return;
	}
	case 'u':
	case 'x':
	case 'X':
	case 'o': {
		uint64_t v = arg_unsigned(ap, len);
		unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
		n = (prec == 0 && v == 0) ? 0 : to_digits(v, base, conv == 'X', end);
		if ((flags & FMT_ALT) && base == 16 && v)
			prefix = conv == 'X' ? "0X" : "0x";
		if ((flags & FMT_ALT) && base == 8 && (n == 0 || end[-n] != '0') && prec <= n)
			prec = n + 1; /* C17 7.21.6.1: '#' with o makes the first digit a zero */
		put_number(o, prefix, end - n, n, flags, width, prec);
		return;
	}
	case 'p': {
		uintptr_t v = (uintptr_t)va_arg(*ap, void *);
		n = to_digits(v, 16, false, end);
		put_number(o, "0x", end - n, n, flags, width, prec);
		return;
	}
	case 'c':
		buf[0] = (char)va_arg(*ap, int);
		buf[1] = 0;
		put_str(o, buf, flags, width, 1);
		return;
	case 's':
		put_str(o, va_arg(*ap, const char *), flags, width, prec);
		return;
	case '%':
		put(o, "%", 1);
		return;
	default: /* unknown conversion: print it as written so the mistake is visible */
		buf[0] = '%';
		buf[1] = conv;
		put(o, buf, conv ? 2 : 1);
		return;
	}
}

size_t nc_fmt_vprint(nc_fmt_sink_t sink, void *ctx, const char *fmt, va_list ap_in)
{
	out_t o = { sink, ctx, 0 };
	va_list ap;
	va_copy(ap, ap_in);
	const char *f = fmt;
	while (*f) {
		const char *run = f;
		while (*f && *f != '%')
			f++;
		put(&o, run, (size_t)(f - run));
		if (!*f)
			break;
		f++;
		int flags = parse_flags(&f);
		int width = parse_int(&f, &ap);
		if (width < 0) {
			flags |= FMT_LEFT;
			width = -width;
		}
		int prec = -1;
		if (*f == '.') {
			f++;
			prec = parse_int(&f, &ap);
		}
		int len = parse_length(&f);
		char conv = *f;
		if (conv)
			f++;
		put_conv(&o, conv, flags, width, prec, len, &ap);
	}
	va_end(ap);
	return o.count;
}

size_t nc_fmt_print(nc_fmt_sink_t sink, void *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = nc_fmt_vprint(sink, ctx, fmt, ap);
	va_end(ap);
	return n;
}

typedef struct {
	char *buf;
	size_t cap;
	size_t len;
} buf_sink_t;

static void buf_put(void *ctx, const char *s, size_t n)
{
	buf_sink_t *b = ctx;
	if (b->len + 1 < b->cap) {
		size_t room = b->cap - 1 - b->len;
		nc_mem_copy(b->buf + b->len, s, n < room ? n : room);
	}
	b->len += n;
}

size_t nc_fmt_vformat(char *buf, size_t cap_bytes, const char *fmt, va_list ap)
{
	buf_sink_t b = { buf, cap_bytes, 0 };
	size_t n = nc_fmt_vprint(buf_put, &b, fmt, ap);
	if (cap_bytes)
		buf[n < cap_bytes ? n : cap_bytes - 1] = 0;
	return n;
}

size_t nc_fmt_format(char *buf, size_t cap_bytes, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = nc_fmt_vformat(buf, cap_bytes, fmt, ap);
	va_end(ap);
	return n;
}
