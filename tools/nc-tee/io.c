/* See io.h. */
#include "io.h"
#include <nc/hex.h>
#include <stdio.h>
#include <string.h>

static bool space(int c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

bool io_unhex(const char *text, size_t text_len, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = 0;
	int hi = -1;
	for (size_t i = 0; i < text_len; i++) {
		int c = (unsigned char)text[i];
		if (space(c) && hi < 0)
			continue;
		int v = nc_hex_digit_value(c);
		if (v < 0 || (hi < 0 && n == cap))
			return false;
		if (hi < 0)
			hi = v;
		else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	*len = n;
	return hi < 0;
}

bool io_read_file(const char *path, uint8_t *out, size_t cap, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return false;
	size_t n = fread(out, 1, cap, f);
	bool whole = n < cap || fgetc(f) == EOF;
	if (f != stdin)
		fclose(f);
	*len = n;
	return whole;
}

bool io_value(const char *what, const char *arg, uint8_t *out, size_t cap, size_t *len)
{
	static uint8_t text[1 << 17];
	bool ok;
	if (!arg) {
		fprintf(stderr, "nc-tee: %s missing\n", what);
		return false;
	}
	if (!strcmp(arg, "-"))
		ok = io_read_file("-", text, sizeof text, len) && io_unhex((const char *)text, *len, out, cap, len);
	else if (arg[0] == '@')
		ok = io_read_file(arg + 1, out, cap, len);
	else
		ok = io_unhex(arg, strlen(arg), out, cap, len);
	if (!ok)
		fprintf(stderr, "nc-tee: %s: cannot read or decode '%s'\n", what, arg);
	return ok;
}

bool io_fixed(const char *what, const char *arg, uint8_t *out, size_t want)
{
	size_t n;
	if (!io_value(what, arg, out, want, &n))
		return false;
	if (n != want)
		fprintf(stderr, "nc-tee: %s: %zu bytes, wanted %zu\n", what, n, want);
	return n == want;
}

void io_print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

bool io_write(const char *path, const uint8_t *p, size_t n)
{
	if (!strcmp(path, "-")) {
		io_print_hex(p, n);
		printf("\n");
		return true;
	}
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(p, 1, n, f) == n;
	if (f && fclose(f))
		ok = false;
	if (!ok)
		fprintf(stderr, "nc-tee: cannot write %s\n", path);
	return ok;
}
