/* Signed, portable capability tokens with offline attenuation
 * (docs/capability-tokens.md has the design and the soundness argument).
 *
 * A token is a chain of 1..NC_CAP_MAX_LINKS links plus a proof key, in postcard
 * (nc/wire.h):
 *   Token := { links: seq<Link>, proof: [u8; 32] }
 *   Link  := { body: Body, signature: [u8; 64] }
 *   Body  := { magic: [u8; 4] = "NCAP", version: u8 = 1, id: [u8; 16],
 *              issuer: [u8; 16], action: str, scope: str, not_before: u64,
 *              not_after: u64, parent: Option<[u8; 16]>, next_key: [u8; 32] }
 * Link 0 is signed by a root key (the TEE's); link i > 0 is signed by the key
 * whose public half is link i-1's next_key, and `proof` is the 32-byte Ed25519
 * seed of the last link's next_key. Whoever holds a token can therefore append
 * a narrower link (nc_cap_attenuate) but cannot drop or alter links. Each
 * signature covers the exact postcard bytes of its Body.
 *
 * Actions are dotted names ("fs.read", "ai.invoke", "net.connect"), 1..64
 * bytes of [a-z0-9_-] segments; an action covers itself and its dotted
 * extensions ("fs" covers "fs.read", not "fsx"). Scopes follow nc/scope.h.
 * Times are seconds since the Unix epoch (UTC).
 *
 * Nothing allocates; randomness (token ids, link keys) comes from
 * nc_crypto_random. Verification streams over the links and needs a bounded
 * stack whatever the token: about 4 KiB in the kernel flavour (gcc
 * -fstack-usage: libsodium's Ed25519 verification about 3.8 KiB deep, a BLAKE3
 * hasher for key ids 2 KiB, never both at once), so the kernel can run it.
 * Reentrant. */
#ifndef NC_CAP_H
#define NC_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_CAP_VERSION 1u
#define NC_CAP_MAX_LINKS 8u
#define NC_CAP_ID_BYTES 16u
#define NC_CAP_KEY_ID_BYTES 16u
#define NC_CAP_PUBLIC_KEY_BYTES 32u
#define NC_CAP_SIG_BYTES 64u
#define NC_CAP_MAX_ACTION_BYTES 64u
#define NC_CAP_MAX_SCOPE_BYTES 1024u
/* not_after - not_before may not exceed this: tokens are short-lived and
 * revocation lists only need to remember ids this long. */
#define NC_CAP_MAX_TTL_S (24u * 3600u)
/* A verifier accepts a token up to this many seconds before its not_before
 * (the minting clock may run ahead of ours); not_after gets no grace. */
#define NC_CAP_CLOCK_SKEW_S 60u
/* Largest encoded token. */
#define NC_CAP_MAX_TOKEN_BYTES                                                               \
	(NC_CAP_MAX_LINKS * (4 + 1 + 16 + 16 + 2 + NC_CAP_MAX_ACTION_BYTES + 2 +              \
			     NC_CAP_MAX_SCOPE_BYTES + 10 + 10 + 17 + 32 + 64) + 1 + 32)

typedef enum {
	NC_CAP_OK = 0,
	NC_CAP_ERR_MALFORMED,      /* not a well-formed postcard token (see nc_wire) */
	NC_CAP_ERR_VERSION,        /* wrong magic or unknown version */
	NC_CAP_ERR_TOO_MANY_LINKS, /* 0 links, or more than NC_CAP_MAX_LINKS */
	NC_CAP_ERR_BAD_ACTION,     /* action syntax */
	NC_CAP_ERR_BAD_SCOPE,      /* scope syntax (nc_scope_validate) or too long */
	NC_CAP_ERR_BAD_WINDOW,     /* not_before >= not_after, or TTL > NC_CAP_MAX_TTL_S */
	NC_CAP_ERR_UNKNOWN_ISSUER, /* link 0's issuer is not a trusted root */
	NC_CAP_ERR_BAD_CHAIN,      /* parent id or issuer key id does not follow the previous link,
				    * or a link repeats an earlier link's id */
	NC_CAP_ERR_WIDENED,        /* a link's action, scope or window is wider than its parent's */
	NC_CAP_ERR_BAD_SIGNATURE,  /* a link's signature does not verify */
	NC_CAP_ERR_BAD_PROOF,      /* the proof key does not match the last link's next_key */
	NC_CAP_ERR_REVOKED,        /* some link's id is revoked */
	NC_CAP_ERR_NOT_YET_VALID,  /* now + skew < not_before */
	NC_CAP_ERR_EXPIRED,        /* now >= not_after */
	NC_CAP_ERR_DENIED,         /* nc_cap_check: the grant does not cover the request */
	NC_CAP_ERR_BUFFER,         /* the output buffer is too small */
	NC_CAP_ERR_NO_RANDOM,      /* no randomness source (nc_crypto_set_random) */
	NC_CAP_ERR_SIGNER,         /* the issuer's sign callback failed */
} nc_cap_err_t;

/* Static name of err ("NC_CAP_ERR_WIDENED"); "NC_CAP_ERR_UNKNOWN" otherwise. */
const char *nc_cap_err_name(nc_cap_err_t err);

/* What a token (or one link) grants. Strings are not NUL-terminated. When
 * returned by this library they borrow from the token buffer. */
typedef struct {
	const char *action;
	size_t action_len;
	const char *scope;
	size_t scope_len;
	uint64_t not_before_s; /* first second of validity */
	uint64_t not_after_s;  /* first second of invalidity */
} nc_cap_grant_t;

/* One decoded link; pointers borrow from the token buffer. */
typedef struct {
	nc_cap_grant_t grant;
	uint8_t version;
	uint8_t id[NC_CAP_ID_BYTES];
	uint8_t issuer[NC_CAP_KEY_ID_BYTES];
	bool has_parent;
	uint8_t parent[NC_CAP_ID_BYTES];
	uint8_t next_key[NC_CAP_PUBLIC_KEY_BYTES];
	uint8_t signature[NC_CAP_SIG_BYTES];
	const uint8_t *body; /* the signed bytes */
	size_t body_len;
} nc_cap_link_t;

/* Key id of an Ed25519 public key: the first 16 bytes of BLAKE3 in derive-key
 * mode (context "NexaCore 2026-11 capability issuer key id") over the key. */
void nc_cap_key_id(uint8_t id[NC_CAP_KEY_ID_BYTES], const uint8_t pk[NC_CAP_PUBLIC_KEY_BYTES]);

/* True iff action `have` covers action `want` (see above); false if either is
 * not a well-formed action. */
bool nc_cap_action_covers(const char *have, size_t have_len, const char *want, size_t want_len);

/* ---- reading tokens without verifying (inspection, attenuation) ------------ */

typedef struct {
	const uint8_t *tok;
	size_t tok_len;
	size_t pos;        /* next unread byte */
	size_t n_links;    /* from the header */
	size_t next_link;  /* links read so far */
	size_t links_start; /* offset of link 0 */
} nc_cap_cursor_t;

/* Read the link count of tok[0..tok_len). Errors: NC_CAP_ERR_MALFORMED,
 * NC_CAP_ERR_TOO_MANY_LINKS. */
nc_cap_err_t nc_cap_cursor_init(nc_cap_cursor_t *c, const uint8_t *tok, size_t tok_len);
/* Decode the next link into *link, checking its syntax (magic, version,
 * action, scope, window) but no signature or chain rule. Errors:
 * NC_CAP_ERR_MALFORMED (also when all links were read), NC_CAP_ERR_VERSION,
 * NC_CAP_ERR_BAD_ACTION, NC_CAP_ERR_BAD_SCOPE, NC_CAP_ERR_BAD_WINDOW. */
nc_cap_err_t nc_cap_cursor_next(nc_cap_cursor_t *c, nc_cap_link_t *link);
/* After the last link: copy the 32-byte proof seed and require the end of
 * input. Errors: NC_CAP_ERR_MALFORMED (links left, truncated, trailing bytes). */
nc_cap_err_t nc_cap_cursor_proof(nc_cap_cursor_t *c, uint8_t seed[32]);

/* ---- minting and attenuating ------------------------------------------------ */

/* The root of trust's signing key, as lib/tee exposes it. sign returns false
 * on failure. */
typedef struct {
	uint8_t public_key[NC_CAP_PUBLIC_KEY_BYTES];
	bool (*sign)(void *ctx, uint8_t sig[NC_CAP_SIG_BYTES], const uint8_t *msg, size_t len_bytes);
	void *ctx;
} nc_cap_issuer_t;

/* Mint a one-link token granting *g, signed by issuer, into out[0..cap_bytes);
 * *out_len gets its length. Errors: NC_CAP_ERR_BAD_ACTION, NC_CAP_ERR_BAD_SCOPE,
 * NC_CAP_ERR_BAD_WINDOW, NC_CAP_ERR_NO_RANDOM, NC_CAP_ERR_SIGNER,
 * NC_CAP_ERR_BUFFER. Secrets (the fresh link key) are wiped. */
nc_cap_err_t nc_cap_mint(uint8_t *out, size_t cap_bytes, size_t *out_len, const nc_cap_grant_t *g,
			 const nc_cap_issuer_t *issuer);

/* Append a link granting *g to the token tok[0..tok_len), signed with the
 * token's proof key, into out[0..cap_bytes) (not overlapping tok). *g must be
 * within the last link's grant (same or narrower action and scope, window
 * inside). The input is parsed but not verified. Errors: those of the cursor,
 * NC_CAP_ERR_TOO_MANY_LINKS (already NC_CAP_MAX_LINKS), NC_CAP_ERR_WIDENED,
 * NC_CAP_ERR_BAD_PROOF (the proof does not match), NC_CAP_ERR_NO_RANDOM,
 * NC_CAP_ERR_BUFFER. */
nc_cap_err_t nc_cap_attenuate(uint8_t *out, size_t cap_bytes, size_t *out_len, const uint8_t *tok,
			      size_t tok_len, const nc_cap_grant_t *g);

/* ---- verifying -------------------------------------------------------------- */

/* What the verifier trusts and has revoked. */
typedef struct {
	const uint8_t (*roots)[NC_CAP_PUBLIC_KEY_BYTES]; /* trusted root public keys */
	size_t n_roots;
	/* True if id (of any link) is revoked; NULL means nothing is revoked. */
	bool (*is_revoked)(void *ctx, const uint8_t id[NC_CAP_ID_BYTES]);
	void *revoked_ctx;
} nc_cap_policy_t;

/* Verify the whole token at time now_s: every link well-formed; link 0 issued
 * by a root in policy; each later link issued by its parent's next_key, naming
 * its parent's id, with an id no earlier link has (so revoking a link's id
 * never revokes its ancestors), and no wider than its parent; every
 * signature; the proof; no link revoked (so revoking an id revokes all tokens derived from it); and
 * not_before - NC_CAP_CLOCK_SKEW_S <= now_s < not_after of the last link
 * (windows nest, so the last is the tightest). On NC_CAP_OK *effective (may be
 * NULL) is the last link's grant, borrowing from tok. Errors: every
 * NC_CAP_ERR_* except DENIED, BUFFER, NO_RANDOM, SIGNER. */
nc_cap_err_t nc_cap_verify(const uint8_t *tok, size_t tok_len, const nc_cap_policy_t *policy,
			   uint64_t now_s, nc_cap_grant_t *effective);

/* Whether a verified grant allows `action` on `resource` (nc_cap_action_covers
 * and nc_scope_matches). Errors: NC_CAP_ERR_DENIED. */
nc_cap_err_t nc_cap_check(const nc_cap_grant_t *g, const char *action, size_t action_len,
			  const char *resource, size_t resource_len);

#endif
