/* nc-cap option parsing and hex helpers. */
#include "args.h"
#include <nc/hex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


bool tool_unhex(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
	while (*hex == ' ' || *hex == '\n' || *hex == '\t')
		hex++;
	size_t n = strlen(hex);
	while (n && (hex[n - 1] == '\n' || hex[n - 1] == ' ' || hex[n - 1] == '\r'))
		n--;
	if (n % 2 || n / 2 > cap)
		return false;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = nc_hex_digit_value(hex[2 * i]), lo = nc_hex_digit_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return true;
}

void tool_print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	if (!*s || *s == '-')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	*out = v;
	return *end == '\0';
}

static bool fixed_hex(const char *s, uint8_t *out, size_t want)
{
	size_t n;
	return tool_unhex(s, out, want, &n) && n == want;
}

static bool read_secret_file(const char *path, tool_args_t *a)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	a->secret_len = fread(a->secret, 1, sizeof a->secret, f);
	fclose(f);
	return true;
}

/* One "--name value" option; false (with a message) if it is bad. */
static bool take_option(const char *name, const char *v, tool_args_t *a)
{
	if (!strcmp(name, "--action")) a->action = v;
	else if (!strcmp(name, "--scope")) a->scope = v;
	else if (!strcmp(name, "--resource")) a->resource = v;
	else if (!strcmp(name, "--token")) a->token_arg = v;
	else if (!strcmp(name, "--now")) return parse_u64(v, &a->now_s);
	else if (!strcmp(name, "--not-before")) return a->has_not_before = parse_u64(v, &a->not_before_s);
	else if (!strcmp(name, "--not-after")) return a->has_not_after = parse_u64(v, &a->not_after_s);
	else if (!strcmp(name, "--ttl")) return a->has_ttl = parse_u64(v, &a->ttl_s);
	else if (!strcmp(name, "--device-secret"))
		return tool_unhex(v, a->secret, sizeof a->secret, &a->secret_len);
	else if (!strcmp(name, "--device-secret-file")) return read_secret_file(v, a);
	else if (!strcmp(name, "--root"))
		return a->n_roots < MAX_ROOTS && fixed_hex(v, a->roots[a->n_roots++], NC_CAP_PUBLIC_KEY_BYTES);
	else if (!strcmp(name, "--revoked"))
		return a->n_revoked < MAX_REVOKED && fixed_hex(v, a->revoked[a->n_revoked++], NC_CAP_ID_BYTES);
	else return false;
	return true;
}

bool tool_parse_args(int argc, char **argv, tool_args_t *a)
{
	memset(a, 0, sizeof *a);
	a->now_s = (uint64_t)time(NULL);
	if (argc < 2) {
		fprintf(stderr, "nc-cap: missing command\n");
		return false;
	}
	a->command = argv[1];
	for (int i = 2; i < argc; i += 2) {
		if (i + 1 >= argc || !take_option(argv[i], argv[i + 1], a)) {
			fprintf(stderr, "nc-cap: bad option %s\n", argv[i]);
			return false;
		}
	}
	return true;
}
