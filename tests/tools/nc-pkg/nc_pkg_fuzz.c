/* libFuzzer target for driver packages: the input is tried as nc-pkg's
 * manifest source text, as an encoded manifest and as a whole package
 * verified against one fixed trusted key. Any of these may fail on hostile
 * input, none may crash; a manifest that decodes must encode back to the
 * same bytes (the encoding is canonical), and one parsed from source text
 * must survive an encode/decode round trip. */
#include "../../../tools/nc-pkg/spec.h"
#include <nc/crypto.h>
#include <nc/drvpkg.h>
#include <nc/mem.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t trusted[1][NC_DRVPKG_KEY_BYTES];

static void set_up(void)
{
	uint8_t seed[NC_DRVPKG_SEED_BYTES], sk[NC_CRYPTO_ED25519_SECRET_BYTES];
	nc_crypto_init();
	nc_mem_set(seed, 7, sizeof seed);
	nc_crypto_ed25519_keypair(trusted[0], sk, seed);
}

static void round_trip(const nc_drvpkg_manifest_t *m, const uint8_t *orig, size_t orig_len)
{
	uint8_t buf[NC_DRVPKG_MANIFEST_MAX_BYTES];
	size_t n;
	nc_drvpkg_manifest_t again;
	if (nc_drvpkg_manifest_encode(m, buf, sizeof buf, &n) != NC_DRVPKG_OK)
		abort();
	if (orig && (n != orig_len || nc_mem_compare(buf, orig, n) != 0))
		abort();
	if (nc_drvpkg_manifest_decode(buf, n, &again) != NC_DRVPKG_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		set_up();
		ready = true;
	}
	nc_drvpkg_manifest_t m;
	size_t line;
	const char *why;
	if (spec_parse((const char *)data, size, &m, &line, &why))
		round_trip(&m, NULL, 0);
	if (nc_drvpkg_manifest_decode(data, size, &m) == NC_DRVPKG_OK)
		round_trip(&m, data, size);
	nc_drvpkg_parts_t parts;
	nc_drvpkg_verify(data, size, (const uint8_t (*)[NC_DRVPKG_KEY_BYTES])trusted, 1, &m, &parts);
	return 0;
}
