/* nc-privacy command-line options: "--name value" pairs after the command
 * and its mode words, parsed once into one struct; free words (TEXT) kept
 * in order. */
#ifndef NC_PRIVACY_TOOL_OPTS_H
#define NC_PRIVACY_TOOL_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OPTS_MAX_WORDS 8
#define OPTS_MAX_SEND 8

typedef struct {
	const char *words[OPTS_MAX_WORDS]; /* free words: command, modes, TEXT */
	int n_words;
	const char *key, *tweak, *radix, *alphabet;           /* fpe */
	const char *session_key, *names, *table, *format, *keep; /* tokenize, detokenize */
	const char *listen, *connect, *pattern, *role, *stat, *remote_static, *prologue; /* noise-peer */
	const char *send[OPTS_MAX_SEND], *expect[OPTS_MAX_SEND];
	int n_send, n_expect;
} opts_t;

/* Parse argv[1..argc); on failure print the reason to stderr and return false. */
bool opts_parse(int argc, char **argv, opts_t *o);
/* Hex text into out[0..cap); false if not hex or too long. */
bool opts_unhex(const char *hex, uint8_t *out, size_t cap, size_t *len);

/* The commands (fpe_cmd.c, token_cmd.c, noise_peer.c); each returns the exit status. */
int cmd_fpe(const opts_t *o);
int cmd_tokenize(const opts_t *o, bool detokenize);
int cmd_noise_peer(const opts_t *o);
int cmd_noise_key(const opts_t *o);

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

#endif
