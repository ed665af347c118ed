/* Privacy at the boundary (docs/privacy.md): the per-process tokenization
 * policy and its canonical postcard encoding (what ProcessSpawnSpec's
 * privacy_policy field carries, abi/syscalls.abi v3), the boundary
 * transform (tokenize what leaves the process for a model or a peer,
 * detokenize the answer), and compliance assertions: a signed statement
 * that a payload was tokenized under policy P by a node with measurement M.
 *
 * Wire forms (postcard, lib/wire; docs/privacy.md gives the Rust-side types):
 *   PrivacyPolicy       { version: u32 (= 1), actions: [u8; 8], names: Vec<String> }
 *   ComplianceStatement { version: u32 (= 1), payload_sha256: [u8; 32],
 *                         policy_sha256: [u8; 32], measurement: Vec<u8> (<= 64),
 *                         items: [u32; 8] (items tokenized per kind), signer: [u8; 32] }
 *   ComplianceAssertion { statement: ComplianceStatement,
 *                         proof: enum { Ed25519([u8; 64]) = 0, Stark(Vec<u8>) = 1 } }
 * The Ed25519 signature covers "NCPA" || postcard(statement); a STARK proof
 * of the same statement can take the signature's place later (variant 1 is
 * reserved and refused with NC_PRIVACY_ERR_UNSUPPORTED today).
 *
 * Nothing allocates; decoded names point into the caller's buffer. */
#ifndef NC_PRIVACY_H
#define NC_PRIVACY_H

#include <nc/tee.h>
#include <nc/token.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_PRIVACY_POLICY_VERSION 1u
#define NC_PRIVACY_STATEMENT_VERSION 1u
#define NC_PRIVACY_MAX_MEASUREMENT_BYTES 64u
#define NC_PRIVACY_SIG_BYTES 64u
#define NC_PRIVACY_KEY_BYTES 32u
/* Longest encodings: a policy with NC_TOKEN_MAX_NAMES names of the longest
 * length, and an assertion. */
#define NC_PRIVACY_POLICY_MAX_BYTES (16u + NC_TOKEN_KINDS + NC_TOKEN_MAX_NAMES * (2u + NC_TOKEN_MAX_NAME_BYTES))
#define NC_PRIVACY_ASSERTION_MAX_BYTES 320u
/* Most bytes detokenizing makes of one byte: a value is at most
 * NC_TOKEN_MAX_VALUE_BYTES, the shortest token 12 bytes ("<dob:hhhhhh>";
 * a format-preserving token is as long as its value). */
#define NC_PRIVACY_IN_GROWTH ((NC_TOKEN_MAX_VALUE_BYTES + 11u) / 12u)

typedef enum {
	NC_PRIVACY_OK = 0,
	NC_PRIVACY_ERR_MALFORMED,     /* not a valid encoding (postcard, lengths, trailing bytes) */
	NC_PRIVACY_ERR_VERSION,       /* an encoding version we do not know */
	NC_PRIVACY_ERR_SPACE,         /* an output buffer is too small */
	NC_PRIVACY_ERR_POLICY,        /* a policy the tokenizer refuses (see nc_token_session_init) */
	NC_PRIVACY_ERR_WEAKER,        /* a child policy weaker than its parent's */
	NC_PRIVACY_ERR_FULL,          /* the session's token table is full */
	NC_PRIVACY_ERR_BAD_SIGNATURE, /* the assertion's signature does not verify */
	NC_PRIVACY_ERR_PAYLOAD,       /* the payload is not the one the statement names */
	NC_PRIVACY_ERR_POLICY_MISMATCH, /* the statement names another policy */
	NC_PRIVACY_ERR_MEASUREMENT,   /* the statement names another measurement */
	NC_PRIVACY_ERR_UNTRUSTED,     /* the signer is not the key the verifier trusts */
	NC_PRIVACY_ERR_UNSUPPORTED,   /* a proof kind not built yet (STARK) */
	NC_PRIVACY_ERR_TEE,           /* the root of trust could not sign */
} nc_privacy_err_t;

/* Static name of err; "NC_PRIVACY_ERR_UNKNOWN" otherwise. */
const char *nc_privacy_err_name(nc_privacy_err_t err);

/* ---- policy ---------------------------------------------------------------------- */

typedef struct {
	uint8_t action[NC_TOKEN_KINDS]; /* nc_token_action_t per nc_token_kind_t */
	const nc_token_name_t *names;   /* borrowed */
	size_t n_names;
} nc_privacy_policy_t;

/* The default policy of a process nobody gave one: every kind TYPED, no names. */
void nc_privacy_policy_default(nc_privacy_policy_t *p);

/* Canonical postcard encoding into out[0..cap). Errors: NC_PRIVACY_ERR_SPACE,
 * NC_PRIVACY_ERR_POLICY (an action out of range, FORMAT where undefined, a
 * name empty or too long, too many names). */
nc_privacy_err_t nc_privacy_policy_encode(const nc_privacy_policy_t *p, uint8_t *out, size_t cap, size_t *out_len);
/* Strict decoding of buf[0..len): names go to names[0..max_names) and point
 * into buf (keep it alive). Errors: NC_PRIVACY_ERR_MALFORMED, NC_PRIVACY_ERR_VERSION,
 * NC_PRIVACY_ERR_POLICY (as encode; also more names than max_names). */
nc_privacy_err_t nc_privacy_policy_decode(const uint8_t *buf, size_t len, nc_privacy_policy_t *p,
					  nc_token_name_t *names, size_t max_names);
/* SHA-256 of the canonical encoding (what statements name). Errors: as encode. */
nc_privacy_err_t nc_privacy_policy_hash(const nc_privacy_policy_t *p, uint8_t out[32]);
/* True iff child protects at least what parent does: for every kind an
 * action at least as strong (KEEP < FORMAT < TYPED) and every parent name
 * listed. The spawn rule: a process without privacy.raw may give a child
 * only such a policy (it cannot weaken its own, nor its children's). */
bool nc_privacy_policy_covers(const nc_privacy_policy_t *child, const nc_privacy_policy_t *parent);

/* The spawn rule as ProcessSpawnSpec applies it: spec[0..len) is the
 * child's encoded policy (len 0: the child inherits parent). A caller
 * without privacy.raw (caller_raw false) may only give a policy that covers
 * its own. On NC_PRIVACY_OK *child is the child's policy (names in names[],
 * pointing into spec, or parent's own names when inherited). Errors: those
 * of nc_privacy_policy_decode, NC_PRIVACY_ERR_WEAKER. */
nc_privacy_err_t nc_privacy_policy_for_child(const uint8_t *spec, size_t len, const nc_privacy_policy_t *parent,
					     bool caller_raw, nc_privacy_policy_t *child, nc_token_name_t *names,
					     size_t max_names);

/* ---- the boundary --------------------------------------------------------------- */

typedef struct {
	nc_token_session_t session;
	bool raw; /* the process holds privacy.raw and asked for raw data to pass */
} nc_privacy_boundary_t;

/* Open one session of a process under its policy: session_key is fresh per
 * session (the caller draws it from its randomness source and keeps it
 * only as long as the session); the token table lives in arena. raw: pass
 * data through untokenized (only for a holder of privacy.raw; the caller
 * checks the capability). Errors: NC_PRIVACY_ERR_POLICY. */
nc_privacy_err_t nc_privacy_boundary_open(nc_privacy_boundary_t *b, const nc_privacy_policy_t *policy,
					  const uint8_t session_key[NC_TOKEN_KEY_BYTES], bool raw, uint8_t *arena,
					  size_t arena_cap);
/* What leaves the process (a model request, a mesh payload): tokenized
 * into out. counts (may be NULL) gets the items per kind. Errors:
 * NC_PRIVACY_ERR_SPACE, NC_PRIVACY_ERR_FULL. */
nc_privacy_err_t nc_privacy_boundary_out(nc_privacy_boundary_t *b, const char *in, size_t len, char *out,
					 size_t cap, size_t *out_len, size_t counts[NC_TOKEN_KINDS]);
/* What comes back (the answer): the session's tokens mapped back.
 * Errors: NC_PRIVACY_ERR_SPACE. */
nc_privacy_err_t nc_privacy_boundary_in(const nc_privacy_boundary_t *b, const char *in, size_t len, char *out,
					size_t cap, size_t *out_len);
/* The answer in pieces (a stream), as nc_token_detokenize_part: maps the
 * longest prefix of in[0..len) that later pieces cannot change (all of it
 * when final or raw), *consumed its length; the rest (at most
 * NC_TOKEN_MAX_TOKEN_BYTES bytes) comes again with the next piece.
 * Output per byte of input: at most NC_PRIVACY_IN_GROWTH bytes.
 * Errors: NC_PRIVACY_ERR_SPACE. */
nc_privacy_err_t nc_privacy_boundary_in_part(const nc_privacy_boundary_t *b, const char *in, size_t len,
					     bool final, char *out, size_t cap, size_t *out_len, size_t *consumed);
void nc_privacy_boundary_close(nc_privacy_boundary_t *b);

/* ---- compliance assertions ------------------------------------------------------ */

typedef struct {
	uint8_t payload_sha256[32];
	uint8_t policy_sha256[32];
	uint8_t measurement[NC_PRIVACY_MAX_MEASUREMENT_BYTES];
	size_t measurement_len;
	uint32_t items[NC_TOKEN_KINDS];
	uint8_t signer[NC_PRIVACY_KEY_BYTES]; /* Ed25519 public key */
} nc_privacy_statement_t;

/* Where the payload leaves: state that payload[0..len) (as sent, i.e.
 * tokenized) was tokenized under policy by this node (measurement
 * [0..measurement_len), items per kind, may be NULL), and sign it with the
 * root of trust. The assertion goes to out[0..cap). Errors:
 * NC_PRIVACY_ERR_POLICY, NC_PRIVACY_ERR_SPACE, NC_PRIVACY_ERR_MALFORMED
 * (measurement too long), NC_PRIVACY_ERR_TEE. */
nc_privacy_err_t nc_privacy_assert_create(const nc_tee_t *tee, const nc_privacy_policy_t *policy,
					  const uint8_t *payload, size_t len, const uint8_t *measurement,
					  size_t measurement_len, const size_t items[NC_TOKEN_KINDS], uint8_t *out,
					  size_t cap, size_t *out_len);

/* What the receiver expects. */
typedef struct {
	const uint8_t *signer;          /* the trusted signer's public key (32 bytes) */
	const nc_privacy_policy_t *policy;
	const uint8_t *measurement;     /* NULL: any measurement (the statement still carries it) */
	size_t measurement_len;
} nc_privacy_expect_t;

/* Verify assertion[0..len) for payload[0..payload_len) received: decoding,
 * signer, signature, payload hash, policy hash, measurement, in that order.
 * On NC_PRIVACY_OK, *st (may be NULL) gets the statement. Errors:
 * NC_PRIVACY_ERR_MALFORMED, NC_PRIVACY_ERR_VERSION, NC_PRIVACY_ERR_UNSUPPORTED,
 * NC_PRIVACY_ERR_UNTRUSTED, NC_PRIVACY_ERR_BAD_SIGNATURE, NC_PRIVACY_ERR_PAYLOAD,
 * NC_PRIVACY_ERR_POLICY_MISMATCH, NC_PRIVACY_ERR_MEASUREMENT, NC_PRIVACY_ERR_POLICY. */
nc_privacy_err_t nc_privacy_assert_verify(const uint8_t *assertion, size_t len, const uint8_t *payload,
					  size_t payload_len, const nc_privacy_expect_t *expect,
					  nc_privacy_statement_t *st);

#endif
