/* nc-pkg: make, check and read signed driver packages (lib/drvpkg,
 * docs/drivers.md) on the host.
 *   nc-pkg keygen --out KEY          a new signing key: KEY (the seed, hex)
 *                                    and KEY.pub (the public key, hex)
 *   nc-pkg pubkey --key KEY          print the public key of KEY (hex)
 *   nc-pkg sign --key KEY --manifest SPEC --image ELF --out PKG
 *   nc-pkg verify --trusted PUB... PKG   exit 0 only if the package verifies
 *   nc-pkg inspect PKG               print the manifest, signer and whether the
 *                                    image matches its hash (verifies nothing else)
 * Exit status: 0 success, 1 the package is refused or an operation failed,
 * 2 usage. */
#include "spec.h"
#include <nc/crypto.h>
#include <nc/drvpkg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, TRUSTED_MAX = 8, SPEC_MAX_BYTES = 64 * 1024 };

static const char usage[] =
	"usage: nc-pkg keygen --out KEY\n"
	"       nc-pkg pubkey --key KEY\n"
	"       nc-pkg sign --key KEY --manifest SPEC --image ELF --out PKG\n"
	"       nc-pkg verify --trusted PUB [--trusted PUB]... PKG\n"
	"       nc-pkg inspect PKG\n";

/* The whole file, or NULL (with a message). *len gets its size. */
static uint8_t *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "nc-pkg: cannot open %s\n", path);
		return NULL;
	}
	uint8_t *buf = malloc(max + 1);
	size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
	bool bad = ferror(f) || !buf;
	fclose(f);
	if (bad || n > max) {
		fprintf(stderr, "nc-pkg: cannot read %s%s\n", path, n > max ? ": too large" : "");
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static bool write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(data, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = false;
	if (!ok)
		fprintf(stderr, "nc-pkg: cannot write %s\n", path);
	return ok;
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* A file holding exactly n bytes as hex (whitespace around it allowed). */
static bool read_hex_file(const char *path, uint8_t *out, size_t n)
{
	size_t len;
	uint8_t *text = read_file(path, 4096, &len);
	if (!text)
		return false;
	size_t got = 0, i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
		i++;
	for (; got < n && i + 1 < len; i += 2) {
		unsigned v;
		char pair[3] = { (char)text[i], (char)text[i + 1], 0 };
		if (!strchr("0123456789abcdefABCDEF", pair[0]) || !strchr("0123456789abcdefABCDEF", pair[1]) ||
		    sscanf(pair, "%x", &v) != 1)
			break;
		out[got++] = (uint8_t)v;
	}
	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
		i++;
	free(text);
	if (got != n || i != len) {
		fprintf(stderr, "nc-pkg: %s does not hold %zu hex bytes\n", path, n);
		return false;
	}
	return true;
}

static bool write_hex_file(const char *path, const uint8_t *p, size_t n)
{
	char text[2 * 64 + 2];
	hex(text, p, n);
	text[2 * n] = '\n';
	return write_file(path, text, 2 * n + 1);
}

/* The value after --name in argv, or NULL. */
static const char *option(int argc, char **argv, const char *name)
{
	for (int i = 2; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static int cmd_keygen(int argc, char **argv)
{
	const char *out = option(argc, argv, "--out");
	if (!out)
		return fputs(usage, stderr), EXIT_USAGE;
	uint8_t seed[NC_DRVPKG_SEED_BYTES], pk[NC_CRYPTO_ED25519_PUBLIC_BYTES], sk[NC_CRYPTO_ED25519_SECRET_BYTES];
	if (nc_crypto_random(seed, sizeof seed) != NC_CRYPTO_OK)
		return fputs("nc-pkg: no randomness\n", stderr), EXIT_FAILED;
	nc_crypto_ed25519_keypair(pk, sk, seed);
	char pub[4096];
	snprintf(pub, sizeof pub, "%s.pub", out);
	bool ok = write_hex_file(out, seed, sizeof seed) && write_hex_file(pub, pk, sizeof pk);
	nc_crypto_wipe(seed, sizeof seed);
	nc_crypto_wipe(sk, sizeof sk);
	return ok ? EXIT_OK : EXIT_FAILED;
}

static bool load_seed(const char *path, uint8_t seed[NC_DRVPKG_SEED_BYTES])
{
	return read_hex_file(path, seed, NC_DRVPKG_SEED_BYTES);
}

static int cmd_pubkey(int argc, char **argv)
{
	const char *key = option(argc, argv, "--key");
	uint8_t seed[NC_DRVPKG_SEED_BYTES], pk[NC_CRYPTO_ED25519_PUBLIC_BYTES], sk[NC_CRYPTO_ED25519_SECRET_BYTES];
	if (!key)
		return fputs(usage, stderr), EXIT_USAGE;
	if (!load_seed(key, seed))
		return EXIT_FAILED;
	nc_crypto_ed25519_keypair(pk, sk, seed);
	nc_crypto_wipe(seed, sizeof seed);
	nc_crypto_wipe(sk, sizeof sk);
	char text[2 * sizeof pk + 1];
	hex(text, pk, sizeof pk);
	printf("%s\n", text);
	return EXIT_OK;
}

static int cmd_sign(int argc, char **argv)
{
	const char *key = option(argc, argv, "--key"), *spec = option(argc, argv, "--manifest"),
		   *image_path = option(argc, argv, "--image"), *out = option(argc, argv, "--out");
	if (!key || !spec || !image_path || !out)
		return fputs(usage, stderr), EXIT_USAGE;
	uint8_t seed[NC_DRVPKG_SEED_BYTES];
	size_t spec_len, image_len, bad_line, pkg_len;
	const char *why;
	nc_drvpkg_manifest_t m;
	uint8_t *text = read_file(spec, SPEC_MAX_BYTES, &spec_len);
	if (!text)
		return EXIT_FAILED;
	bool parsed = spec_parse((const char *)text, spec_len, &m, &bad_line, &why);
	free(text);
	if (!parsed) {
		fprintf(stderr, "nc-pkg: %s:%zu: %s\n", spec, bad_line, why);
		return EXIT_FAILED;
	}
	uint8_t *image = read_file(image_path, NC_DRVPKG_MAX_BYTES, &image_len);
	if (!image || !load_seed(key, seed)) {
		free(image);
		return EXIT_FAILED;
	}
	size_t cap = nc_drvpkg_encoded_bytes(NC_DRVPKG_MANIFEST_MAX_BYTES, image_len);
	uint8_t *pkg = malloc(cap);
	nc_drvpkg_err_t err = pkg ? nc_drvpkg_sign(&m, seed, image, image_len, pkg, cap, &pkg_len)
				  : NC_DRVPKG_ERR_TOO_SMALL;
	nc_crypto_wipe(seed, sizeof seed);
	free(image);
	bool ok = !err && write_file(out, pkg, pkg_len);
	if (err)
		fprintf(stderr, "nc-pkg: %s\n", nc_drvpkg_err_name(err));
	free(pkg);
	return ok ? EXIT_OK : EXIT_FAILED;
}

static int cmd_verify(int argc, char **argv)
{
	uint8_t trusted[TRUSTED_MAX][NC_DRVPKG_KEY_BYTES];
	size_t n_trusted = 0, len;
	const char *path = argc > 2 && strcmp(argv[argc - 2], "--trusted") ? argv[argc - 1] : NULL;
	for (int i = 2; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--trusted")) {
			if (n_trusted == TRUSTED_MAX)
				return fputs("nc-pkg: too many --trusted keys\n", stderr), EXIT_USAGE;
			if (!read_hex_file(argv[++i], trusted[n_trusted++], NC_DRVPKG_KEY_BYTES))
				return EXIT_FAILED;
		}
	if (!path || !n_trusted)
		return fputs(usage, stderr), EXIT_USAGE;
	uint8_t *pkg = read_file(path, NC_DRVPKG_MAX_BYTES, &len);
	if (!pkg)
		return EXIT_FAILED;
	nc_drvpkg_manifest_t m;
	nc_drvpkg_parts_t parts;
	nc_drvpkg_err_t err = nc_drvpkg_verify(pkg, len, (const uint8_t (*)[NC_DRVPKG_KEY_BYTES])trusted, n_trusted,
					       &m, &parts);
	free(pkg);
	if (err) {
		printf("%s: refused: %s\n", path, nc_drvpkg_err_name(err));
		return EXIT_FAILED;
	}
	printf("%s: ok: %s version %u\n", path, m.name, m.version);
	return EXIT_OK;
}

static void print_manifest(const nc_drvpkg_manifest_t *m)
{
	char h[2 * NC_DRVPKG_HASH_BYTES + 1];
	printf("name: %s\nversion: %u\n", m->name, m->version);
	printf("match:");
	if (m->has_vendor)
		printf(" vendor %04x", m->vendor);
	if (m->has_device)
		printf(" device %04x", m->device);
	if (m->has_class)
		printf(" class %06x", m->class_code);
	printf("%s\nbars:", m->has_vendor || m->has_device || m->has_class ? "" : " any");
	for (uint8_t i = 0; i < m->n_bars; i++)
		printf(" %u", m->bars[i]);
	printf("\nirq vectors: %u\ndma budget: %llu bytes\n", m->irq_vectors, (unsigned long long)m->dma_budget_bytes);
	for (uint32_t i = 0; i < m->n_offers; i++)
		printf("offer: %s %s\n", m->offers[i].action, m->offers[i].scope);
	hex(h, m->image_hash, sizeof m->image_hash);
	printf("image hash: %s\n", h);
}

static int cmd_inspect(int argc, char **argv)
{
	if (argc != 3)
		return fputs(usage, stderr), EXIT_USAGE;
	size_t len;
	uint8_t *pkg = read_file(argv[2], NC_DRVPKG_MAX_BYTES, &len);
	if (!pkg)
		return EXIT_FAILED;
	nc_drvpkg_parts_t parts;
	nc_drvpkg_manifest_t m;
	nc_drvpkg_err_t err = nc_drvpkg_parse(pkg, len, &parts);
	if (!err)
		err = nc_drvpkg_manifest_decode(parts.manifest, parts.manifest_len, &m);
	if (err) {
		free(pkg);
		printf("%s: %s\n", argv[2], nc_drvpkg_err_name(err));
		return EXIT_FAILED;
	}
	print_manifest(&m);
	uint8_t hash[NC_DRVPKG_HASH_BYTES];
	nc_crypto_blake3(hash, sizeof hash, parts.image, parts.image_len);
	char key[2 * NC_DRVPKG_KEY_BYTES + 1], sig[2 * NC_DRVPKG_SIG_BYTES + 1];
	hex(key, parts.signer, sizeof parts.signer);
	hex(sig, parts.signature, sizeof parts.signature);
	bool match = nc_crypto_equal(hash, m.image_hash, sizeof hash);
	printf("image: %zu bytes, %s its hash\nsigner: %s\nsignature: %s\n", parts.image_len,
	       match ? "matches" : "DOES NOT MATCH", key, sig);
	free(pkg);
	return match ? EXIT_OK : EXIT_FAILED;
}

int main(int argc, char **argv)
{
	if (nc_crypto_init() != NC_CRYPTO_OK)
		return fputs("nc-pkg: crypto init failed\n", stderr), EXIT_FAILED;
	const char *cmd = argc > 1 ? argv[1] : "";
	if (!strcmp(cmd, "keygen"))
		return cmd_keygen(argc, argv);
	if (!strcmp(cmd, "pubkey"))
		return cmd_pubkey(argc, argv);
	if (!strcmp(cmd, "sign"))
		return cmd_sign(argc, argv);
	if (!strcmp(cmd, "verify"))
		return cmd_verify(argc, argv);
	if (!strcmp(cmd, "inspect"))
		return cmd_inspect(argc, argv);
	fputs(usage, stderr);
	return EXIT_USAGE;
}
