/* nc-cap command-line options, parsed once into one struct. */
#ifndef NC_CAP_TOOL_ARGS_H
#define NC_CAP_TOOL_ARGS_H

#include <nc/cap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_ROOTS 8
#define MAX_REVOKED 32

typedef struct {
	const char *command;
	const char *action, *scope, *resource, *token_arg;
	uint8_t secret[256];
	size_t secret_len;
	uint8_t roots[MAX_ROOTS][NC_CAP_PUBLIC_KEY_BYTES];
	size_t n_roots;
	uint8_t revoked[MAX_REVOKED][NC_CAP_ID_BYTES];
	size_t n_revoked;
	uint64_t now_s;
	bool has_not_before, has_not_after, has_ttl;
	uint64_t not_before_s, not_after_s, ttl_s;
} tool_args_t;

/* Parse argv; on failure print the reason to stderr and return false. */
bool tool_parse_args(int argc, char **argv, tool_args_t *a);

/* Decode hex text (whitespace around it ignored) into out[0..cap); false if
 * not hex or too long. */
bool tool_unhex(const char *hex, uint8_t *out, size_t cap, size_t *len);
void tool_print_hex(const uint8_t *p, size_t n);

#endif
