/* Noise handshake patterns (spec 7.4 one-way, 7.5 interactive fundamental,
 * 7.6 deferred) as one table, the psk modifier (spec 9.3) and the protocol
 * name (spec 8). Each message is written as its tokens separated by spaces;
 * messages alternate, the initiator's first. Pre-messages are "s" only for
 * these patterns. */
#include <nc/mem.h>
#include "noise_internal.h"

typedef struct {
	const char *name;
	const char *pre_i, *pre_r; /* "s" or "" */
	const char *msgs[NC_NOISE_MAX_MESSAGES];
} pattern_t;

static const pattern_t patterns[] = {
	/* one-way (7.4) */
	{ "N", "", "s", { "e es" } },
	{ "K", "s", "s", { "e es ss" } },
	{ "X", "", "s", { "e es s ss" } },
	/* interactive fundamental (7.5) */
	{ "NN", "", "", { "e", "e ee" } },
	{ "NK", "", "s", { "e es", "e ee" } },
	{ "NX", "", "", { "e", "e ee s es" } },
	{ "XN", "", "", { "e", "e ee", "s se" } },
	{ "XK", "", "s", { "e es", "e ee", "s se" } },
	{ "XX", "", "", { "e", "e ee s es", "s se" } },
	{ "KN", "s", "", { "e", "e ee se" } },
	{ "KK", "s", "s", { "e es ss", "e ee se" } },
	{ "KX", "s", "", { "e", "e ee se s es" } },
	{ "IN", "", "", { "e s", "e ee se" } },
	{ "IK", "", "s", { "e es s ss", "e ee se" } },
	{ "IX", "", "", { "e s", "e ee se s es" } },
	/* deferred (7.6) */
	{ "NK1", "", "s", { "e", "e ee es" } },
	{ "NX1", "", "", { "e", "e ee s", "es" } },
	{ "X1N", "", "", { "e", "e ee", "s", "se" } },
	{ "X1K", "", "s", { "e es", "e ee", "s", "se" } },
	{ "XK1", "", "s", { "e", "e ee es", "s se" } },
	{ "X1K1", "", "s", { "e", "e ee es", "s", "se" } },
	{ "X1X", "", "", { "e", "e ee s es", "s", "se" } },
	{ "XX1", "", "", { "e", "e ee s", "es s se" } },
	{ "X1X1", "", "", { "e", "e ee s", "es s", "se" } },
	{ "K1N", "s", "", { "e", "e ee", "se" } },
	{ "K1K", "s", "s", { "e es", "e ee", "se" } },
	{ "KK1", "s", "s", { "e", "e ee se es" } },
	{ "K1K1", "s", "s", { "e", "e ee es", "se" } },
	{ "K1X", "s", "", { "e", "e ee s es", "se" } },
	{ "KX1", "s", "", { "e", "e ee se s", "es" } },
	{ "K1X1", "s", "", { "e", "e ee s", "se es" } },
	{ "I1N", "", "", { "e s", "e ee", "se" } },
	{ "I1K", "", "s", { "e es s", "e ee", "se" } },
	{ "IK1", "", "s", { "e s", "e ee se es" } },
	{ "I1K1", "", "s", { "e s", "e ee es", "se" } },
	{ "I1X", "", "", { "e s", "e ee s es", "se" } },
	{ "IX1", "", "", { "e s", "e ee se s", "es" } },
	{ "I1X1", "", "", { "e s", "e ee s", "se es" } },
};

static bool span_is(const char *s, size_t len, const char *word)
{
	return nc_str_len(word) == len && nc_mem_compare(s, word, len) == 0;
}

static uint8_t token_of(const char *s, size_t len)
{
	static const char *const names[] = { "e", "s", "ee", "es", "se", "ss", "psk" };
	for (uint8_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (span_is(s, len, names[i]))
			return (uint8_t)(TOK_E + i);
	}
	return 0;
}

/* Compile "e ee s" into row[] (0-terminated). */
static void compile_message(const char *m, uint8_t *row)
{
	size_t n = 0;
	while (*m) {
		size_t len = 0;
		while (m[len] && m[len] != ' ')
			len++;
		row[n++] = token_of(m, len);
		m += len;
		while (*m == ' ')
			m++;
	}
	row[n] = 0;
}

/* Insert the psk token for modifier pskN (spec 9.3): psk0 at the start of
 * the first message, pskN at the end of message N. */
static bool add_psk(noise_protocol_t *p, unsigned n)
{
	unsigned msg = n == 0 ? 0 : n - 1;
	if (msg >= p->n_messages)
		return false;
	uint8_t *row = p->tokens[msg];
	size_t len = 0;
	while (row[len])
		len++;
	if (len + 2 > NC_NOISE_MAX_TOKENS)
		return false;
	if (n == 0) {
		nc_mem_move(row + 1, row, len + 1);
		row[0] = TOK_PSK;
	} else {
		row[len] = TOK_PSK;
		row[len + 1] = 0;
	}
	p->n_psks++;
	return true;
}

/* The pattern part "XXpsk3" or "NNpsk0+psk2". */
static bool parse_pattern(const char *s, size_t len, noise_protocol_t *p)
{
	size_t base = 0;
	while (base < len && !(base + 3 <= len && nc_mem_compare(s + base, "psk", 3) == 0))
		base++;
	const pattern_t *pt = NULL;
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		if (span_is(s, base, patterns[i].name))
			pt = &patterns[i];
	}
	if (!pt)
		return false;
	nc_mem_set(p->tokens, 0, sizeof p->tokens);
	p->n_messages = 0;
	for (size_t m = 0; m < NC_NOISE_MAX_MESSAGES && pt->msgs[m]; m++, p->n_messages++)
		compile_message(pt->msgs[m], p->tokens[m]);
	p->pre_initiator = *pt->pre_i ? TOK_S : 0;
	p->pre_responder = *pt->pre_r ? TOK_S : 0;
	p->one_way = p->n_messages == 1 && pt->name[1] == '\0';
	p->n_psks = 0;
	/* Modifiers: "psk" DIGIT, joined by '+'. */
	size_t i = base;
	while (i < len) {
		if (i + 4 > len || nc_mem_compare(s + i, "psk", 3) != 0 || s[i + 3] < '0' || s[i + 3] > '9')
			return false;
		if (p->n_psks == NC_NOISE_MAX_PSKS || !add_psk(p, (unsigned)(s[i + 3] - '0')))
			return false;
		i += 4;
		if (i < len && (s[i] != '+' || i + 1 == len))
			return false;
		i += i < len;
	}
	return true;
}

nc_noise_err_t noise_parse_name(const char *name, noise_protocol_t *p)
{
	/* Five fields separated by '_': Noise, pattern, DH, cipher, hash. */
	const char *field[5];
	size_t flen[5], n = 0, len = nc_str_len_max(name, NC_NOISE_MAX_NAME_BYTES + 1);
	if (len > NC_NOISE_MAX_NAME_BYTES)
		return NC_NOISE_ERR_NAME;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && name[i] != '_')
			continue;
		if (n == 5)
			return NC_NOISE_ERR_NAME;
		field[n] = name + start;
		flen[n++] = i - start;
		start = i + 1;
	}
	if (n != 5 || !span_is(field[0], flen[0], "Noise") || !span_is(field[2], flen[2], "25519"))
		return NC_NOISE_ERR_NAME;
	if (span_is(field[3], flen[3], "ChaChaPoly"))
		p->cipher = NOISE_CHACHAPOLY;
	else if (span_is(field[3], flen[3], "AESGCM"))
		p->cipher = NOISE_AESGCM;
	else
		return NC_NOISE_ERR_NAME;
	static const char *const hashes[] = { "SHA256", "SHA512", "BLAKE2s", "BLAKE2b" };
	p->hash = 0;
	for (unsigned i = 0; i < 4; i++) {
		if (span_is(field[4], flen[4], hashes[i]))
			p->hash = (noise_hash_t)(NOISE_SHA256 + i);
	}
	if (!p->hash || !parse_pattern(field[1], flen[1], p))
		return NC_NOISE_ERR_NAME;
	return NC_NOISE_OK;
}
