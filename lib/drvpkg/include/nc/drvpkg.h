/* Signed driver packages (docs/drivers.md): what a user-space driver may
 * touch, stated in a manifest that a driver-signing key vouches for. A
 * package is one postcard value (lib/wire):
 *
 *   Package  { magic: [u8; 8] = "NCDRVPKG",
 *              manifest: bytes,        the encoded Manifest, signed as is
 *              signer: [u8; 32],       Ed25519 public key
 *              signature: [u8; 64],    Ed25519 over "NexaCore driver manifest v1\0" || manifest
 *              image: bytes }          the driver's ELF executable
 *   Manifest { format: u32 = 1, name: str (1..31 bytes of [a-z0-9_-]),
 *              version: u32,
 *              vendor: Option<u16>, device: Option<u16>,
 *              class_code: Option<u32> (class << 16 | subclass << 8 | prog-if),
 *              bars: seq<u8> (BAR indices it maps, each 0..5, no repeats),
 *              irq_vectors: u16 (0..NC_DRVPKG_VECTORS_MAX),
 *              dma_budget_bytes: u64 (at most NC_DRVPKG_DMA_MAX_BYTES),
 *              offers: seq<Offer> (at most NC_DRVPKG_OFFERS_MAX),
 *              image_hash: [u8; 32] (BLAKE3 of image) }
 *   Offer    { action: str, scope: str }   a capability the driver gets from
 *              its loader to offer its service (blk.register on "*")
 *
 * Verification order (nc_drvpkg_verify): the package parses, the signer is
 * trusted, the signature verifies over the manifest bytes, the manifest
 * parses and is well-formed, the image hashes to image_hash. A package is
 * accepted only when every step passes, so a tampered manifest (signature),
 * a tampered image (hash) or an unknown key (trust) is refused with its own
 * error. Everything here is reentrant, allocates nothing and works in every
 * flavour (the kernel verifies packages with it). */
#ifndef NC_DRVPKG_H
#define NC_DRVPKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	NC_DRVPKG_FORMAT = 1,
	NC_DRVPKG_NAME_MAX = 31,
	NC_DRVPKG_BARS = 6,
	NC_DRVPKG_VECTORS_MAX = 32,
	NC_DRVPKG_OFFERS_MAX = 8,
	NC_DRVPKG_ACTION_MAX = 63,
	NC_DRVPKG_SCOPE_MAX = 127,
	NC_DRVPKG_KEY_BYTES = 32,
	NC_DRVPKG_SEED_BYTES = 32,
	NC_DRVPKG_SIG_BYTES = 64,
	NC_DRVPKG_HASH_BYTES = 32,
	NC_DRVPKG_MANIFEST_MAX_BYTES = 2048,
};
#define NC_DRVPKG_MAX_BYTES (8ull << 20)           /* a whole package */
#define NC_DRVPKG_DMA_MAX_BYTES (256ull << 20)     /* largest DMA budget */

typedef enum {
	NC_DRVPKG_OK = 0,
	NC_DRVPKG_ERR_FORMAT,      /* not a package: bad magic, truncated, trailing bytes, too large */
	NC_DRVPKG_ERR_MANIFEST,    /* the manifest does not parse or breaks a rule above */
	NC_DRVPKG_ERR_UNTRUSTED,   /* the signer is not among the trusted keys */
	NC_DRVPKG_ERR_SIGNATURE,   /* the signature does not verify */
	NC_DRVPKG_ERR_HASH,        /* the image does not match image_hash */
	NC_DRVPKG_ERR_TOO_SMALL,   /* an output buffer is too small */
} nc_drvpkg_err_t;

/* Static name ("NC_DRVPKG_ERR_HASH"); "NC_DRVPKG_ERR_UNKNOWN" otherwise. */
const char *nc_drvpkg_err_name(nc_drvpkg_err_t err);

typedef struct {
	char action[NC_DRVPKG_ACTION_MAX + 1]; /* NUL-terminated */
	char scope[NC_DRVPKG_SCOPE_MAX + 1];
} nc_drvpkg_offer_t;

typedef struct {
	char name[NC_DRVPKG_NAME_MAX + 1];     /* NUL-terminated */
	uint32_t version;
	bool has_vendor, has_device, has_class;
	uint16_t vendor, device;
	uint32_t class_code;
	uint8_t n_bars;
	uint8_t bars[NC_DRVPKG_BARS];          /* in manifest order */
	uint16_t irq_vectors;
	uint64_t dma_budget_bytes;
	uint32_t n_offers;
	nc_drvpkg_offer_t offers[NC_DRVPKG_OFFERS_MAX];
	uint8_t image_hash[NC_DRVPKG_HASH_BYTES];
} nc_drvpkg_manifest_t;

/* The parts of a package; pointers borrow from the package bytes. */
typedef struct {
	const uint8_t *manifest;
	size_t manifest_len;
	uint8_t signer[NC_DRVPKG_KEY_BYTES];
	uint8_t signature[NC_DRVPKG_SIG_BYTES];
	const uint8_t *image;
	size_t image_len;
} nc_drvpkg_parts_t;

/* Check the rules of the file comment (name characters, BAR range and
 * repeats, vector and budget limits, offer action syntax). Errors: MANIFEST. */
nc_drvpkg_err_t nc_drvpkg_manifest_check(const nc_drvpkg_manifest_t *m);
/* Encode a checked manifest into buf[0..cap_bytes). Errors: MANIFEST, TOO_SMALL. */
nc_drvpkg_err_t nc_drvpkg_manifest_encode(const nc_drvpkg_manifest_t *m, uint8_t *buf, size_t cap_bytes,
					  size_t *len_out);
/* Decode and check a manifest (strict postcard: one encoding per value).
 * Errors: MANIFEST. */
nc_drvpkg_err_t nc_drvpkg_manifest_decode(const uint8_t *buf, size_t len_bytes, nc_drvpkg_manifest_t *out);

/* Split a package into its parts without verifying anything. Errors: FORMAT. */
nc_drvpkg_err_t nc_drvpkg_parse(const uint8_t *pkg, size_t len_bytes, nc_drvpkg_parts_t *out);
/* Bytes a package with these parts takes. */
size_t nc_drvpkg_encoded_bytes(size_t manifest_len, size_t image_len);
/* Write a package from its parts into out[0..cap_bytes). Errors: FORMAT (a
 * part too large), TOO_SMALL. */
nc_drvpkg_err_t nc_drvpkg_assemble(const nc_drvpkg_parts_t *parts, uint8_t *out, size_t cap_bytes,
				   size_t *len_out);
/* Sign: set m's image_hash from image, encode m, sign it with the key pair of
 * seed and assemble the package. m is updated (image_hash). Errors: MANIFEST,
 * FORMAT, TOO_SMALL. */
nc_drvpkg_err_t nc_drvpkg_sign(nc_drvpkg_manifest_t *m, const uint8_t seed[NC_DRVPKG_SEED_BYTES],
			       const uint8_t *image, size_t image_len, uint8_t *out, size_t cap_bytes,
			       size_t *len_out);
/* Verify a package against n_trusted public keys, in the order of the file
 * comment. On OK *m holds the manifest and *parts the package's parts.
 * Errors: FORMAT, UNTRUSTED, SIGNATURE, MANIFEST, HASH. */
nc_drvpkg_err_t nc_drvpkg_verify(const uint8_t *pkg, size_t len_bytes,
				 const uint8_t (*trusted)[NC_DRVPKG_KEY_BYTES], size_t n_trusted,
				 nc_drvpkg_manifest_t *m, nc_drvpkg_parts_t *parts);

#endif
