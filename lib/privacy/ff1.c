/* FF1, NIST SP 800-38G Rev. 1 6.2 (Algorithm 7 encrypt, Algorithm 8
 * decrypt): a 10-round Feistel network whose round function is the AES
 * CBC-MAC (PRF) of P || Q, extended by AES in counter fashion to d bytes.
 * fpe.c checked every argument; this file only computes. Step numbers in the
 * comments are Algorithm 7's. */
#include <nc/mem.h>
#include "privacy_internal.h"

#define FF1_ROUNDS 10u
/* P (16) || Q (tweak, padding to a block, round byte, NUM_radix(B) in b bytes) */
#define FF1_PQ_MAX (PRIVACY_AES_BLOCK + NC_FPE_FF1_MAX_TWEAK_BYTES + PRIVACY_AES_BLOCK + FPE_NUM_MAX_BYTES)

typedef struct {
	const nc_fpe_t *f;
	uint32_t radix;
	const uint8_t *tweak;
	size_t t;       /* tweak bytes */
	size_t n, u, v; /* lengths: u = floor(n/2), v = n - u */
	size_t b, d;    /* steps 3 and 4 */
} ff1_t;

static void put_be32(uint8_t *p, uint32_t x)
{
	p[0] = (uint8_t)(x >> 24);
	p[1] = (uint8_t)(x >> 16);
	p[2] = (uint8_t)(x >> 8);
	p[3] = (uint8_t)x;
}

/* Steps 6.i-6.iv: S (d bytes) of round i for the numeral string num[0..len). */
static void round_value(const ff1_t *c, unsigned i, const uint16_t *num, size_t len, uint8_t *s)
{
	uint8_t pq[FF1_PQ_MAX];
	/* Step 5: P = [1][2][1] [radix]^3 [10] [u mod 256] [n]^4 [t]^4. */
	pq[0] = 1;
	pq[1] = 2;
	pq[2] = 1;
	pq[3] = (uint8_t)(c->radix >> 16);
	pq[4] = (uint8_t)(c->radix >> 8);
	pq[5] = (uint8_t)c->radix;
	pq[6] = FF1_ROUNDS;
	pq[7] = (uint8_t)c->u;
	put_be32(pq + 8, (uint32_t)c->n);
	put_be32(pq + 12, (uint32_t)c->t);
	/* Step 6.i: Q = T || [0]^((-t-b-1) mod 16) || [i] || [NUM_radix(B)]^b. */
	size_t pad = (PRIVACY_AES_BLOCK - (c->t + c->b + 1) % PRIVACY_AES_BLOCK) % PRIVACY_AES_BLOCK;
	size_t q = PRIVACY_AES_BLOCK;
	nc_mem_copy(pq + q, c->tweak, c->t);
	q += c->t;
	nc_mem_set(pq + q, 0, pad);
	q += pad;
	pq[q++] = (uint8_t)i;
	fpe_num_to_bytes(num, len, c->radix, pq + q, c->b);
	q += c->b;
	/* Step 6.ii: R = PRF(P || Q). */
	uint8_t r[PRIVACY_AES_BLOCK];
	privacy_aes_cbc_mac(c->f->aes, pq, q, r);
	/* Step 6.iii: S = R || CIPH(R xor [1]^16) || CIPH(R xor [2]^16) ..., d bytes. */
	for (size_t j = 0; j * PRIVACY_AES_BLOCK < c->d; j++) {
		uint8_t blk[PRIVACY_AES_BLOCK];
		nc_mem_copy(blk, r, PRIVACY_AES_BLOCK);
		if (j > 0) {
			uint8_t cnt[4];
			put_be32(cnt, (uint32_t)j);
			for (unsigned k = 0; k < 4; k++)
				blk[PRIVACY_AES_BLOCK - 4 + k] ^= cnt[k];
			privacy_aes_block(c->f->aes, blk);
		}
		size_t take = c->d - j * PRIVACY_AES_BLOCK;
		nc_mem_copy(s + j * PRIVACY_AES_BLOCK, blk, take < PRIVACY_AES_BLOCK ? take : PRIVACY_AES_BLOCK);
		nc_mem_wipe(blk, sizeof blk);
	}
	nc_mem_wipe(pq, q);
	nc_mem_wipe(r, sizeof r);
}

void fpe_ff1_crypt(const nc_fpe_t *f, uint32_t radix, const uint8_t *tweak, size_t tweak_len,
		   const uint16_t *in, size_t n, uint16_t *out, bool decrypt)
{
	ff1_t c = { .f = f, .radix = radix, .tweak = tweak, .t = tweak_len, .n = n };
	c.u = n / 2;
	c.v = n - c.u;
	c.b = fpe_num_bytes_for(radix, c.v);
	c.d = 4 * ((c.b + 3) / 4) + 4;
	/* Halves of at most v digits each; a[] is the half the round changes. */
	uint16_t h0[NC_FPE_MAX_DIGITS / 2 + 1], h1[NC_FPE_MAX_DIGITS / 2 + 1];
	uint16_t *a = h0, *b = h1;
	uint8_t s[FPE_NUM_MAX_BYTES + PRIVACY_AES_BLOCK];
	size_t la = c.u, lb = c.v;
	nc_mem_copy(a, in, la * sizeof *a);
	nc_mem_copy(b, in + la, lb * sizeof *b);
	for (unsigned k = 0; k < FF1_ROUNDS; k++) {
		if (!decrypt) {
			/* Steps 6.i-6.ix: C = STR(NUM(A) + y mod radix^m); A = B; B = C. */
			round_value(&c, k, b, lb, s);
			fpe_num_add_bytes(a, la, radix, s, c.d, false);
		} else {
			/* Algorithm 8: i from 9 down; C = STR(NUM(B) - y mod radix^m); B = A; A = C. */
			unsigned i = FF1_ROUNDS - 1 - k;
			round_value(&c, i, a, la, s);
			fpe_num_add_bytes(b, lb, radix, s, c.d, true);
		}
		fpe_num_swap(&a, &la, &b, &lb); /* the new half and the other change places */
	}
	nc_mem_copy(out, a, la * sizeof *a);
	nc_mem_copy(out + la, b, lb * sizeof *b);
	nc_mem_wipe(h0, sizeof h0);
	nc_mem_wipe(h1, sizeof h1);
	nc_mem_wipe(s, sizeof s);
}
