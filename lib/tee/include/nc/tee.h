/* The TEE layer (docs/attestation.md): one backend interface for what a
 * trusted execution environment gives the OS, and the backend-independent
 * parts built on it.
 *
 *   device side (nc_tee_t over nc_tee_ops_t): a local report of the
 *     measurements with 64 bytes of caller data, a quote (the report signed
 *     by a key that chains to the vendor's root), sealing keys bound to a
 *     measurement, and the capability root key the kernel signs tokens with;
 *   verifier side (nc_tee_verifier_ops_t, one per backend id): check a
 *     quote's evidence up to a trusted root and return its claims;
 *   on top: the versioned quote envelope, policies (accepted measurements,
 *     TCB minimum, freshness nonce), claims, sealed blobs, and the
 *     measurement log (a running BLAKE3 register plus its entries).
 *
 * Backends: the development backend (nc/tee_dev.h) behaves like a hardware
 * one in everything a caller sees but proves nothing about hardware. Intel
 * TDX and AMD SEV-SNP evidence layouts are parsed and checked (nc/tee_tdx.h,
 * nc/tee_snp.h); their ECDSA chains are not verified here, so their
 * verifiers answer NC_TEE_ERR_UNSUPPORTED after the layout checks.
 *
 * Formats are postcard (nc/wire.h); every decoder is strict (trailing bytes,
 * bad tags, over-long fields are NC_TEE_ERR_FORMAT). Nothing allocates;
 * callers provide every buffer. A nc_tee_t's operations may run on several
 * threads at once once it is open (the dev backend only reads its state and
 * reads the log through its owner's function), except nc_tee_close; the
 * measurement log itself is not thread-safe (its owner locks it). */
#ifndef NC_TEE_H
#define NC_TEE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_TEE_REPORT_DATA_BYTES 64u
/* Freshness convention: report_data[32..64) carries the verifier's nonce,
 * report_data[0..32) whatever the quote binds (an X25519 key for envelopes). */
#define NC_TEE_NONCE_OFFSET 32u
#define NC_TEE_NONCE_BYTES 32u
#define NC_TEE_MEASUREMENT_BYTES 32u
#define NC_TEE_PUBLIC_KEY_BYTES 32u /* Ed25519 */
#define NC_TEE_SECRET_KEY_BYTES 64u /* Ed25519, libsodium layout (seed || public key) */
#define NC_TEE_SIG_BYTES 64u
#define NC_TEE_KEY_ID_BYTES 16u
#define NC_TEE_MAC_BYTES 32u
#define NC_TEE_SEAL_KEY_BYTES 32u
#define NC_TEE_QUOTE_VERSION 1u
#define NC_TEE_QUOTE_MAX_BYTES 8192u
#define NC_TEE_POLICY_MAX_MEASUREMENTS 16u
#define NC_TEE_POLICY_MAX_BYTES 1200u /* an encoded policy at its fullest fits */
#define NC_TEE_CLAIMS_MAX_BYTES 200u  /* an encoded claims record always fits */
#define NC_TEE_SEAL_MAX_BYTES 4096u   /* largest plaintext to seal */
#define NC_TEE_LOG_NAME_MAX 64u

typedef enum {
	NC_TEE_BACKEND_DEV = 1, /* development backend (nc/tee_dev.h) */
	NC_TEE_BACKEND_TDX = 2, /* Intel TDX: quote v4 (nc/tee_tdx.h) */
	NC_TEE_BACKEND_SNP = 3, /* AMD SEV-SNP: attestation report + VCEK chain (nc/tee_snp.h) */
} nc_tee_backend_t;

typedef enum {
	NC_TEE_OK = 0,
	NC_TEE_ERR_SECRET_TOO_SHORT, /* dev: device secret outside 32..64 bytes */
	NC_TEE_ERR_CLOSED,           /* the backend was closed (nc_tee_close) */
	NC_TEE_ERR_FORMAT,           /* malformed bytes (quote, certificate, policy, claims, sealed blob, log) */
	NC_TEE_ERR_VERSION,          /* a format version this code does not know */
	NC_TEE_ERR_BACKEND,          /* a backend id nobody here can verify, or not this device's */
	NC_TEE_ERR_UNTRUSTED,        /* the chain ends at a root the verifier does not trust */
	NC_TEE_ERR_BAD_SIGNATURE,    /* a signature in the chain does not verify */
	NC_TEE_ERR_TCB,              /* the TCB level is below the policy's minimum */
	NC_TEE_ERR_MEASUREMENT,      /* the measurement (or runtime log) is not one the policy accepts */
	NC_TEE_ERR_STALE,            /* the report data does not carry the verifier's nonce */
	NC_TEE_ERR_TOO_SMALL,        /* an output buffer is too small */
	NC_TEE_ERR_TOO_LONG,         /* an input over its documented bound */
	NC_TEE_ERR_NO_CERT,          /* the device has no certificate: it cannot quote */
	NC_TEE_ERR_NO_RANDOM,        /* no randomness (sealing) */
	NC_TEE_ERR_SEAL_POLICY,      /* this machine's measurement is not one the sealed blob names */
	NC_TEE_ERR_SEAL_AUTH,        /* the sealed blob is not authentic here (tampered, or another device) */
	NC_TEE_ERR_REPORT,           /* a report's MAC does not verify: it is not this device's */
	NC_TEE_ERR_UNSUPPORTED,      /* the backend cannot do this (no measurement source, no ECDSA verifier) */
	NC_TEE_ERR_CERT,             /* the device certificate does not name this device's key */
} nc_tee_err_t;

/* Static name of err; "NC_TEE_ERR_UNKNOWN" for values outside the enum. */
const char *nc_tee_err_name(nc_tee_err_t err);
/* "dev", "tdx", "snp"; "unknown" otherwise. */
const char *nc_tee_backend_name(uint32_t backend);

/* ---- the measurement log ---------------------------------------------------
 * A running register like a TPM PCR: it starts at 32 zero bytes and each
 * entry extends it, register' = BLAKE3(register || postcard(Entry)) with
 *   Entry := { kind: u8, name: str (1..NC_TEE_LOG_NAME_MAX), digest: [u8; 32] }.
 * The first entries (the loader's: kernel, initrd, command line) form the
 * boot part; nc_tee_log_end_boot freezes the register there as the image
 * measurement, which quotes carry, policies name and seals bind to. Later
 * entries (programs, drivers, services the kernel starts) move only the
 * current register. Entries past the storage are still extended into the
 * register and counted, so a log can be incomplete but never wrong. */
typedef enum {
	NC_TEE_LOG_KERNEL = 1,   /* the kernel ELF file as read from the ESP */
	NC_TEE_LOG_INITRD = 2,   /* the initrd archive */
	NC_TEE_LOG_CMDLINE = 3,  /* the command line the kernel received */
	NC_TEE_LOG_PROGRAM = 16, /* an executable the kernel started (first start of each) */
	NC_TEE_LOG_DRIVER = 17,  /* a driver package DriverLoad started */
	NC_TEE_LOG_SERVICE = 18, /* a user-space service the kernel routes to */
} nc_tee_log_kind_t;

typedef struct {
	uint8_t kind;                         /* nc_tee_log_kind_t */
	uint8_t name_len;                     /* 1..NC_TEE_LOG_NAME_MAX */
	char name[NC_TEE_LOG_NAME_MAX];       /* not NUL-terminated */
	uint8_t digest[NC_TEE_MEASUREMENT_BYTES];
} nc_tee_log_entry_t;

typedef struct {
	uint8_t boot[NC_TEE_MEASUREMENT_BYTES];    /* the register when the boot part ended */
	uint8_t current[NC_TEE_MEASUREMENT_BYTES]; /* the register now */
	uint32_t n_boot;                           /* entries in the boot part */
	uint32_t n_entries;                        /* every extension, stored or not */
	bool boot_ended;
	nc_tee_log_entry_t *entries;               /* storage for the first `cap` entries (borrowed) */
	uint32_t cap;
} nc_tee_log_t;

/* Start an empty log over storage[0..cap) (cap may be 0). */
void nc_tee_log_init(nc_tee_log_t *log, nc_tee_log_entry_t *storage, uint32_t cap);
/* Extend by one entry. Errors: NC_TEE_ERR_TOO_LONG (name empty or over
 * NC_TEE_LOG_NAME_MAX), NC_TEE_ERR_FORMAT (kind 0). Nothing changes then. */
nc_tee_err_t nc_tee_log_extend(nc_tee_log_t *log, nc_tee_log_kind_t kind, const char *name,
			       size_t name_len, const uint8_t digest[NC_TEE_MEASUREMENT_BYTES]);
/* End the boot part: boot = current. Later calls change nothing. */
void nc_tee_log_end_boot(nc_tee_log_t *log);
/* True when an entry of this kind, name and digest is stored already. */
bool nc_tee_log_contains(const nc_tee_log_t *log, nc_tee_log_kind_t kind, const char *name,
			 size_t name_len, const uint8_t digest[NC_TEE_MEASUREMENT_BYTES]);
/* Encoded log:
 *   Log := { magic: [u8; 4] = "NCML", version: u8 = 1, n_boot: u32, n_entries: u32,
 *            boot: [u8; 32], current: [u8; 32], entries: seq<Entry> (the stored ones) }
 * Errors: NC_TEE_ERR_TOO_SMALL. */
nc_tee_err_t nc_tee_log_encode(const nc_tee_log_t *log, uint8_t *out, size_t cap, size_t *len_out);
/* Decode an encoded log into *log over storage[0..cap) and replay it: the
 * registers are recomputed from the stored entries and must equal the
 * recorded ones (the boot register once the boot part is stored, the current
 * register when every entry is). *complete is true when every entry was
 * stored, so log->current is proven by the entries; otherwise log->current
 * is the recorded value, which only a quote can vouch for. log->cap becomes
 * the number of stored entries. Errors:
 * NC_TEE_ERR_FORMAT (malformed, or entries that do not replay to the
 * recorded registers), NC_TEE_ERR_VERSION, NC_TEE_ERR_TOO_SMALL (more stored
 * entries than cap). */
nc_tee_err_t nc_tee_log_decode(const uint8_t *in, size_t len, nc_tee_log_t *log,
			       nc_tee_log_entry_t *storage, uint32_t cap, bool *complete);
/* The registers a report states, read from a log in one step. */
typedef struct {
	uint8_t boot[NC_TEE_MEASUREMENT_BYTES];
	uint8_t current[NC_TEE_MEASUREMENT_BYTES];
	uint32_t n_entries;
} nc_tee_registers_t;

/* Copy log's registers (log is a const nc_tee_log_t *): a measurement
 * source for a backend whose log nobody changes concurrently. */
void nc_tee_log_read(void *log, nc_tee_registers_t *out);

/* The digest one entry adds (for a verifier replaying by hand). */
void nc_tee_log_next(uint8_t reg[NC_TEE_MEASUREMENT_BYTES], const nc_tee_log_entry_t *e);

/* ---- reports, claims ------------------------------------------------------ */

/* A local report (TDX TDREPORT, SNP report, dev): what the backend measured,
 * with the caller's report data, authenticated for this device only. */
typedef struct {
	uint32_t backend; /* nc_tee_backend_t */
	uint32_t tcb_svn;
	uint8_t measurement[NC_TEE_MEASUREMENT_BYTES]; /* the image measurement (log boot register) */
	uint8_t log_digest[NC_TEE_MEASUREMENT_BYTES];  /* the log's current register */
	uint32_t log_entries;
	uint8_t report_data[NC_TEE_REPORT_DATA_BYTES];
	uint8_t mac[NC_TEE_MAC_BYTES];                 /* backend-private authenticator */
} nc_tee_report_t;

/* What a verified quote states. */
typedef struct {
	uint32_t backend;
	uint32_t tcb_svn;
	uint8_t measurement[NC_TEE_MEASUREMENT_BYTES];
	uint8_t log_digest[NC_TEE_MEASUREMENT_BYTES];
	uint32_t log_entries;
	uint8_t report_data[NC_TEE_REPORT_DATA_BYTES];
	uint8_t device_id[NC_TEE_KEY_ID_BYTES]; /* key id of the device's attestation key */
} nc_tee_claims_t;

/* Claims := { version: u8 = 1, backend: u8, tcb_svn: u32, measurement: [u8; 32],
 *             log_digest: [u8; 32], log_entries: u32, report_data: [u8; 64],
 *             device_id: [u8; 16] }  (at most NC_TEE_CLAIMS_MAX_BYTES)
 * Errors: encode NC_TEE_ERR_TOO_SMALL; decode NC_TEE_ERR_FORMAT, _VERSION. */
nc_tee_err_t nc_tee_claims_encode(const nc_tee_claims_t *c, uint8_t *out, size_t cap, size_t *len_out);
nc_tee_err_t nc_tee_claims_decode(const uint8_t *in, size_t len, nc_tee_claims_t *c);

/* Key id of an Ed25519 public key: the first 16 bytes of BLAKE3 derive-key
 * ("NexaCore 2026-12 tee key id") of the key. */
void nc_tee_key_id(uint8_t id[NC_TEE_KEY_ID_BYTES], const uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES]);

/* ---- the device side: backends -------------------------------------------- */

typedef struct {
	nc_tee_backend_t id;
	const char *name;
	/* A local report over report_data. NC_TEE_ERR_UNSUPPORTED without a measurement source. */
	nc_tee_err_t (*report)(void *state, const uint8_t report_data[NC_TEE_REPORT_DATA_BYTES],
			       nc_tee_report_t *out);
	/* The quote for a report of this device (NC_TEE_ERR_REPORT otherwise). */
	nc_tee_err_t (*quote)(void *state, const nc_tee_report_t *report, uint8_t *out, size_t cap,
			      size_t *len_out);
	/* The sealing key of this device for a measurement (a backend whose
	 * hardware mixes in only the current measurement answers
	 * NC_TEE_ERR_UNSUPPORTED for any other). */
	nc_tee_err_t (*seal_key)(void *state, const uint8_t measurement[NC_TEE_MEASUREMENT_BYTES],
				 uint8_t key[NC_TEE_SEAL_KEY_BYTES]);
	/* The root signing key for capability tokens (docs/capability-tokens.md). */
	nc_tee_err_t (*public_key)(void *state, uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES]);
	nc_tee_err_t (*sign)(void *state, uint8_t sig[NC_TEE_SIG_BYTES], const uint8_t *msg, size_t len_bytes);
	void (*close)(void *state); /* wipe secrets */
} nc_tee_ops_t;

typedef struct {
	const nc_tee_ops_t *ops; /* NULL once closed */
	void *state;             /* backend state, caller-owned */
} nc_tee_t;

/* Each forwards to the open backend; NC_TEE_ERR_CLOSED once closed. */
nc_tee_err_t nc_tee_report(const nc_tee_t *tee, const uint8_t report_data[NC_TEE_REPORT_DATA_BYTES],
			   nc_tee_report_t *out);
nc_tee_err_t nc_tee_quote(const nc_tee_t *tee, const nc_tee_report_t *report, uint8_t *out, size_t cap,
			  size_t *len_out);
nc_tee_err_t nc_tee_seal_key(const nc_tee_t *tee, const uint8_t measurement[NC_TEE_MEASUREMENT_BYTES],
			     uint8_t key[NC_TEE_SEAL_KEY_BYTES]);
/* The root public key, and an Ed25519 signature of msg[0..len_bytes) by it.
 * Callers domain-separate what they sign (capability bodies begin with "NCAP"). */
nc_tee_err_t nc_tee_public_key(const nc_tee_t *tee, uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES]);
nc_tee_err_t nc_tee_sign(const nc_tee_t *tee, uint8_t sig[NC_TEE_SIG_BYTES], const uint8_t *msg,
			 size_t len_bytes);
/* Report then quote: the quote over report_data into out[0..cap). Errors: as both. */
nc_tee_err_t nc_tee_attest(const nc_tee_t *tee, const uint8_t report_data[NC_TEE_REPORT_DATA_BYTES],
			   uint8_t *out, size_t cap, size_t *len_out);
/* Wipe the backend's secrets; later calls return NC_TEE_ERR_CLOSED. */
void nc_tee_close(nc_tee_t *tee);

/* ---- the verifier side ---------------------------------------------------- */

/* Trusted vendor roots (Ed25519 public keys), borrowed. */
typedef struct {
	const uint8_t (*keys)[NC_TEE_PUBLIC_KEY_BYTES];
	size_t n_keys;
} nc_tee_roots_t;

/* What a verifier accepts. Policy := { magic: [u8; 4] = "NCTP", version: u8 = 1,
 *   backend: u8, min_tcb_svn: u32, measurements: seq<[u8; 32]> (1..16),
 *   log_digests: seq<[u8; 32]> (0..16; empty: any runtime log),
 *   nonce: Option<[u8; 32]> (Some: report_data[32..64) must equal it) } */
typedef struct {
	uint32_t backend;
	uint32_t min_tcb_svn;
	uint32_t n_measurements;
	uint8_t measurements[NC_TEE_POLICY_MAX_MEASUREMENTS][NC_TEE_MEASUREMENT_BYTES];
	uint32_t n_log_digests;
	uint8_t log_digests[NC_TEE_POLICY_MAX_MEASUREMENTS][NC_TEE_MEASUREMENT_BYTES];
	bool has_nonce;
	uint8_t nonce[NC_TEE_NONCE_BYTES];
} nc_tee_policy_t;

/* Errors: encode NC_TEE_ERR_TOO_SMALL, NC_TEE_ERR_FORMAT (counts out of
 * range); decode NC_TEE_ERR_FORMAT, NC_TEE_ERR_VERSION. */
nc_tee_err_t nc_tee_policy_encode(const nc_tee_policy_t *p, uint8_t *out, size_t cap, size_t *len_out);
nc_tee_err_t nc_tee_policy_decode(const uint8_t *in, size_t len, nc_tee_policy_t *p);

/* One backend's evidence checker: the chain of evidence[0..len) up to one of
 * roots, then the claims it states. Errors: NC_TEE_ERR_FORMAT, _VERSION,
 * _UNTRUSTED, _BAD_SIGNATURE, _UNSUPPORTED. */
typedef struct {
	nc_tee_backend_t id;
	nc_tee_err_t (*verify)(const uint8_t *evidence, size_t len, const nc_tee_roots_t *roots,
			       nc_tee_claims_t *claims);
} nc_tee_verifier_ops_t;

/* The verifier for backend, or NULL. */
const nc_tee_verifier_ops_t *nc_tee_verifier(uint32_t backend);

/* The quote envelope every backend's evidence travels in:
 *   Quote := { magic: [u8; 4] = "NCQT", version: u8 = 1, backend: u8, evidence: bytes }
 * Errors: NC_TEE_ERR_TOO_SMALL, NC_TEE_ERR_TOO_LONG (over NC_TEE_QUOTE_MAX_BYTES). */
nc_tee_err_t nc_tee_quote_wrap(nc_tee_backend_t backend, const uint8_t *evidence, size_t evidence_len,
			       uint8_t *out, size_t cap, size_t *len_out);
/* Split a quote into its backend and evidence (borrowing from quote).
 * Errors: NC_TEE_ERR_FORMAT, NC_TEE_ERR_VERSION, NC_TEE_ERR_TOO_LONG. */
nc_tee_err_t nc_tee_quote_unwrap(const uint8_t *quote, size_t len, uint32_t *backend,
				 const uint8_t **evidence, size_t *evidence_len);

/* Verify a quote, in this order: the envelope (FORMAT, VERSION, TOO_LONG),
 * a verifier for its backend (BACKEND), the evidence chain up to roots
 * (UNTRUSTED, BAD_SIGNATURE, UNSUPPORTED); then, with a policy: its TCB
 * minimum (TCB), backend, measurement and runtime log (MEASUREMENT), nonce
 * (STALE). claims (may be NULL) is written only on NC_TEE_OK. */
nc_tee_err_t nc_tee_verify_quote(const uint8_t *quote, size_t len, const nc_tee_roots_t *roots,
				 const nc_tee_policy_t *policy, nc_tee_claims_t *claims);
/* Only the policy part, on claims already verified. */
nc_tee_err_t nc_tee_policy_check(const nc_tee_policy_t *policy, const nc_tee_claims_t *claims);

/* ---- sealing --------------------------------------------------------------
 * Sealed := { magic: [u8; 4] = "NCSL", version: u8 = 1, backend: u8,
 *             salt: [u8; 24], measurements: seq<[u8; 32]> (1..16),
 *             wraps: seq<[u8; 48]> (one per measurement), ciphertext: bytes }
 * A fresh data key DK encrypts the data (XChaCha20-Poly1305, nonce salt);
 * wrap i is DK under the device's sealing key for measurement i (nonce
 * salt). Both AEADs authenticate the header (magic .. measurements). Only a
 * machine of the same device whose image measurement is named can open. */

/* Bytes a sealed blob of data_len bytes to n measurements takes. */
size_t nc_tee_sealed_size(size_t n_measurements, size_t data_len);
/* Seal data[0..data_len) (at most NC_TEE_SEAL_MAX_BYTES) to measurements[0..n)
 * (1..NC_TEE_POLICY_MAX_MEASUREMENTS), or to this machine's measurement when
 * n is 0. Errors: NC_TEE_ERR_TOO_LONG, NC_TEE_ERR_TOO_SMALL, NC_TEE_ERR_NO_RANDOM,
 * and the backend's (UNSUPPORTED, CLOSED). */
nc_tee_err_t nc_tee_seal(const nc_tee_t *tee, const uint8_t (*measurements)[NC_TEE_MEASUREMENT_BYTES],
			 size_t n, const uint8_t *data, size_t data_len, uint8_t *out, size_t cap,
			 size_t *len_out);
/* Open a sealed blob on this machine. Errors: NC_TEE_ERR_FORMAT, _VERSION,
 * _BACKEND (sealed by another backend), _SEAL_POLICY (this measurement is not
 * named), _SEAL_AUTH (tampered, or sealed by another device), _TOO_SMALL, and
 * the backend's. out holds no plaintext unless NC_TEE_OK. */
nc_tee_err_t nc_tee_unseal(const nc_tee_t *tee, const uint8_t *sealed, size_t len, uint8_t *out,
			   size_t cap, size_t *len_out);

#endif
