/* The development TEE backend (docs/attestation.md). It behaves like a
 * hardware backend in everything a caller sees -- a report over the
 * measurement log, a quote signed by a device key that a vendor root
 * certified, sealing keys bound to a measurement -- but its "hardware" is a
 * device secret in ordinary memory (a file on the ESP, read by the loader).
 * It proves nothing about hardware: whoever reads the device secret can
 * forge its quotes and open its seals.
 *
 * Keys, all from the device secret S (32..64 bytes) with HKDF-SHA256 (RFC 5869):
 *   root signing key  Ed25519 seed HKDF(salt "NexaCore tee mock v1", S, "root signing key")
 *                     (the capability root, unchanged since the first mock)
 *   attestation key   Ed25519 seed HKDF(salt "NexaCore tee dev v1", S, "attestation key")
 *   report key        HKDF(salt "NexaCore tee dev v1", S, "report key"): HMAC of local reports
 *   sealing keys      HKDF-Expand(PRK(salt "NexaCore tee dev v1", S), "seal key" || measurement)
 *
 * Evidence (the quote envelope's payload, nc/tee.h):
 *   DevEvidence := { body: Body, signature: [u8; 64], cert: Cert }
 *   Body := { magic: [u8; 4] = "NCQB", backend: u8 = 1, tcb_svn: u32,
 *             measurement: [u8; 32], log_digest: [u8; 32], log_entries: u32,
 *             report_data: [u8; 64] }
 *     signature: Ed25519 by the attestation key over postcard(Body)
 *   Cert := { body: CertBody, signature: [u8; 64] }
 *   CertBody := { magic: [u8; 4] = "NCDC", version: u8 = 1, backend: u8 = 1,
 *                 device_key: [u8; 32], root_id: [u8; 16] }
 *     signature: Ed25519 by the vendor root over postcard(CertBody);
 *     root_id = nc_tee_key_id(root public key)
 * The development vendor root is an Ed25519 key the build generates under
 * build/tee/ (never committed); verifiers get its public key. */
#ifndef NC_TEE_DEV_H
#define NC_TEE_DEV_H

#include <nc/tee.h>

#define NC_TEE_DEV_MIN_SECRET_BYTES 32u
#define NC_TEE_DEV_MAX_SECRET_BYTES 64u
#define NC_TEE_DEV_CERT_BYTES 118u /* an encoded Cert: fixed size */
#define NC_TEE_DEV_TCB_SVN 1u      /* the development backend's TCB level */

typedef struct {
	uint8_t root_sk[NC_TEE_SECRET_KEY_BYTES];   /* capability root signing key */
	uint8_t root_pk[NC_TEE_PUBLIC_KEY_BYTES];
	uint8_t device_sk[NC_TEE_SECRET_KEY_BYTES]; /* attestation key */
	uint8_t device_pk[NC_TEE_PUBLIC_KEY_BYTES];
	uint8_t report_key[NC_TEE_MAC_BYTES];
	uint8_t seal_prk[32];
	uint8_t cert[NC_TEE_DEV_CERT_BYTES];
	bool has_cert;
	uint32_t tcb_svn;
	void (*read)(void *ctx, nc_tee_registers_t *out); /* the measurement source; NULL: none */
	void *read_ctx;
} nc_tee_dev_t;

typedef struct {
	/* The measurement source: read(read_ctx, out) copies the log's registers
	 * in one consistent step (nc_tee_log_read for an unshared log; the kernel
	 * passes one that takes its log's lock). read_ctx is borrowed for the
	 * backend's life. */
	void (*read)(void *ctx, nc_tee_registers_t *out);
	void *read_ctx;
	uint32_t tcb_svn;         /* normally NC_TEE_DEV_TCB_SVN */
	const uint8_t *cert;      /* the device certificate (NC_TEE_DEV_CERT_BYTES), or NULL */
	size_t cert_len;
} nc_tee_dev_config_t;

/* Open the development backend over caller storage dev, keys derived from
 * device_secret[0..secret_len) (not kept). cfg NULL: no measurement source
 * and no certificate (report and quote then answer NC_TEE_ERR_UNSUPPORTED and
 * NC_TEE_ERR_NO_CERT; signing and sealing keys work). With a certificate it
 * must parse and name this device's attestation key (its root is checked by
 * verifiers, not here). Errors: NC_TEE_ERR_SECRET_TOO_SHORT, NC_TEE_ERR_FORMAT
 * (certificate malformed), NC_TEE_ERR_CERT (another device's certificate);
 * tee is then closed. */
nc_tee_err_t nc_tee_dev_open(nc_tee_t *tee, nc_tee_dev_t *dev, const uint8_t *device_secret,
			     size_t secret_len, const nc_tee_dev_config_t *cfg);

/* ---- provisioning (the vendor's side; nc-tee on the host) ------------------- */

/* The attestation public key of a device secret. Errors: NC_TEE_ERR_SECRET_TOO_SHORT. */
nc_tee_err_t nc_tee_dev_device_key(const uint8_t *device_secret, size_t secret_len,
				   uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES]);
/* A vendor root key pair from a 32-byte seed. */
void nc_tee_dev_root_keypair(const uint8_t seed[32], uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES],
			     uint8_t sk[NC_TEE_SECRET_KEY_BYTES]);
/* The certificate (NC_TEE_DEV_CERT_BYTES) by root key root_sk for device_pk. */
void nc_tee_dev_certify(uint8_t cert[NC_TEE_DEV_CERT_BYTES], const uint8_t root_sk[NC_TEE_SECRET_KEY_BYTES],
			const uint8_t device_pk[NC_TEE_PUBLIC_KEY_BYTES]);

/* The parts of a certificate, and of development evidence (for nc-tee inspect). */
typedef struct {
	uint8_t device_key[NC_TEE_PUBLIC_KEY_BYTES];
	uint8_t root_id[NC_TEE_KEY_ID_BYTES];
	uint8_t signature[NC_TEE_SIG_BYTES];
	const uint8_t *signed_part; /* postcard(CertBody), borrowed from the input */
	size_t signed_len;
} nc_tee_dev_cert_t;

typedef struct {
	nc_tee_claims_t claims;      /* as stated, not yet verified */
	uint8_t signature[NC_TEE_SIG_BYTES];
	const uint8_t *signed_part;  /* postcard(Body), borrowed */
	size_t signed_len;
	nc_tee_dev_cert_t cert;
} nc_tee_dev_evidence_t;

/* Parse without checking signatures. Errors: NC_TEE_ERR_FORMAT, NC_TEE_ERR_VERSION. */
nc_tee_err_t nc_tee_dev_parse_cert(const uint8_t *in, size_t len, nc_tee_dev_cert_t *out);
nc_tee_err_t nc_tee_dev_parse_evidence(const uint8_t *in, size_t len, nc_tee_dev_evidence_t *out);

/* The development backend's verifier (also reachable as nc_tee_verifier(NC_TEE_BACKEND_DEV)). */
extern const nc_tee_verifier_ops_t nc_tee_dev_verifier;

#endif
