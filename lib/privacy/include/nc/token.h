/* Session tokens: find personal data in text and replace each item with a
 * token that is deterministic within a session (the same value always gets
 * the same token) and unlinkable across sessions (every token is keyed by
 * the session key). The session's owner maps tokens back; without the
 * session (its key and table) nothing can.
 *
 * Kinds and what is detected (docs/privacy.md has the exact rules):
 *   email  local@domain.tld, at most 254 bytes (RFC 5321 4.5.3.1.3)
 *   phone  international (+CC ...) or grouped national numbers, 7..15 digits;
 *          bare digit runs only after a phone keyword ("tel", "call", ...)
 *   card   13..19 digits, optionally grouped, passing the Luhn check
 *   iban   country, check digits (ISO 7064 mod 97 = 1), BBAN, optionally in
 *          groups of four; the country's length when it is a known one
 *   ipv4   dotted quad, octets 0..255 without leading zeros
 *   ipv6   RFC 4291 text forms (8 groups, or "::" compression)
 *   dob    a valid date (ISO, D/M/Y, M/D/Y, D.M.Y, "12 March 1985",
 *          "March 12, 1985") within 32 bytes after a birth keyword
 *   name   an entry of the caller's list, whole words, case-sensitive
 *
 * Token forms, per kind, as the policy's action says:
 *   NC_TOKEN_TYPED   "<kind:hhhhhh>": 6 hex digits of HMAC-SHA256 under the
 *                    session's MAC key (longer if two values of the session
 *                    would collide);
 *   NC_TOKEN_FORMAT  (phone, card, iban, ipv4, ipv6 only) a value of the same
 *                    shape, FF1 under the session's FPE key: phone digits after
 *                    the first (two after '+'), card digits between the first
 *                    and the Luhn check digit (recomputed), the IBAN's BBAN in
 *                    radix 36 (check digits recomputed), IPv4 as 4 digits of
 *                    radix 256, IPv6 as 8 of radix 65536 (printed per RFC 5952);
 *   NC_TOKEN_KEEP    left as it is.
 *
 * Memory: the session keeps its token table in an arena the caller provides
 * (nothing allocates); names are borrowed for the session's life. A session
 * is used by one thread at a time. */
#ifndef NC_TOKEN_H
#define NC_TOKEN_H

#include <nc/fpe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_TOKEN_KEY_BYTES 32u
#define NC_TOKEN_MAX_NAMES 256u
#define NC_TOKEN_MAX_NAME_BYTES 64u
#define NC_TOKEN_MAX_VALUE_BYTES 255u /* longest item detected (an e-mail address is at most 254) */
#define NC_TOKEN_MAX_TOKEN_BYTES 64u

typedef enum {
	NC_TOKEN_EMAIL = 0,
	NC_TOKEN_PHONE,
	NC_TOKEN_CARD,
	NC_TOKEN_IBAN,
	NC_TOKEN_IPV4,
	NC_TOKEN_IPV6,
	NC_TOKEN_DOB,
	NC_TOKEN_NAME,
	NC_TOKEN_KINDS
} nc_token_kind_t;

typedef enum { NC_TOKEN_KEEP = 0, NC_TOKEN_TYPED, NC_TOKEN_FORMAT } nc_token_action_t;

typedef enum {
	NC_TOKEN_OK = 0,
	NC_TOKEN_ERR_SPACE,  /* the output buffer is too small */
	NC_TOKEN_ERR_FULL,   /* the session's table (arena) is full */
	NC_TOKEN_ERR_POLICY, /* an action outside the enum, or FORMAT for a kind without a format-preserving form */
	NC_TOKEN_ERR_NAMES,  /* too many names, or a name empty or over NC_TOKEN_MAX_NAME_BYTES */
	NC_TOKEN_ERR_TABLE,  /* a saved table that is not well formed */
} nc_token_err_t;

/* Static name of err; "NC_TOKEN_ERR_UNKNOWN" otherwise. */
const char *nc_token_err_name(nc_token_err_t err);
/* "email", "phone", ...; "?" outside the enum. */
const char *nc_token_kind_name(nc_token_kind_t kind);
/* True iff FORMAT is defined for kind. */
bool nc_token_kind_has_format(nc_token_kind_t kind);

/* A borrowed name (not NUL-terminated). */
typedef struct {
	const char *s;
	size_t len;
} nc_token_name_t;

typedef struct {
	nc_token_kind_t kind;
	size_t start, len; /* bytes of the text */
} nc_token_match_t;

/* Find the personal data in text[0..len): up to max_out matches, in order,
 * neither overlapping nor adjacent (a match never starts where the previous
 * one ended; at one position the longest match wins; card before phone). Returns how many were found in all (may exceed max_out: only the
 * first max_out are stored). Reentrant; names may be NULL when n_names is 0. */
size_t nc_token_detect(const char *text, size_t len, const nc_token_name_t *names, size_t n_names,
		       nc_token_match_t *out, size_t max_out);

typedef struct {
	uint8_t mac_key[32]; /* HMAC-SHA256 key of the typed tokens (secret) */
	nc_fpe_t fpe;        /* FF1, AES-256 (secret) */
	uint8_t action[NC_TOKEN_KINDS];
	const nc_token_name_t *names;
	size_t n_names;
	uint8_t *arena; /* the table: entries of kind, token, value */
	size_t arena_cap, arena_used, n_entries;
} nc_token_session_t;

/* Start a session under key (32 random bytes the owner keeps, or a key
 * derived for the session): the MAC and FF1 keys are HKDF-SHA256(salt
 * "NexaCore session tokens v1", key, info "mac" / "ff1"). action[kind] is
 * each kind's nc_token_action_t. The table lives in arena[0..arena_cap).
 * Errors: NC_TOKEN_ERR_POLICY, NC_TOKEN_ERR_NAMES. */
nc_token_err_t nc_token_session_init(nc_token_session_t *s, const uint8_t key[NC_TOKEN_KEY_BYTES],
				     const uint8_t action[NC_TOKEN_KINDS], const nc_token_name_t *names,
				     size_t n_names, uint8_t *arena, size_t arena_cap);
/* Replace the session's table by table[0..len): the bytes arena[0..arena_used)
 * of an earlier session under the same key, saved by its owner (who must
 * keep them as secret as the data: they hold the original values). Every
 * entry is checked. Errors: NC_TOKEN_ERR_FULL (larger than the arena),
 * NC_TOKEN_ERR_TABLE (malformed); on an error the table is unchanged. */
nc_token_err_t nc_token_session_load(nc_token_session_t *s, const uint8_t *table, size_t len);
/* Wipe the keys and the table. */
void nc_token_session_fini(nc_token_session_t *s);

/* Replace every detected item of in[0..len) whose action is not KEEP by its
 * token, into out[0..cap); *out_len the length. counts (may be NULL) gets the
 * number of items replaced per kind. Errors: NC_TOKEN_ERR_SPACE,
 * NC_TOKEN_ERR_FULL (out is then not usable; tokens already added stay valid). */
nc_token_err_t nc_token_tokenize(nc_token_session_t *s, const char *in, size_t len, char *out, size_t cap,
				 size_t *out_len, size_t counts[NC_TOKEN_KINDS]);
/* Replace every token this session issued (exact text, not inside a longer
 * word or number) by its original value. Anything else is copied as is.
 * Errors: NC_TOKEN_ERR_SPACE. */
nc_token_err_t nc_token_detokenize(const nc_token_session_t *s, const char *in, size_t len, char *out,
				   size_t cap, size_t *out_len);
/* Detokenize a text that arrives in pieces (a stream): in[0..len) is what
 * came so far and was not consumed yet. Maps and writes out the longest
 * prefix that later bytes cannot change, *consumed its length; the rest
 * (the start of what may still become one of the session's tokens, at most
 * NC_TOKEN_MAX_TOKEN_BYTES bytes) must be passed again with the next piece
 * appended. final: no more bytes come, everything is consumed. The pieces'
 * outputs joined equal nc_token_detokenize of the whole text.
 * Errors: NC_TOKEN_ERR_SPACE. */
nc_token_err_t nc_token_detokenize_part(const nc_token_session_t *s, const char *in, size_t len, bool final,
					char *out, size_t cap, size_t *out_len, size_t *consumed);

#endif
