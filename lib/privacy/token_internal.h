/* Shared inside lib/privacy's tokenizer: character classes, the per-kind
 * detectors (token_detect.c, token_numbers.c, token_net.c, token_date.c)
 * and the check-digit helpers the format-preserving forms reuse. Every
 * detector looks at text[pos..len) with pos at a word start and returns the
 * length of its match, 0 for none. */
#ifndef NC_TOKEN_INTERNAL_H
#define NC_TOKEN_INTERNAL_H

#include <nc/token.h>

static inline bool tok_is_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool tok_is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static inline bool tok_is_lower(char c) { return c >= 'a' && c <= 'z'; }
static inline bool tok_is_alpha(char c) { return tok_is_upper(c) || tok_is_lower(c); }
static inline bool tok_is_alnum(char c) { return tok_is_digit(c) || tok_is_alpha(c); }
static inline bool tok_is_hex(char c)
{
	return tok_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/* The byte at i, or 0 past the end. */
static inline char tok_at(const char *t, size_t len, size_t i) { return i < len ? t[i] : '\0'; }

/* True iff one of the keywords (lower case) occurs, case-insensitively, in
 * t[pos - window .. pos). */
bool tok_keyword_before(const char *t, size_t pos, size_t window, const char *const *keywords, size_t n);

/* The first match at or after pos (see nc_token_detect); false if none. */
bool tok_detect_next(const char *text, size_t len, size_t pos, const nc_token_name_t *names, size_t n_names,
		     nc_token_match_t *m);

size_t tok_email(const char *t, size_t len, size_t pos);
size_t tok_phone(const char *t, size_t len, size_t pos);
size_t tok_card(const char *t, size_t len, size_t pos);
size_t tok_iban(const char *t, size_t len, size_t pos);
size_t tok_ipv4(const char *t, size_t len, size_t pos);
size_t tok_ipv6(const char *t, size_t len, size_t pos);
size_t tok_dob(const char *t, size_t len, size_t pos);

/* Luhn: the check digit (0..9) that completes digits[0..n) (n digits
 * without the check digit), and validity of a full number. */
unsigned tok_luhn_check_digit(const uint8_t *digits, size_t n);
bool tok_luhn_valid(const uint8_t *digits, size_t n);
/* ISO 7064 MOD 97-10 of an IBAN given as its characters in IBAN order
 * (country, check, BBAN; uppercase alnum): the remainder after moving the
 * first four characters to the end; a valid IBAN gives 1. */
unsigned tok_iban_mod97(const char *chars, size_t n);
/* The IBAN length of country cc (two uppercase letters), 0 if unknown. */
size_t tok_iban_country_length(const char *cc);

/* ---- the session table (token_session.c) ---------------------------------- */

typedef struct {
	nc_token_kind_t kind;
	const char *token, *value; /* into the arena */
	size_t token_len, value_len;
} tok_entry_t;

bool tok_table_next(const nc_token_session_t *s, size_t *off, tok_entry_t *e);
bool tok_table_find_token(const nc_token_session_t *s, const char *token, size_t len, tok_entry_t *e);
bool tok_table_find_value(const nc_token_session_t *s, nc_token_kind_t kind, const char *value, size_t len,
			  tok_entry_t *e);
/* Errors: NC_TOKEN_ERR_FULL. */
nc_token_err_t tok_table_add(nc_token_session_t *s, nc_token_kind_t kind, const char *token, size_t token_len,
			     const char *value, size_t value_len);

/* The token for value (token_forms.c): the typed or format-preserving form
 * of the session's action, unique in the table, into token[0..NC_TOKEN_MAX_TOKEN_BYTES);
 * returns its length. */
size_t tok_make_token(const nc_token_session_t *s, nc_token_kind_t kind, const char *value, size_t len,
		      char token[NC_TOKEN_MAX_TOKEN_BYTES]);

/* Parse an IPv6 text form t[0..len) into 8 groups; false if not valid. */
bool tok_ipv6_parse(const char *t, size_t len, uint16_t groups[8]);

#endif
