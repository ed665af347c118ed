/* The htree name hashes (lib/fs/hash.c) against e2fsprogs' own: `debugfs dx_hash` for every
 * hash version (legacy, half-MD4, TEA and their unsigned-char variants), a zero seed (MD4's
 * initial words) and a random one, names of 1..255 bytes including bytes >= 0x80. */
#include "nc_test.h"
#include "fs_test_util.h"
#include "../../../lib/fs/fs_int.h"

#include <stdlib.h>
#include <string.h>

#define N_NAMES 120

static void random_name(rng_t *r, char *name, uint32_t *len)
{
	*len = rng_below(r, 4) ? 1 + rng_below(r, 40) : 1 + rng_below(r, 255);
	for (uint32_t i = 0; i < *len; i++) {
		uint32_t c = rng_below(r, 3) ? 'a' + rng_below(r, 26) : 0x80 + rng_below(r, 0x80);
		if (rng_below(r, 8) == 0)
			c = "0123456789_.=+,"[rng_below(r, 15)];
		name[i] = (char)c;
	}
	name[*len] = '\0';
}

NC_TEST(fs_hash, matches_debugfs_dx_hash)
{
	char img[TMP_PATH_CAP], cmds[TMP_PATH_CAP];
	char *dir = tmp_with("img", img, "cmds", cmds, NULL);
	NC_CHECK(dir);
	NC_CHECK_EQ(make_image(img, 1024, 4096, NULL), 0);
	rng_t r = { 7 };
	static char names[N_NAMES][256];
	uint32_t lens[N_NAMES];
	for (uint32_t i = 0; i < N_NAMES; i++)
		random_name(&r, names[i], &lens[i]);
	const uint32_t seeds[2][4] = { { 0, 0, 0, 0 }, { 0xd6cd3d67u, 0x37481b37u, 0xd7834089u, 0x1ddbbec7u } };
	const char *seed_text[2] = { "00000000-0000-0000-0000-000000000000", "673dcdd6-371b-4837-8940-83d7c7bedb1d" };
	FILE *f = fopen(cmds, "w");
	NC_CHECK(f);
	for (uint32_t s = 0; s < 2; s++)
		for (uint32_t v = 0; v < 6; v++)
			for (uint32_t i = 0; i < N_NAMES; i++)
				fprintf(f, "dx_hash -h %u -s %s %s\n", v, seed_text[s], names[i]);
	fclose(f);
	size_t cap = 4u << 20;
	char *out = malloc(cap);
	NC_CHECK_EQ(run(out, cap, "debugfs -f '%s' '%s' 2>/dev/null | grep -a '^Hash of'", cmds, img), 0);
	char *line = out;
	uint32_t checked = 0;
	for (uint32_t s = 0; s < 2; s++)
		for (uint32_t v = 0; v < 6; v++)
			for (uint32_t i = 0; i < N_NAMES; i++) {
				char *is = strstr(line, " is 0x");
				NC_CHECK(is);
				unsigned long want = strtoul(is + 4, NULL, 16), want_minor = 0;
				char *minor = strstr(is, "minor 0x");
				NC_CHECK(minor);
				want_minor = strtoul(minor + 6, NULL, 16);
				uint32_t hash, got_minor;
				dx_hash_with(v, seeds[s], names[i], lens[i], &hash, &got_minor);
				if (hash != want || got_minor != want_minor)
					nc_test_note("version %u seed %u name %s: %08x/%08x, debugfs %08lx/%08lx", v, s,
						     names[i], hash, got_minor, want, want_minor);
				NC_CHECK_EQ(hash, want);
				NC_CHECK_EQ(got_minor, want_minor);
				checked++;
				line = strchr(is, '\n') + 1;
			}
	NC_CHECK_EQ(checked, 2 * 6 * N_NAMES);
	free(out);
	tmp_remove(dir);
}
