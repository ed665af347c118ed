/* FF3-1, NIST SP 800-38G Rev. 1 6.3 (Algorithm 9 encrypt, Algorithm 10
 * decrypt): an 8-round Feistel network over the halves read in reverse digit
 * order, whose round function is one AES call on byte-reversed blocks; the
 * 56-bit tweak is split into two 32-bit halves TL and TR (step 3). fpe.c
 * checked every argument and expanded the byte-reversed key; this file only
 * computes. */
#include <nc/mem.h>
#include "privacy_internal.h"

#define FF3_1_ROUNDS 8u
#define FF3_1_NUM_BYTES 12u
/* nc_fpe_ff3_1_max_len(2): 2 * floor(96 / 1) */
#define FF3_1_MAX_DIGITS 192u

static void reverse_bytes(uint8_t *p, size_t len)
{
	for (size_t i = 0, j = len; i + 1 < j; i++, j--) {
		uint8_t t = p[i];
		p[i] = p[j - 1];
		p[j - 1] = t;
	}
}

/* Steps 4.ii-4.iv: S = REVB(CIPH_REVB(K)(REVB(W xor [i]^4 || [NUM_radix(REV(num))]^12))). */
static void round_value(const nc_fpe_t *f, uint32_t radix, const uint8_t w[4], unsigned i,
			const uint16_t *num, size_t len, uint8_t s[PRIVACY_AES_BLOCK])
{
	uint16_t rev[FF3_1_MAX_DIGITS];
	nc_mem_copy(rev, num, len * sizeof *rev);
	fpe_num_reverse(rev, len);
	nc_mem_copy(s, w, 4);
	s[3] ^= (uint8_t)i;
	fpe_num_to_bytes(rev, len, radix, s + 4, FF3_1_NUM_BYTES);
	reverse_bytes(s, PRIVACY_AES_BLOCK);
	privacy_aes_block(f->aes, s);
	reverse_bytes(s, PRIVACY_AES_BLOCK);
	nc_mem_wipe(rev, len * sizeof *rev);
}

/* Steps 4.v-4.vi on x[0..m): x = REV(STR^m((NUM_radix(REV(x)) +- NUM(S)) mod radix^m)). */
static void combine(uint16_t *x, size_t m, uint32_t radix, const uint8_t s[PRIVACY_AES_BLOCK], bool subtract)
{
	fpe_num_reverse(x, m);
	fpe_num_add_bytes(x, m, radix, s, PRIVACY_AES_BLOCK, subtract);
	fpe_num_reverse(x, m);
}

void fpe_ff3_1_crypt(const nc_fpe_t *f, uint32_t radix, const uint8_t tweak[NC_FPE_FF3_1_TWEAK_BYTES],
		     const uint16_t *in, size_t n, uint16_t *out, bool decrypt)
{
	/* Step 1: u = ceil(n/2), v = n - u. Step 3: TL = T[0..27] || 0^4,
	 * TR = T[32..55] || T[28..31] || 0^4 (bit ranges). */
	size_t u = (n + 1) / 2, v = n - u;
	const uint8_t tl[4] = { tweak[0], tweak[1], tweak[2], (uint8_t)(tweak[3] & 0xf0) };
	const uint8_t tr[4] = { tweak[4], tweak[5], tweak[6], (uint8_t)(tweak[3] << 4) };
	uint16_t h0[FF3_1_MAX_DIGITS], h1[FF3_1_MAX_DIGITS];
	uint16_t *a = h0, *b = h1;
	uint8_t s[PRIVACY_AES_BLOCK];
	nc_mem_copy(a, in, u * sizeof *a);
	nc_mem_copy(b, in + u, v * sizeof *b);
	size_t la = u, lb = v;
	for (unsigned k = 0; k < FF3_1_ROUNDS; k++) {
		unsigned i = decrypt ? FF3_1_ROUNDS - 1 - k : k;
		const uint8_t *w = i % 2 == 0 ? tr : tl; /* step 4.i */
		if (!decrypt) {
			/* Algorithm 9: C from A and B; A = B; B = C. */
			round_value(f, radix, w, i, b, lb, s);
			combine(a, la, radix, s, false);
		} else {
			/* Algorithm 10: C from B and A; B = A; A = C. */
			round_value(f, radix, w, i, a, la, s);
			combine(b, lb, radix, s, true);
		}
		fpe_num_swap(&a, &la, &b, &lb);
	}
	nc_mem_copy(out, a, la * sizeof *a);
	nc_mem_copy(out + la, b, lb * sizeof *b);
	nc_mem_wipe(h0, sizeof h0);
	nc_mem_wipe(h1, sizeof h1);
	nc_mem_wipe(s, sizeof s);
}
