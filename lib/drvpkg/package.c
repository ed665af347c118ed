/* Driver packages: assembly, signing and verification (see nc/drvpkg.h).
 * The signed message is the domain string (with its NUL) followed by the
 * manifest bytes, so a signature over a manifest cannot be mistaken for a
 * signature in another NexaCore format made with the same key. */
#include <nc/crypto.h>
#include <nc/drvpkg.h>
#include <nc/mem.h>
#include <nc/wire.h>

/* BLAKE3 of the image fed in pieces: the reference code recurses once per
 * doubling of the input of one update, and the kernel's stack is small. */
enum { HASH_STEP_BYTES = 4096 };

static void hash_image(uint8_t out[NC_DRVPKG_HASH_BYTES], const uint8_t *image, size_t len)
{
	nc_crypto_blake3_t h;
	nc_crypto_blake3_init(&h);
	for (size_t at = 0; at < len; at += HASH_STEP_BYTES)
		nc_crypto_blake3_update(&h, image + at, len - at < HASH_STEP_BYTES ? len - at : HASH_STEP_BYTES);
	nc_crypto_blake3_finalize(&h, 0, out, NC_DRVPKG_HASH_BYTES);
}

static const char magic[8] = { 'N', 'C', 'D', 'R', 'V', 'P', 'K', 'G' };
static const char domain[] = "NexaCore driver manifest v1"; /* signed with its NUL */

nc_drvpkg_err_t nc_drvpkg_parse(const uint8_t *pkg, size_t len_bytes, nc_drvpkg_parts_t *out)
{
	nc_mem_set(out, 0, sizeof *out);
	if (len_bytes > NC_DRVPKG_MAX_BYTES)
		return NC_DRVPKG_ERR_FORMAT;
	nc_wire_reader_t r;
	nc_wire_reader_init(&r, pkg, len_bytes);
	uint8_t m[sizeof magic];
	nc_wire_decode_raw(&r, m, sizeof m);
	nc_wire_decode_bytes(&r, NC_DRVPKG_MANIFEST_MAX_BYTES, &out->manifest, &out->manifest_len);
	nc_wire_decode_raw(&r, out->signer, NC_DRVPKG_KEY_BYTES);
	nc_wire_decode_raw(&r, out->signature, NC_DRVPKG_SIG_BYTES);
	nc_wire_decode_bytes(&r, NC_DRVPKG_MAX_BYTES, &out->image, &out->image_len);
	if (nc_wire_reader_finish(&r) || nc_mem_compare(m, magic, sizeof magic) != 0)
		return NC_DRVPKG_ERR_FORMAT;
	return NC_DRVPKG_OK;
}

size_t nc_drvpkg_encoded_bytes(size_t manifest_len, size_t image_len)
{
	return sizeof magic + 2 * NC_WIRE_VARINT_MAX_BYTES + manifest_len + NC_DRVPKG_KEY_BYTES +
	       NC_DRVPKG_SIG_BYTES + image_len;
}

nc_drvpkg_err_t nc_drvpkg_assemble(const nc_drvpkg_parts_t *parts, uint8_t *out, size_t cap_bytes,
				   size_t *len_out)
{
	if (parts->manifest_len > NC_DRVPKG_MANIFEST_MAX_BYTES ||
	    nc_drvpkg_encoded_bytes(parts->manifest_len, parts->image_len) > NC_DRVPKG_MAX_BYTES)
		return NC_DRVPKG_ERR_FORMAT;
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, out, cap_bytes);
	nc_wire_encode_raw(&w, (const uint8_t *)magic, sizeof magic);
	nc_wire_encode_bytes(&w, parts->manifest, parts->manifest_len);
	nc_wire_encode_raw(&w, parts->signer, NC_DRVPKG_KEY_BYTES);
	nc_wire_encode_raw(&w, parts->signature, NC_DRVPKG_SIG_BYTES);
	nc_wire_encode_bytes(&w, parts->image, parts->image_len);
	if (w.err)
		return NC_DRVPKG_ERR_TOO_SMALL;
	*len_out = w.len_bytes;
	return NC_DRVPKG_OK;
}

/* The signed message: domain || manifest, in msg (which has room for it). */
static size_t signed_message(uint8_t *msg, const uint8_t *manifest, size_t manifest_len)
{
	nc_mem_copy(msg, domain, sizeof domain);
	nc_mem_copy(msg + sizeof domain, manifest, manifest_len);
	return sizeof domain + manifest_len;
}

nc_drvpkg_err_t nc_drvpkg_sign(nc_drvpkg_manifest_t *m, const uint8_t seed[NC_DRVPKG_SEED_BYTES],
			       const uint8_t *image, size_t image_len, uint8_t *out, size_t cap_bytes,
			       size_t *len_out)
{
	uint8_t manifest[NC_DRVPKG_MANIFEST_MAX_BYTES], msg[sizeof domain + NC_DRVPKG_MANIFEST_MAX_BYTES];
	uint8_t sk[NC_CRYPTO_ED25519_SECRET_BYTES];
	nc_drvpkg_parts_t parts;
	hash_image(m->image_hash, image, image_len);
	nc_drvpkg_err_t err = nc_drvpkg_manifest_encode(m, manifest, sizeof manifest, &parts.manifest_len);
	if (err)
		return err == NC_DRVPKG_ERR_TOO_SMALL ? NC_DRVPKG_ERR_MANIFEST : err;
	parts.manifest = manifest;
	parts.image = image;
	parts.image_len = image_len;
	nc_crypto_ed25519_keypair(parts.signer, sk, seed);
	nc_crypto_ed25519_sign(parts.signature, msg, signed_message(msg, manifest, parts.manifest_len), sk);
	nc_crypto_wipe(sk, sizeof sk);
	return nc_drvpkg_assemble(&parts, out, cap_bytes, len_out);
}

static bool trusted_key(const uint8_t *signer, const uint8_t (*trusted)[NC_DRVPKG_KEY_BYTES], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (nc_mem_compare(trusted[i], signer, NC_DRVPKG_KEY_BYTES) == 0)
			return true;
	return false;
}

nc_drvpkg_err_t nc_drvpkg_verify(const uint8_t *pkg, size_t len_bytes,
				 const uint8_t (*trusted)[NC_DRVPKG_KEY_BYTES], size_t n_trusted,
				 nc_drvpkg_manifest_t *m, nc_drvpkg_parts_t *parts)
{
	uint8_t msg[sizeof domain + NC_DRVPKG_MANIFEST_MAX_BYTES], hash[NC_DRVPKG_HASH_BYTES];
	nc_drvpkg_err_t err = nc_drvpkg_parse(pkg, len_bytes, parts);
	if (err)
		return err;
	if (!trusted_key(parts->signer, trusted, n_trusted))
		return NC_DRVPKG_ERR_UNTRUSTED;
	size_t n = signed_message(msg, parts->manifest, parts->manifest_len);
	if (nc_crypto_ed25519_verify(parts->signature, msg, n, parts->signer) != NC_CRYPTO_OK)
		return NC_DRVPKG_ERR_SIGNATURE;
	err = nc_drvpkg_manifest_decode(parts->manifest, parts->manifest_len, m);
	if (err)
		return err;
	hash_image(hash, parts->image, parts->image_len);
	return nc_crypto_equal(hash, m->image_hash, sizeof hash) ? NC_DRVPKG_OK : NC_DRVPKG_ERR_HASH;
}
