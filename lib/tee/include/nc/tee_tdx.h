/* Intel TDX quote version 4: layout parsing and checks (Intel TDX DCAP
 * Quoting Library API, appendix "Quote Format", v4; the TD quote body is
 * TDX Module 1.0's TDREPORT subset). Offsets in bytes, integers little-endian:
 *   0x000 header (48):  version u16 = 4, attestation key type u16 = 2
 *                       (ECDSA-256-with-P-256), TEE type u32 = 0x81 (TDX),
 *                       reserved u16 x2, QE vendor id [16], user data [20]
 *   0x030 TD quote body (584): TEE_TCB_SVN [16], MRSEAM [48], MRSIGNERSEAM [48],
 *                       SEAMATTRIBUTES u64, TDATTRIBUTES u64, XFAM u64, MRTD [48],
 *                       MRCONFIGID [48], MROWNER [48], MROWNERCONFIG [48],
 *                       RTMR0..3 [48] x4, REPORTDATA [64]
 *   0x278 signature data length u32, then the signature data:
 *         ECDSA signature [64] over bytes 0x000..0x278, attestation key [64],
 *         certification data: type u16 = 6 (QE report certification data),
 *         size u32, then: QE report [384] (an SGX report body), QE report
 *         signature [64], QE authentication data (size u16, bytes), and the
 *         QE certification data: type u16 = 5 (PCK certificate chain),
 *         size u32, the PEM chain.
 * Checked here: sizes and nesting add up exactly (QE authentication data of
 * at most 256 bytes; Intel's quoting enclave sends 32), the versions and types
 * above, and that the QE report binds the attestation key: its REPORTDATA
 * is SHA-256(attestation key || QE authentication data) followed by 32 zero
 * bytes. Not checked: the two ECDSA-P256 signatures and the PCK X.509 chain
 * to Intel's root (no P-256 verifier or X.509 parser is built), so the
 * verifier stops with NC_TEE_ERR_UNSUPPORTED after these checks. */
#ifndef NC_TEE_TDX_H
#define NC_TEE_TDX_H

#include <nc/tee.h>

enum {
	NC_TEE_TDX_HEADER_BYTES = 48,
	NC_TEE_TDX_BODY_BYTES = 584,
	NC_TEE_TDX_SIGNED_BYTES = NC_TEE_TDX_HEADER_BYTES + NC_TEE_TDX_BODY_BYTES, /* 0x278 */
	NC_TEE_TDX_MIN_BYTES = 0x3fc, /* the smallest well-formed quote */
	NC_TEE_TDX_MR_BYTES = 48,
	NC_TEE_TDX_QE_REPORT_BYTES = 384,
	NC_TEE_TDX_VERSION = 4,
	NC_TEE_TDX_ATT_KEY_ECDSA_P256 = 2,
	NC_TEE_TDX_TEE_TYPE = 0x81,
	NC_TEE_TDX_CERT_QE_REPORT = 6,
	NC_TEE_TDX_CERT_PCK_CHAIN = 5,
};

typedef struct {
	uint16_t version, att_key_type;
	uint32_t tee_type;
	uint8_t qe_vendor_id[16];
	uint8_t tee_tcb_svn[16];
	uint8_t mr_seam[NC_TEE_TDX_MR_BYTES], mr_signer_seam[NC_TEE_TDX_MR_BYTES];
	uint64_t seam_attributes, td_attributes, xfam;
	uint8_t mr_td[NC_TEE_TDX_MR_BYTES], mr_config_id[NC_TEE_TDX_MR_BYTES];
	uint8_t mr_owner[NC_TEE_TDX_MR_BYTES], mr_owner_config[NC_TEE_TDX_MR_BYTES];
	uint8_t rtmr[4][NC_TEE_TDX_MR_BYTES];
	uint8_t report_data[NC_TEE_REPORT_DATA_BYTES];
	/* signature data, borrowed from the quote */
	const uint8_t *signature;       /* 64: ECDSA r || s over bytes [0, NC_TEE_TDX_SIGNED_BYTES) */
	const uint8_t *attestation_key; /* 64: P-256 x || y */
	const uint8_t *qe_report;       /* NC_TEE_TDX_QE_REPORT_BYTES */
	const uint8_t *qe_report_signature; /* 64 */
	const uint8_t *qe_auth_data;
	size_t qe_auth_len;
	const uint8_t *pck_chain;       /* PEM, not parsed */
	size_t pck_chain_len;
} nc_tee_tdx_quote_t;

/* Parse and check quote[0..len) as above. Errors: NC_TEE_ERR_FORMAT (sizes,
 * types, TEE type, key type, trailing bytes), NC_TEE_ERR_VERSION (not 4),
 * NC_TEE_ERR_BAD_SIGNATURE (the QE report does not bind the attestation key). */
nc_tee_err_t nc_tee_tdx_parse(const uint8_t *quote, size_t len, nc_tee_tdx_quote_t *out);

/* Evidence = a raw quote v4: parse and check, then NC_TEE_ERR_UNSUPPORTED. */
extern const nc_tee_verifier_ops_t nc_tee_tdx_verifier;

#endif
