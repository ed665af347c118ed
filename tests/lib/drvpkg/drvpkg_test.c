/* lib/drvpkg: manifest rules and encoding, package signing and verification.
 * The expected manifest bytes were written out by hand from the postcard
 * rules (varints, Option tags, length-prefixed str), not produced by the
 * encoder; every single-byte change of a signed package must be refused. */
#include "nc_test.h"
#include <nc/crypto.h>
#include <nc/drvpkg.h>
#include <nc/mem.h>

enum { IMAGE_BYTES = 3000, PKG_CAP = 4096 };

static nc_drvpkg_manifest_t small(void)
{
	nc_drvpkg_manifest_t m;
	nc_mem_set(&m, 0, sizeof m);
	nc_mem_copy(m.name, "nvme", 5);
	m.version = 300;
	m.has_class = true;
	m.class_code = 0x010802;
	m.n_bars = 2;
	m.bars[0] = 0;
	m.bars[1] = 4;
	m.irq_vectors = 2;
	m.dma_budget_bytes = 4096;
	m.n_offers = 1;
	nc_mem_copy(m.offers[0].action, "blk.register", 13);
	nc_mem_copy(m.offers[0].scope, "*", 2);
	for (int i = 0; i < NC_DRVPKG_HASH_BYTES; i++)
		m.image_hash[i] = (uint8_t)i;
	return m;
}

NC_TEST(drvpkg, manifest_encoding_by_hand)
{
	static const uint8_t want_head[] = {
		0x01,                         /* format 1 */
		0x04, 'n', 'v', 'm', 'e',     /* name */
		0xac, 0x02,                   /* version 300 */
		0x00,                         /* vendor: None */
		0x00,                         /* device: None */
		0x01, 0x82, 0x90, 0x04,       /* class: Some(0x010802) */
		0x02, 0x00, 0x04,             /* bars [0, 4] */
		0x02,                         /* irq_vectors 2 */
		0x80, 0x20,                   /* dma budget 4096 */
		0x01, 0x0c, 'b', 'l', 'k', '.', 'r', 'e', 'g', 'i', 's', 't', 'e', 'r', 0x01, '*',
	};
	nc_drvpkg_manifest_t m = small(), back;
	uint8_t buf[256];
	size_t n;
	NC_CHECK_EQ(nc_drvpkg_manifest_encode(&m, buf, sizeof buf, &n), NC_DRVPKG_OK);
	NC_CHECK_EQ(n, sizeof want_head + NC_DRVPKG_HASH_BYTES);
	NC_CHECK(nc_mem_compare(buf, want_head, sizeof want_head) == 0);
	NC_CHECK(nc_mem_compare(buf + sizeof want_head, m.image_hash, NC_DRVPKG_HASH_BYTES) == 0);
	NC_CHECK_EQ(nc_drvpkg_manifest_decode(buf, n, &back), NC_DRVPKG_OK);
	NC_CHECK(nc_mem_compare(&back, &m, sizeof m) == 0);
	/* too small a buffer, then every truncation and a trailing byte */
	NC_CHECK_EQ(nc_drvpkg_manifest_encode(&m, buf, 20, &n), NC_DRVPKG_ERR_TOO_SMALL);
	NC_CHECK_EQ(nc_drvpkg_manifest_encode(&m, buf, sizeof buf, &n), NC_DRVPKG_OK);
	for (size_t k = 0; k < n; k++)
		NC_CHECK_EQ(nc_drvpkg_manifest_decode(buf, k, &back), NC_DRVPKG_ERR_MANIFEST);
	NC_CHECK_EQ(nc_drvpkg_manifest_decode(buf, n + 1, &back), NC_DRVPKG_ERR_MANIFEST);
	/* a wrong format number and an Option tag of 2 */
	buf[0] = 2;
	NC_CHECK_EQ(nc_drvpkg_manifest_decode(buf, n, &back), NC_DRVPKG_ERR_MANIFEST);
	buf[0] = 1;
	buf[8] = 2;
	NC_CHECK_EQ(nc_drvpkg_manifest_decode(buf, n, &back), NC_DRVPKG_ERR_MANIFEST);
}

NC_TEST(drvpkg, manifest_rules)
{
	nc_drvpkg_manifest_t m = small();
	NC_CHECK_EQ(nc_drvpkg_manifest_check(&m), NC_DRVPKG_OK);
	m.name[0] = 'N';
	NC_CHECK_EQ(nc_drvpkg_manifest_check(&m), NC_DRVPKG_ERR_MANIFEST);
	m = small();
	m.name[0] = 0;
	NC_CHECK_EQ(nc_drvpkg_manifest_check(&m), NC_DRVPKG_ERR_MANIFEST);
	m = small();
	m.bars[1] = 6;
	NC_CHECK_EQ(nc_drvpkg_manifest_check(&m), NC_DRVPKG_ERR_MANIFEST);
	m.bars[1] = 0;
	NC_CHECK_EQ(nc_drvpkg_manifest_check(&m), NC_DRVPKG_ERR_MANIFEST);
	m = small();
	m.irq_vectors = NC_DRVPKG_VECTORS_MAX + 1;
	NC_CHECK_EQ(nc_drvpkg_manifest_check(&m), NC_DRVPKG_ERR_MANIFEST);
	m = small();
	m.dma_budget_bytes = NC_DRVPKG_DMA_MAX_BYTES + 1;
	NC_CHECK_EQ(nc_drvpkg_manifest_check(&m), NC_DRVPKG_ERR_MANIFEST);
	m = small();
	m.offers[0].scope[0] = 0;
	NC_CHECK_EQ(nc_drvpkg_manifest_check(&m), NC_DRVPKG_ERR_MANIFEST);
	m = small();
	m.offers[0].action[3] = ' ';
	NC_CHECK_EQ(nc_drvpkg_manifest_check(&m), NC_DRVPKG_ERR_MANIFEST);
	m = small();
	m.n_offers = NC_DRVPKG_OFFERS_MAX + 1;
	NC_CHECK_EQ(nc_drvpkg_manifest_check(&m), NC_DRVPKG_ERR_MANIFEST);
	uint8_t buf[64];
	size_t n;
	NC_CHECK_EQ(nc_drvpkg_manifest_encode(&m, buf, sizeof buf, &n), NC_DRVPKG_ERR_MANIFEST);
}

static uint8_t image[IMAGE_BYTES], pkg[PKG_CAP], copy[PKG_CAP];
static uint8_t trusted[2][NC_DRVPKG_KEY_BYTES];
static const uint8_t seed_a[NC_DRVPKG_SEED_BYTES] = { 1 }, seed_b[NC_DRVPKG_SEED_BYTES] = { 2 };

static size_t make_package(const uint8_t *seed)
{
	uint8_t sk[NC_CRYPTO_ED25519_SECRET_BYTES];
	for (int i = 0; i < IMAGE_BYTES; i++)
		image[i] = (uint8_t)(i * 7);
	nc_crypto_ed25519_keypair(trusted[0], sk, seed_a);
	nc_crypto_ed25519_keypair(trusted[1], sk, seed_b);
	nc_drvpkg_manifest_t m = small();
	size_t n = 0;
	if (nc_drvpkg_sign(&m, seed, image, sizeof image, pkg, sizeof pkg, &n) != NC_DRVPKG_OK)
		return 0;
	return n;
}

static nc_drvpkg_err_t verify(const uint8_t *p, size_t n, size_t n_trusted)
{
	nc_drvpkg_manifest_t m;
	nc_drvpkg_parts_t parts;
	return nc_drvpkg_verify(p, n, (const uint8_t (*)[NC_DRVPKG_KEY_BYTES])trusted, n_trusted, &m, &parts);
}

NC_TEST(drvpkg, sign_then_verify)
{
	size_t n = make_package(seed_a);
	NC_CHECK(n > IMAGE_BYTES);
	nc_drvpkg_manifest_t m;
	nc_drvpkg_parts_t parts;
	NC_CHECK_EQ(nc_drvpkg_verify(pkg, n, (const uint8_t (*)[NC_DRVPKG_KEY_BYTES])trusted, 1, &m, &parts),
		    NC_DRVPKG_OK);
	NC_CHECK_EQ(parts.image_len, (size_t)IMAGE_BYTES);
	NC_CHECK(nc_mem_compare(parts.image, image, IMAGE_BYTES) == 0);
	uint8_t hash[NC_DRVPKG_HASH_BYTES];
	nc_crypto_blake3(hash, sizeof hash, image, sizeof image);
	NC_CHECK(nc_mem_compare(m.image_hash, hash, sizeof hash) == 0);
	NC_CHECK_EQ(m.irq_vectors, 2);
	/* signed by b: trusted only when b's key is in the list */
	n = make_package(seed_b);
	NC_CHECK_EQ(verify(pkg, n, 1), NC_DRVPKG_ERR_UNTRUSTED);
	NC_CHECK_EQ(verify(pkg, n, 2), NC_DRVPKG_OK);
	NC_CHECK_EQ(verify(pkg, n, 0), NC_DRVPKG_ERR_UNTRUSTED);
}

/* Every single-byte change is refused, each part with its own error. */
NC_TEST(drvpkg, every_byte_flip_is_refused)
{
	size_t n = make_package(seed_a);
	nc_drvpkg_parts_t parts;
	NC_CHECK_EQ(nc_drvpkg_parse(pkg, n, &parts), NC_DRVPKG_OK);
	size_t man = (size_t)(parts.manifest - pkg), signer = man + parts.manifest_len,
	       sig = signer + NC_DRVPKG_KEY_BYTES, img = (size_t)(parts.image - pkg);
	for (size_t i = 0; i < n; i++) {
		nc_mem_copy(copy, pkg, n);
		copy[i] ^= 0x20;
		nc_drvpkg_err_t err = verify(copy, n, 1);
		nc_drvpkg_err_t want = i < man ? NC_DRVPKG_ERR_FORMAT
				     : i < signer ? NC_DRVPKG_ERR_SIGNATURE
				     : i < sig ? NC_DRVPKG_ERR_UNTRUSTED
				     : i < sig + NC_DRVPKG_SIG_BYTES ? NC_DRVPKG_ERR_SIGNATURE
				     : i < img ? NC_DRVPKG_ERR_FORMAT : NC_DRVPKG_ERR_HASH;
		if (err != want) {
			nc_test_fail(__FILE__, __LINE__, "byte flip refused with its part's error",
				     nc_drvpkg_err_name(err));
			return;
		}
	}
	NC_CHECK_EQ(verify(pkg, n - 1, 1), NC_DRVPKG_ERR_FORMAT);
	NC_CHECK_EQ(verify(pkg, 0, 1), NC_DRVPKG_ERR_FORMAT);
}

NC_TEST(drvpkg, assemble_bounds)
{
	size_t n = make_package(seed_a);
	nc_drvpkg_parts_t parts;
	size_t len;
	NC_CHECK_EQ(nc_drvpkg_parse(pkg, n, &parts), NC_DRVPKG_OK);
	NC_CHECK_EQ(nc_drvpkg_assemble(&parts, copy, n - 1, &len), NC_DRVPKG_ERR_TOO_SMALL);
	NC_CHECK_EQ(nc_drvpkg_assemble(&parts, copy, sizeof copy, &len), NC_DRVPKG_OK);
	NC_CHECK_EQ(len, n);
	NC_CHECK(nc_mem_compare(copy, pkg, n) == 0);
	parts.manifest_len = NC_DRVPKG_MANIFEST_MAX_BYTES + 1;
	NC_CHECK_EQ(nc_drvpkg_assemble(&parts, copy, sizeof copy, &len), NC_DRVPKG_ERR_FORMAT);
	NC_CHECK(nc_str_compare(nc_drvpkg_err_name(NC_DRVPKG_ERR_HASH), "NC_DRVPKG_ERR_HASH") == 0);
}
