/* The two token forms (nc/token.h): typed "<kind:hex>" from HMAC-SHA256
 * under the session's MAC key, and the format-preserving forms from FF1
 * under the session's FPE key. The FF1 tweak is the kind's letter and the
 * item's digit count, so equal digit strings of different kinds or lengths
 * encrypt differently. A format-preserving token that is already in the
 * table for another value (possible only by chance) falls back to a typed one. */
#include <nc/crypto.h>
#include <nc/fmt.h>
#include <nc/mem.h>
#include "token_internal.h"

#define MIN_FPE_DIGITS 6u /* radix 10: the Rev. 1 domain of 10^6 */
static const char base36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static bool taken(const nc_token_session_t *s, const char *token, size_t len)
{
	tok_entry_t e;
	return tok_table_find_token(s, token, len, &e);
}

static size_t typed_token(const nc_token_session_t *s, nc_token_kind_t kind, const char *value, size_t len,
			  char *token)
{
	static const uint8_t hex_digits[] = { 6, 10, 16, 32 };
	uint8_t msg[1 + NC_TOKEN_MAX_VALUE_BYTES], mac[NC_CRYPTO_SHA256_BYTES];
	msg[0] = (uint8_t)kind;
	nc_mem_copy(msg + 1, value, len);
	nc_crypto_hmac_sha256(mac, s->mac_key, sizeof s->mac_key, msg, len + 1);
	size_t n = 0;
	for (size_t h = 0; h < sizeof hex_digits; h++) {
		n = nc_fmt_format(token, NC_TOKEN_MAX_TOKEN_BYTES, "<%s:", nc_token_kind_name(kind));
		for (size_t i = 0; i < hex_digits[h]; i++)
			token[n++] = "0123456789abcdef"[mac[i / 2] >> (i % 2 ? 0 : 4) & 0xf];
		token[n++] = '>';
		if (!taken(s, token, n))
			break;
	}
	nc_mem_wipe(msg, len + 1);
	return n;
}

/* FF1 over the digits value[pos[first..first+m)] in radix 10, in place in token. */
static bool encrypt_digits(const nc_token_session_t *s, char kind_letter, char *token, const size_t *pos, size_t n,
			   size_t first, size_t m)
{
	uint16_t d[NC_TOKEN_MAX_TOKEN_BYTES];
	const uint8_t tweak[2] = { (uint8_t)kind_letter, (uint8_t)n };
	if (m < MIN_FPE_DIGITS)
		return false;
	for (size_t i = 0; i < m; i++)
		d[i] = (uint16_t)(token[pos[first + i]] - '0');
	if (nc_fpe_encrypt(&s->fpe, 10, tweak, sizeof tweak, d, m, d) != NC_FPE_OK)
		return false;
	for (size_t i = 0; i < m; i++)
		token[pos[first + i]] = (char)('0' + d[i]);
	return true;
}

/* Positions of the digits of token[0..len). */
static size_t digit_positions(const char *token, size_t len, size_t *pos)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (tok_is_digit(token[i]))
			pos[n++] = i;
	}
	return n;
}

static bool phone_form(const nc_token_session_t *s, char *token, size_t len)
{
	size_t pos[NC_TOKEN_MAX_TOKEN_BYTES], n = digit_positions(token, len, pos);
	size_t keep = token[0] == '+' ? 2 : 1; /* country code or trunk prefix stays */
	return n > keep && encrypt_digits(s, 'P', token, pos, n, keep, n - keep);
}

static bool card_form(const nc_token_session_t *s, char *token, size_t len)
{
	size_t pos[NC_TOKEN_MAX_TOKEN_BYTES], n = digit_positions(token, len, pos);
	if (n < 3 || !encrypt_digits(s, 'C', token, pos, n, 1, n - 2)) /* issuer digit and check digit stay */
		return false;
	uint8_t d[NC_TOKEN_MAX_TOKEN_BYTES];
	for (size_t i = 0; i < n; i++)
		d[i] = (uint8_t)(token[pos[i]] - '0');
	token[pos[n - 1]] = (char)('0' + tok_luhn_check_digit(d, n - 1));
	return true;
}

static bool iban_form(const nc_token_session_t *s, char *token, size_t len)
{
	size_t pos[NC_TOKEN_MAX_TOKEN_BYTES], n = 0;
	for (size_t i = 0; i < len; i++) {
		if (token[i] != ' ')
			pos[n++] = i;
	}
	uint16_t d[NC_TOKEN_MAX_TOKEN_BYTES];
	const uint8_t tweak[2] = { 'I', (uint8_t)n };
	for (size_t i = 4; i < n; i++) {
		char c = token[pos[i]];
		d[i - 4] = (uint16_t)(tok_is_digit(c) ? c - '0' : c - 'A' + 10);
	}
	if (n < 4 + MIN_FPE_DIGITS || nc_fpe_encrypt(&s->fpe, 36, tweak, sizeof tweak, d, n - 4, d) != NC_FPE_OK)
		return false;
	char chars[NC_TOKEN_MAX_TOKEN_BYTES];
	for (size_t i = 0; i < n; i++)
		chars[i] = i < 4 ? token[pos[i]] : base36[d[i - 4]];
	chars[2] = chars[3] = '0';
	unsigned check = 98 - tok_iban_mod97(chars, n);
	chars[2] = (char)('0' + check / 10);
	chars[3] = (char)('0' + check % 10);
	for (size_t i = 2; i < n; i++)
		token[pos[i]] = chars[i];
	return true;
}

static size_t ipv4_form(const nc_token_session_t *s, const char *value, size_t len, char *token)
{
	uint16_t o[4] = { 0 };
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		if (value[i] == '.')
			k++;
		else
			o[k] = (uint16_t)(o[k] * 10 + (value[i] - '0'));
	}
	const uint8_t tweak[1] = { '4' };
	if (nc_fpe_encrypt(&s->fpe, 256, tweak, sizeof tweak, o, 4, o) != NC_FPE_OK)
		return 0;
	return nc_fmt_format(token, NC_TOKEN_MAX_TOKEN_BYTES, "%u.%u.%u.%u", o[0], o[1], o[2], o[3]);
}

/* RFC 5952 4: lower case, no leading zeros, the longest run (first on a tie)
 * of two or more zero groups as "::". */
static size_t ipv6_text(const uint16_t g[8], char *out)
{
	size_t best = 8, best_len = 1;
	for (size_t i = 0; i < 8;) {
		size_t j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > best_len) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	size_t n = 0;
	for (size_t i = 0; i < 8; i++) {
		if (i == best) {
			out[n++] = ':';
			out[n++] = ':';
			i += best_len - 1;
			continue;
		}
		if (n > 0 && out[n - 1] != ':')
			out[n++] = ':';
		n += nc_fmt_format(out + n, NC_TOKEN_MAX_TOKEN_BYTES - n, "%x", g[i]);
	}
	return n;
}

static size_t ipv6_form(const nc_token_session_t *s, const char *value, size_t len, char *token)
{
	uint16_t g[8];
	const uint8_t tweak[1] = { '6' };
	if (!tok_ipv6_parse(value, len, g) || nc_fpe_encrypt(&s->fpe, 65536, tweak, sizeof tweak, g, 8, g) != NC_FPE_OK)
		return 0;
	return ipv6_text(g, token);
}

static size_t format_token(const nc_token_session_t *s, nc_token_kind_t kind, const char *value, size_t len,
			   char *token)
{
	if (len > NC_TOKEN_MAX_TOKEN_BYTES - 1)
		return 0;
	switch (kind) {
	case NC_TOKEN_IPV4: return ipv4_form(s, value, len, token);
	case NC_TOKEN_IPV6: return ipv6_form(s, value, len, token);
	default: break;
	}
	nc_mem_copy(token, value, len);
	bool ok = kind == NC_TOKEN_PHONE ? phone_form(s, token, len)
		  : kind == NC_TOKEN_CARD ? card_form(s, token, len)
		  : kind == NC_TOKEN_IBAN && iban_form(s, token, len);
	return ok ? len : 0;
}

size_t tok_make_token(const nc_token_session_t *s, nc_token_kind_t kind, const char *value, size_t len,
		      char token[NC_TOKEN_MAX_TOKEN_BYTES])
{
	if (s->action[kind] == NC_TOKEN_FORMAT) {
		size_t n = format_token(s, kind, value, len, token);
		if (n > 0 && !taken(s, token, n))
			return n;
	}
	return typed_token(s, kind, value, len, token);
}
