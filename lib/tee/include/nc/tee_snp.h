/* AMD SEV-SNP attestation report: layout parsing and checks (SEV Secure
 * Nested Paging Firmware ABI Specification, "ATTESTATION_REPORT Structure",
 * report versions 2 to 5). 0x4A0 bytes, integers little-endian:
 *   0x000 VERSION u32   0x004 GUEST_SVN u32   0x008 POLICY u64
 *   0x010 FAMILY_ID [16]   0x020 IMAGE_ID [16]   0x030 VMPL u32
 *   0x034 SIGNATURE_ALGO u32 (1: ECDSA P-384 with SHA-384)
 *   0x038 CURRENT_TCB u64   0x040 PLATFORM_INFO u64
 *   0x048 AUTHOR_KEY_EN bit 0, MASK_CHIP_KEY bit 1, SIGNING_KEY bits 4:2
 *         (0 VCEK, 1 VLEK, 7 none) u32   0x04C reserved u32
 *   0x050 REPORT_DATA [64]   0x090 MEASUREMENT [48]   0x0C0 HOST_DATA [32]
 *   0x0E0 ID_KEY_DIGEST [48]   0x110 AUTHOR_KEY_DIGEST [48]
 *   0x140 REPORT_ID [32]   0x160 REPORT_ID_MA [32]   0x180 REPORTED_TCB u64
 *   0x188 CPUID_FAM_ID, CPUID_MOD_ID, CPUID_STEP u8 (version 3+), reserved
 *   0x1A0 CHIP_ID [64]   0x1E0 COMMITTED_TCB u64
 *   0x1E8 CURRENT_BUILD, _MINOR, _MAJOR u8, reserved u8
 *   0x1EC COMMITTED_BUILD, _MINOR, _MAJOR u8, reserved u8
 *   0x1F0 LAUNCH_TCB u64   0x1F8 LAUNCH_MIT_VECTOR, 0x200 CURRENT_MIT_VECTOR
 *         u64 (version 5; reserved before), reserved to 0x2A0
 *   0x2A0 SIGNATURE [512]: R [72], S [72] (little-endian, zero-extended), reserved
 * Checked here: the size, the version range, the signature algorithm, VMPL
 * 0..3, POLICY bit 17 (reserved, must be one), a signing key of VCEK or VLEK,
 * and that the reserved bytes (0x04C, 0x1F8.. for versions before 5, and the
 * signature's tail) are zero. Not checked: the ECDSA-P384 signature and the
 * VCEK/VLEK chain to AMD's ARK (no P-384 verifier or X.509 parser is built),
 * so the verifier stops with NC_TEE_ERR_UNSUPPORTED after these checks. */
#ifndef NC_TEE_SNP_H
#define NC_TEE_SNP_H

#include <nc/tee.h>

enum {
	NC_TEE_SNP_REPORT_BYTES = 0x4a0,
	NC_TEE_SNP_MEASUREMENT_BYTES = 48,
	NC_TEE_SNP_MIN_VERSION = 2,
	NC_TEE_SNP_MAX_VERSION = 5,
	NC_TEE_SNP_SIG_ECDSA_P384_SHA384 = 1,
	NC_TEE_SNP_SIGNING_KEY_VCEK = 0,
	NC_TEE_SNP_SIGNING_KEY_VLEK = 1,
};

typedef struct {
	uint32_t version, guest_svn;
	uint64_t policy;
	uint8_t family_id[16], image_id[16];
	uint32_t vmpl, signature_algo;
	uint64_t current_tcb, platform_info;
	bool author_key_en, mask_chip_key;
	uint32_t signing_key;
	uint8_t report_data[NC_TEE_REPORT_DATA_BYTES];
	uint8_t measurement[NC_TEE_SNP_MEASUREMENT_BYTES];
	uint8_t host_data[32];
	uint8_t id_key_digest[48], author_key_digest[48];
	uint8_t report_id[32], report_id_ma[32];
	uint64_t reported_tcb;
	uint8_t chip_id[64];
	uint64_t committed_tcb;
	uint8_t current_build, current_minor, current_major;
	uint8_t committed_build, committed_minor, committed_major;
	uint64_t launch_tcb;
	uint8_t sig_r[72], sig_s[72];
} nc_tee_snp_report_t;

/* Parse and check report[0..len). Errors: NC_TEE_ERR_FORMAT, NC_TEE_ERR_VERSION. */
nc_tee_err_t nc_tee_snp_parse(const uint8_t *report, size_t len, nc_tee_snp_report_t *out);

/* Evidence := { report: [u8; 0x4A0], certificates: bytes } (the GHCB
 * certificate table as the host returned it): parse and check the report,
 * then NC_TEE_ERR_UNSUPPORTED. */
extern const nc_tee_verifier_ops_t nc_tee_snp_verifier;

#endif
