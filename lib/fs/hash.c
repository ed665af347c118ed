/* The htree name hashes of ext3/ext4 directories: "legacy" (dx_hack_hash), half-MD4 and TEA,
 * each reading the name's bytes as signed or unsigned char (the _UNSIGNED variants; the superblock
 * says which). Half-MD4 is the first three rounds of MD4 (RFC 1320) over 32-byte pieces of the
 * name, TEA is the Tiny Encryption Algorithm (Wheeler and Needham, 1994) over 16-byte pieces; the
 * seed is the superblock's s_hash_seed, or MD4's initial words when it is zero. The result has its
 * low bit clear (the index uses it to mark hash collisions across blocks). Tested against
 * `debugfs -R dx_hash`. */
#include "fs_int.h"

#define HTREE_EOF 0x7fffffffu

static uint32_t rol(uint32_t x, uint32_t s) { return x << s | x >> (32u - s); }

static uint32_t md4_f(uint32_t x, uint32_t y, uint32_t z) { return z ^ (x & (y ^ z)); }
static uint32_t md4_g(uint32_t x, uint32_t y, uint32_t z) { return (x & y) + ((x ^ y) & z); }
static uint32_t md4_h(uint32_t x, uint32_t y, uint32_t z) { return x ^ y ^ z; }

#define MD4_K2 0x5A827999u
#define MD4_K3 0x6ED9EBA1u

/* Three MD4 rounds over in[8] (half of an MD4 block), added into buf. */
static void half_md4(uint32_t buf[4], const uint32_t in[8])
{
	static const uint8_t r1[8] = { 0, 1, 2, 3, 4, 5, 6, 7 }, s1[4] = { 3, 7, 11, 19 };
	static const uint8_t r2[8] = { 1, 3, 5, 7, 0, 2, 4, 6 }, s2[4] = { 3, 5, 9, 13 };
	static const uint8_t r3[8] = { 3, 7, 2, 6, 1, 5, 0, 4 }, s3[4] = { 3, 9, 11, 15 };
	uint32_t v[4] = { buf[0], buf[1], buf[2], buf[3] };
	/* each step updates a, d, c, b in turn: v[(4 - i) % 4] */
	for (uint32_t i = 0; i < 8; i++) {
		uint32_t *a = &v[(4u - i % 4u) % 4u];
		uint32_t b = v[(5u - i % 4u) % 4u], c = v[(6u - i % 4u) % 4u], d = v[(7u - i % 4u) % 4u];
		*a = rol(*a + md4_f(b, c, d) + in[r1[i]], s1[i % 4u]);
	}
	for (uint32_t i = 0; i < 8; i++) {
		uint32_t *a = &v[(4u - i % 4u) % 4u];
		uint32_t b = v[(5u - i % 4u) % 4u], c = v[(6u - i % 4u) % 4u], d = v[(7u - i % 4u) % 4u];
		*a = rol(*a + md4_g(b, c, d) + in[r2[i]] + MD4_K2, s2[i % 4u]);
	}
	for (uint32_t i = 0; i < 8; i++) {
		uint32_t *a = &v[(4u - i % 4u) % 4u];
		uint32_t b = v[(5u - i % 4u) % 4u], c = v[(6u - i % 4u) % 4u], d = v[(7u - i % 4u) % 4u];
		*a = rol(*a + md4_h(b, c, d) + in[r3[i]] + MD4_K3, s3[i % 4u]);
	}
	for (uint32_t i = 0; i < 4; i++)
		buf[i] += v[i];
}

#define TEA_DELTA 0x9E3779B9u

static void tea(uint32_t buf[4], const uint32_t in[4])
{
	uint32_t sum = 0, b0 = buf[0], b1 = buf[1];
	for (uint32_t n = 0; n < 16; n++) {
		sum += TEA_DELTA;
		b0 += ((b1 << 4) + in[0]) ^ (b1 + sum) ^ ((b1 >> 5) + in[1]);
		b1 += ((b0 << 4) + in[2]) ^ (b0 + sum) ^ ((b0 >> 5) + in[3]);
	}
	buf[0] += b0;
	buf[1] += b1;
}

static int32_t name_byte(const char *name, uint32_t i, bool is_unsigned)
{
	uint8_t c = (uint8_t)name[i];
	return is_unsigned ? (int32_t)c : (int32_t)(int8_t)c;
}

static uint32_t legacy(const char *name, uint32_t len, bool is_unsigned)
{
	uint32_t h0 = 0x12a3fe2du, h1 = 0x37abe8f9u;
	for (uint32_t i = 0; i < len; i++) {
		uint32_t h = h1 + (h0 ^ (uint32_t)(name_byte(name, i, is_unsigned) * 7152373));
		if (h & 0x80000000u)
			h -= 0x7fffffffu;
		h1 = h0;
		h0 = h;
	}
	return h0 << 1;
}

/* Pack up to 4 * n_words bytes of name into words, padding with the length (str2hashbuf). */
static void pack(const char *name, uint32_t len, bool is_unsigned, uint32_t *out, uint32_t n_words)
{
	uint32_t pad = len | len << 8;
	pad |= pad << 16;
	uint32_t val = pad, w = 0;
	if (len > n_words * 4u)
		len = n_words * 4u;
	for (uint32_t i = 0; i < len; i++) {
		val = (uint32_t)name_byte(name, i, is_unsigned) + (val << 8);
		if (i % 4u == 3u) {
			out[w++] = val;
			val = pad;
		}
	}
	if (w < n_words)
		out[w++] = val;
	while (w < n_words)
		out[w++] = pad;
}

void dx_hash_with(uint32_t version, const uint32_t seed[4], const char *name, uint32_t len,
		  uint32_t *hash, uint32_t *minor)
{
	uint32_t buf[4] = { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u };
	if (seed[0] | seed[1] | seed[2] | seed[3])
		for (uint32_t i = 0; i < 4; i++)
			buf[i] = seed[i];
	bool is_unsigned = version >= DX_HASH_UNSIGNED_DELTA;
	uint32_t base = is_unsigned ? version - DX_HASH_UNSIGNED_DELTA : version;
	uint32_t h, m = 0, in[8];
	if (base == DX_HASH_HALF_MD4) {
		for (uint32_t off = 0; off < len; off += 32u) {
			pack(name + off, len - off, is_unsigned, in, 8);
			half_md4(buf, in);
		}
		h = buf[1];
		m = buf[2];
	} else if (base == DX_HASH_TEA) {
		for (uint32_t off = 0; off < len; off += 16u) {
			pack(name + off, len - off, is_unsigned, in, 4);
			tea(buf, in);
		}
		h = buf[0];
		m = buf[1];
	} else {
		h = legacy(name, len, is_unsigned);
	}
	h &= ~1u;
	if (h == HTREE_EOF << 1)
		h = (HTREE_EOF - 1u) << 1;
	*hash = h;
	*minor = m;
}

void dx_hash(const nc_fs_t *fs, const char *name, uint32_t len, uint32_t *hash, uint32_t *minor)
{
	dx_hash_with(fs->def_hash + fs->hash_unsigned, fs->hash_seed, name, len, hash, minor);
}
