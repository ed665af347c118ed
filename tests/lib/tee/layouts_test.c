/* TDX quote v4 and SEV-SNP report layouts: reports built here, byte by
 * byte at the offsets the public specifications give (Intel TDX DCAP
 * Quoting Library API, appendix "Quote Format"; AMD SEV-SNP firmware ABI,
 * "ATTESTATION_REPORT Structure"), parsed back field by field, and each
 * check the parsers make, broken one at a time. */
#include "nc_test.h"
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/tee_snp.h>
#include <nc/tee_tdx.h>
#include <nc/wire.h>

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- TDX ------------------------------------------------------------------ */

enum { QE_AUTH = 32, PCK = 40, TDX_LEN = 0x27c + 64 + 64 + 6 + 384 + 64 + 2 + QE_AUTH + 6 + PCK };

static void tdx_quote(uint8_t q[TDX_LEN])
{
	for (int i = 0; i < TDX_LEN; i++)
		q[i] = (uint8_t)(i * 7 + 3);
	put(q + 0x00, 4, 2);          /* version */
	put(q + 0x02, 2, 2);          /* ECDSA-256-with-P-256 */
	put(q + 0x04, 0x81, 4);       /* TDX */
	uint8_t *body = q + 0x30;
	put(body + 0x70, 0x1122334455667788ull, 8); /* SEAMATTRIBUTES */
	put(body + 0x78, 0x10000000, 8);            /* TDATTRIBUTES */
	put(body + 0x80, 0xe7, 8);                  /* XFAM */
	uint8_t *s = q + 0x27c;
	put(q + 0x278, TDX_LEN - 0x27c, 4);
	uint8_t *key = s + 64;
	uint8_t *cert = s + 128;
	put(cert, 6, 2);
	put(cert + 2, TDX_LEN - (0x27c + 128 + 6), 4);
	uint8_t *qe = cert + 6, *auth = qe + 384 + 64;
	put(auth, QE_AUTH, 2);
	uint8_t buf[64 + QE_AUTH];
	nc_mem_copy(buf, key, 64);
	nc_mem_copy(buf + 64, auth + 2, QE_AUTH);
	nc_crypto_sha256(qe + 0x140, buf, sizeof buf); /* QE REPORTDATA binds the key */
	nc_mem_set(qe + 0x160, 0, 32);
	uint8_t *pck = auth + 2 + QE_AUTH;
	put(pck, 5, 2);
	put(pck + 2, PCK, 4);
}

NC_TEST(tee_tdx, fields_at_their_offsets)
{
	static uint8_t q[TDX_LEN];
	nc_tee_tdx_quote_t t;
	tdx_quote(q);
	NC_CHECK_EQ(nc_tee_tdx_parse(q, TDX_LEN, &t), NC_TEE_OK);
	NC_CHECK_EQ(t.version, 4);
	NC_CHECK(nc_mem_compare(t.qe_vendor_id, q + 12, 16) == 0);
	NC_CHECK(nc_mem_compare(t.tee_tcb_svn, q + 0x30, 16) == 0);
	NC_CHECK(nc_mem_compare(t.mr_seam, q + 0x40, 48) == 0);
	NC_CHECK(nc_mem_compare(t.mr_signer_seam, q + 0x70, 48) == 0);
	NC_CHECK(t.seam_attributes == 0x1122334455667788ull);
	NC_CHECK(t.td_attributes == 0x10000000);
	NC_CHECK(t.xfam == 0xe7);
	NC_CHECK(nc_mem_compare(t.mr_td, q + 0xb8, 48) == 0);
	NC_CHECK(nc_mem_compare(t.mr_config_id, q + 0xe8, 48) == 0);
	NC_CHECK(nc_mem_compare(t.mr_owner, q + 0x118, 48) == 0);
	NC_CHECK(nc_mem_compare(t.mr_owner_config, q + 0x148, 48) == 0);
	NC_CHECK(nc_mem_compare(t.rtmr[0], q + 0x178, 48) == 0);
	NC_CHECK(nc_mem_compare(t.rtmr[3], q + 0x208, 48) == 0);
	NC_CHECK(nc_mem_compare(t.report_data, q + 0x238, 64) == 0);
	NC_CHECK(t.signature == q + 0x27c);
	NC_CHECK(t.attestation_key == q + 0x27c + 64);
	NC_CHECK(t.qe_report == q + 0x27c + 128 + 6);
	NC_CHECK_EQ(t.qe_auth_len, QE_AUTH);
	NC_CHECK_EQ(t.pck_chain_len, PCK);
	NC_CHECK(t.pck_chain + PCK == q + TDX_LEN);
	/* the verifier checks the layout, then cannot go on */
	static uint8_t wrapped[TDX_LEN + 16];
	size_t n;
	NC_CHECK_EQ(nc_tee_quote_wrap(NC_TEE_BACKEND_TDX, q, TDX_LEN, wrapped, sizeof wrapped, &n), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_verify_quote(wrapped, n, NULL, NULL, NULL), NC_TEE_ERR_UNSUPPORTED);
	q[0x27c + 128 + 6 + 0x140] ^= 1;
	NC_CHECK_EQ(nc_tee_quote_wrap(NC_TEE_BACKEND_TDX, q, TDX_LEN, wrapped, sizeof wrapped, &n), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_verify_quote(wrapped, n, NULL, NULL, NULL), NC_TEE_ERR_BAD_SIGNATURE);
}

NC_TEST(tee_tdx, each_check)
{
	static uint8_t q[TDX_LEN + 1];
	nc_tee_tdx_quote_t t;
	struct {
		size_t at;
		uint64_t value;
		int n;
		nc_tee_err_t want;
	} cases[] = {
		{ 0x00, 3, 2, NC_TEE_ERR_VERSION },                /* quote version */
		{ 0x02, 3, 2, NC_TEE_ERR_FORMAT },                 /* ECDSA-384 key type */
		{ 0x04, 0, 4, NC_TEE_ERR_FORMAT },                 /* SGX, not TDX */
		{ 0x278, TDX_LEN - 0x27c + 1, 4, NC_TEE_ERR_FORMAT }, /* signature data past the end */
		{ 0x278, TDX_LEN - 0x27c - 1, 4, NC_TEE_ERR_FORMAT }, /* a trailing byte */
		{ 0x27c + 128, 5, 2, NC_TEE_ERR_FORMAT },          /* certification data type */
		{ 0x27c + 130, 1, 4, NC_TEE_ERR_FORMAT },          /* its size */
		{ 0x27c + 134 + 448, QE_AUTH + 100, 2, NC_TEE_ERR_FORMAT }, /* QE auth data size */
		{ 0x27c + 134 + 448 + 2 + QE_AUTH, 4, 2, NC_TEE_ERR_FORMAT }, /* PCK chain type */
		{ 0x27c + 134 + 448 + 4 + QE_AUTH, PCK - 1, 4, NC_TEE_ERR_FORMAT }, /* PCK chain size */
		{ 0x27c + 134 + 0x160, 1, 1, NC_TEE_ERR_BAD_SIGNATURE }, /* QE REPORTDATA tail not zero */
		{ 0x27c + 64, 0xff, 1, NC_TEE_ERR_BAD_SIGNATURE },  /* another attestation key */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tdx_quote(q);
		put(q + cases[i].at, cases[i].value, cases[i].n);
		NC_CHECK_EQ(nc_tee_tdx_parse(q, TDX_LEN, &t), cases[i].want);
	}
	tdx_quote(q);
	for (size_t cut = 2; cut < TDX_LEN; cut += 13)
		NC_CHECK_EQ(nc_tee_tdx_parse(q, cut, &t), NC_TEE_ERR_FORMAT);
	NC_CHECK_EQ(nc_tee_tdx_parse(q, 1, &t), NC_TEE_ERR_FORMAT);
	NC_CHECK_EQ(nc_tee_tdx_parse(q, TDX_LEN + 1, &t), NC_TEE_ERR_FORMAT);
}

/* ---- SEV-SNP -------------------------------------------------------------- */

static void snp_report(uint8_t r[0x4a0], uint32_t version)
{
	for (int i = 0; i < 0x4a0; i++)
		r[i] = (uint8_t)(i * 5 + 1);
	put(r + 0x00, version, 4);
	put(r + 0x08, (1u << 17) | (1u << 16), 8); /* POLICY: reserved bit 17, SMT */
	put(r + 0x30, 1, 4);                        /* VMPL */
	put(r + 0x34, 1, 4);                        /* ECDSA P-384 with SHA-384 */
	put(r + 0x38, 0x0800000000000304ull, 8);    /* CURRENT_TCB */
	put(r + 0x48, 1u | (1u << 2), 4);           /* AUTHOR_KEY_EN, VLEK */
	put(r + 0x4c, 0, 4);
	r[0x1e8] = 21, r[0x1e9] = 55, r[0x1ea] = 1; /* CURRENT build, minor, major */
	r[0x1ec] = 20, r[0x1ed] = 54, r[0x1ee] = 1;
	size_t reserved = version >= 5 ? 0x208 : 0x1f8;
	nc_mem_set(r + reserved, 0, 0x2a0 - reserved);
	nc_mem_set(r + 0x2a0 + 144, 0, 512 - 144);
}

NC_TEST(tee_snp, fields_at_their_offsets)
{
	static uint8_t r[0x4a0];
	nc_tee_snp_report_t s;
	for (uint32_t v = 2; v <= 5; v++) {
		snp_report(r, v);
		NC_CHECK_EQ(nc_tee_snp_parse(r, sizeof r, &s), NC_TEE_OK);
		NC_CHECK_EQ(s.version, v);
	}
	NC_CHECK_EQ(s.guest_svn, (uint32_t)(r[4] | r[5] << 8 | r[6] << 16 | (uint32_t)r[7] << 24));
	NC_CHECK(s.policy == ((1u << 17) | (1u << 16)));
	NC_CHECK(nc_mem_compare(s.family_id, r + 0x10, 16) == 0);
	NC_CHECK(nc_mem_compare(s.image_id, r + 0x20, 16) == 0);
	NC_CHECK_EQ(s.vmpl, 1);
	NC_CHECK(s.current_tcb == 0x0800000000000304ull);
	NC_CHECK(s.author_key_en && !s.mask_chip_key);
	NC_CHECK_EQ(s.signing_key, NC_TEE_SNP_SIGNING_KEY_VLEK);
	NC_CHECK(nc_mem_compare(s.report_data, r + 0x50, 64) == 0);
	NC_CHECK(nc_mem_compare(s.measurement, r + 0x90, 48) == 0);
	NC_CHECK(nc_mem_compare(s.host_data, r + 0xc0, 32) == 0);
	NC_CHECK(nc_mem_compare(s.id_key_digest, r + 0xe0, 48) == 0);
	NC_CHECK(nc_mem_compare(s.author_key_digest, r + 0x110, 48) == 0);
	NC_CHECK(nc_mem_compare(s.report_id, r + 0x140, 32) == 0);
	NC_CHECK(nc_mem_compare(s.report_id_ma, r + 0x160, 32) == 0);
	NC_CHECK(nc_mem_compare(s.chip_id, r + 0x1a0, 64) == 0);
	NC_CHECK_EQ(s.current_build, 21);
	NC_CHECK_EQ(s.current_minor, 55);
	NC_CHECK_EQ(s.committed_minor, 54);
	NC_CHECK(nc_mem_compare(s.sig_r, r + 0x2a0, 72) == 0);
	NC_CHECK(nc_mem_compare(s.sig_s, r + 0x2e8, 72) == 0);
	/* the verifier checks the layout, then cannot go on */
	uint8_t ev[0x4a0 + 8], wrapped[0x4a0 + 32];
	size_t n;
	nc_mem_copy(ev, r, sizeof r);
	ev[0x4a0] = 3, ev[0x4a1] = 'a', ev[0x4a2] = 'b', ev[0x4a3] = 'c'; /* certificates: bytes */
	NC_CHECK_EQ(nc_tee_quote_wrap(NC_TEE_BACKEND_SNP, ev, 0x4a4, wrapped, sizeof wrapped, &n), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_verify_quote(wrapped, n, NULL, NULL, NULL), NC_TEE_ERR_UNSUPPORTED);
	NC_CHECK_EQ(nc_tee_quote_wrap(NC_TEE_BACKEND_SNP, ev, 0x4a3, wrapped, sizeof wrapped, &n), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_verify_quote(wrapped, n, NULL, NULL, NULL), NC_TEE_ERR_FORMAT);
}

NC_TEST(tee_snp, each_check)
{
	static uint8_t r[0x4a1];
	nc_tee_snp_report_t s;
	struct {
		size_t at;
		uint64_t value;
		int n;
		nc_tee_err_t want;
	} cases[] = {
		{ 0x00, 1, 4, NC_TEE_ERR_VERSION }, { 0x00, 6, 4, NC_TEE_ERR_VERSION },
		{ 0x34, 2, 4, NC_TEE_ERR_FORMAT },  /* signature algorithm */
		{ 0x30, 4, 4, NC_TEE_ERR_FORMAT },  /* VMPL */
		{ 0x08, 1u << 16, 8, NC_TEE_ERR_FORMAT }, /* POLICY bit 17 clear */
		{ 0x48, 7u << 2, 4, NC_TEE_ERR_FORMAT },  /* no signing key */
		{ 0x4c, 1, 1, NC_TEE_ERR_FORMAT },        /* reserved word */
		{ 0x1f8, 1, 1, NC_TEE_ERR_FORMAT },       /* reserved (version 2) */
		{ 0x29f, 1, 1, NC_TEE_ERR_FORMAT },       /* reserved, last byte */
		{ 0x2a0 + 144, 1, 1, NC_TEE_ERR_FORMAT }, /* signature area tail */
		{ 0x49f, 1, 1, NC_TEE_ERR_FORMAT },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snp_report(r, 2);
		put(r + cases[i].at, cases[i].value, cases[i].n);
		NC_CHECK_EQ(nc_tee_snp_parse(r, 0x4a0, &s), cases[i].want);
	}
	/* version 5 uses 0x1f8..0x208 for the mitigation vectors */
	snp_report(r, 5);
	put(r + 0x1f8, 0xabcd, 8);
	NC_CHECK_EQ(nc_tee_snp_parse(r, 0x4a0, &s), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_snp_parse(r, 0x49f, &s), NC_TEE_ERR_FORMAT);
	NC_CHECK_EQ(nc_tee_snp_parse(r, 0x4a1, &s), NC_TEE_ERR_FORMAT);
}
