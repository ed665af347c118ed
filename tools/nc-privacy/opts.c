/* Option parsing for nc-privacy (opts.h). */
#include "opts.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>

bool opts_unhex(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(hex);
	if (n % 2 || n / 2 > cap)
		return false;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v = 0;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", hex[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", hex[2 * i + 1]))
			return false;
		out[i] = (uint8_t)v;
	}
	*len = n / 2;
	return true;
}

bool opts_parse(int argc, char **argv, opts_t *o)
{
	static const struct {
		const char *name;
		size_t field;
	} names[] = {
		{ "--key", offsetof(opts_t, key) },           { "--tweak", offsetof(opts_t, tweak) },
		{ "--radix", offsetof(opts_t, radix) },       { "--alphabet", offsetof(opts_t, alphabet) },
		{ "--session-key", offsetof(opts_t, session_key) }, { "--names", offsetof(opts_t, names) },
		{ "--table", offsetof(opts_t, table) },       { "--format", offsetof(opts_t, format) },
		{ "--keep", offsetof(opts_t, keep) },         { "--listen", offsetof(opts_t, listen) },
		{ "--connect", offsetof(opts_t, connect) },   { "--pattern", offsetof(opts_t, pattern) },
		{ "--role", offsetof(opts_t, role) },         { "--static", offsetof(opts_t, stat) },
		{ "--remote-static", offsetof(opts_t, remote_static) }, { "--prologue", offsetof(opts_t, prologue) },
	};
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0) {
			if (o->n_words == OPTS_MAX_WORDS) {
				fprintf(stderr, "nc-privacy: too many words\n");
				return false;
			}
			o->words[o->n_words++] = a;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "nc-privacy: %s needs a value\n", a);
			return false;
		}
		const char *v = argv[++i];
		bool known = false;
		for (size_t k = 0; k < sizeof names / sizeof names[0] && !known; k++) {
			if (strcmp(a, names[k].name) == 0) {
				*(const char **)(void *)((char *)o + names[k].field) = v;
				known = true;
			}
		}
		if (!known && strcmp(a, "--send") == 0 && o->n_send < OPTS_MAX_SEND)
			known = (o->send[o->n_send++] = v) != NULL;
		else if (!known && strcmp(a, "--expect") == 0 && o->n_expect < OPTS_MAX_SEND)
			known = (o->expect[o->n_expect++] = v) != NULL;
		if (!known) {
			fprintf(stderr, "nc-privacy: unknown option %s\n", a);
			return false;
		}
	}
	return true;
}
