/* Float text without libc. Formatting: shortest digits that read back to the same
 * double, by the free-format algorithm of Steele & White ("How to Print
 * Floating-Point Numbers Accurately", PLDI 1990; Dragon4) on exact big integers.
 * Parsing: exact big-integer division, rounded to nearest-even (IEEE 754 4.3.1),
 * subnormals included. Big integers are fixed-size (BIG_LIMBS * 32 bits), enough
 * for 10^(NCS_MAX_DIGITS + 350) shifted by 64 bits. */
#include "value.h"
#include <nc/mem.h>

#define BIG_LIMBS 200
#define NCS_MAX_DIGITS 768

typedef struct {
	uint32_t n;                /* used limbs, no leading zero limbs */
	uint32_t d[BIG_LIMBS];
} big_t;

static void big_set(big_t *a, uint64_t v)
{
	a->n = 0;
	while (v) {
		a->d[a->n++] = (uint32_t)v;
		v >>= 32;
	}
}

static void big_mul_small(big_t *a, uint32_t m, uint32_t add)
{
	uint64_t carry = add;
	for (uint32_t i = 0; i < a->n; i++) {
		uint64_t t = (uint64_t)a->d[i] * m + carry;
		a->d[i] = (uint32_t)t;
		carry = t >> 32;
	}
	if (carry && a->n < BIG_LIMBS)
		a->d[a->n++] = (uint32_t)carry;
}

static void big_mul_pow10(big_t *a, uint32_t k)
{
	while (k >= 9) {
		big_mul_small(a, 1000000000u, 0);
		k -= 9;
	}
	static const uint32_t p10[9] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000 };
	if (k)
		big_mul_small(a, p10[k], 0);
}

static void big_shl(big_t *a, uint32_t bits)
{
	uint32_t limbs = bits / 32, b = bits % 32;
	if (a->n == 0)
		return;
	if (a->n + limbs + 1 > BIG_LIMBS)
		limbs = BIG_LIMBS - a->n - 1;
	uint32_t top = 0;
	if (b)
		top = a->d[a->n - 1] >> (32 - b);
	for (uint32_t i = a->n; i-- > 0;) {
		uint32_t v = a->d[i] << b;
		if (b && i > 0)
			v |= a->d[i - 1] >> (32 - b);
		a->d[i + limbs] = v;
	}
	for (uint32_t i = 0; i < limbs; i++)
		a->d[i] = 0;
	a->n += limbs;
	if (top)
		a->d[a->n++] = top;
}

static void big_shr1(big_t *a)
{
	for (uint32_t i = 0; i < a->n; i++)
		a->d[i] = (a->d[i] >> 1) | (i + 1 < a->n ? a->d[i + 1] << 31 : 0);
	while (a->n && a->d[a->n - 1] == 0)
		a->n--;
}

static int big_cmp(const big_t *a, const big_t *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (uint32_t i = a->n; i-- > 0;)
		if (a->d[i] != b->d[i])
			return a->d[i] < b->d[i] ? -1 : 1;
	return 0;
}

static void big_add(big_t *r, const big_t *a, const big_t *b)
{
	uint32_t n = a->n > b->n ? a->n : b->n;
	uint64_t carry = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t t = carry + (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0);
		r->d[i] = (uint32_t)t;
		carry = t >> 32;
	}
	r->n = n;
	if (carry && n < BIG_LIMBS)
		r->d[r->n++] = (uint32_t)carry;
}

/* a -= b, requires a >= b */
static void big_sub(big_t *a, const big_t *b)
{
	int64_t borrow = 0;
	for (uint32_t i = 0; i < a->n; i++) {
		int64_t t = (int64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
		borrow = t < 0;
		a->d[i] = (uint32_t)(t + (borrow << 32));
	}
	while (a->n && a->d[a->n - 1] == 0)
		a->n--;
}

static uint32_t big_bits(const big_t *a)
{
	if (!a->n)
		return 0;
	return (a->n - 1) * 32 + (32 - (uint32_t)__builtin_clz(a->d[a->n - 1]));
}

static uint64_t bits_of(double v) { uint64_t u; nc_mem_copy(&u, &v, 8); return u; }
static double double_of(uint64_t u) { double v; nc_mem_copy(&v, &u, 8); return v; }

/* ---------- formatting ---------- */

/* The free-format state: v = r/s, and the rounding interval is (r - mm, r + mp)/s. */
typedef struct {
	big_t r, s, mp, mm, t;
	bool even;                 /* mantissa even: interval ends round to v (ties to even) */
} dragon_t;

/* Set up r, s, m+, m- for v > 0 (Steele & White, table 2), then scale by 10^k so
 * that 0.1 <= (r + m+)/s < 1. Returns k: v = 0.d1d2... * 10^k. */
static int dragon_setup(dragon_t *g, double v)
{
	uint64_t u = bits_of(v);
	int be = (int)((u >> 52) & 0x7ff), e;
	uint64_t f = u & ((1ull << 52) - 1);
	if (be == 0) {
		e = -1074;
	} else {
		f |= 1ull << 52;
		e = be - 1075;
	}
	g->even = (f & 1) == 0;
	bool unequal = be > 1 && f == (1ull << 52); /* gap below is half the gap above */
	big_set(&g->r, f);
	big_set(&g->mp, 1);
	big_set(&g->mm, 1);
	if (e >= 0) {
		big_shl(&g->mp, (uint32_t)e);
		big_shl(&g->mm, (uint32_t)e);
		big_shl(&g->r, (uint32_t)e + 1);
		big_set(&g->s, 2);
	} else {
		big_shl(&g->r, 1);
		big_set(&g->s, 1);
		big_shl(&g->s, (uint32_t)(1 - e));
	}
	if (unequal) {
		big_shl(&g->r, 1);
		big_shl(&g->s, 1);
		big_shl(&g->mp, 1);
	}
	/* estimate k = ceil(log10(v)) from the bit length, then fix it up */
	int k = (int)((double)(64 - __builtin_clzll(f) + e - 1) * 0.30102999566398114) + 1;
	if (k > 0) {
		big_mul_pow10(&g->s, (uint32_t)k);
	} else if (k < 0) {
		big_mul_pow10(&g->r, (uint32_t)-k);
		big_mul_pow10(&g->mp, (uint32_t)-k);
		big_mul_pow10(&g->mm, (uint32_t)-k);
	}
	for (;;) { /* estimate too small: r + m+ reaches s */
		big_add(&g->t, &g->r, &g->mp);
		int c = big_cmp(&g->t, &g->s);
		if (!(c > 0 || (g->even && c == 0)))
			break;
		big_mul_small(&g->s, 10, 0);
		k++;
	}
	for (;;) { /* estimate too large: (r + m+) * 10 below s */
		big_add(&g->t, &g->r, &g->mp);
		big_mul_small(&g->t, 10, 0);
		int c = big_cmp(&g->t, &g->s);
		if (!(c < 0 || (!g->even && c == 0)))
			break;
		big_mul_small(&g->r, 10, 0);
		big_mul_small(&g->mp, 10, 0);
		big_mul_small(&g->mm, 10, 0);
		k--;
	}
	return k;
}

/* Shortest digits of v > 0 (finite): digits[0..*n), value = 0.d1d2.. * 10^*k.
 * Generates digits until the rest of the interval admits stopping (low: rounding
 * down stays above v - m-; high: rounding up stays below v + m+). */
static void shortest_digits(double v, char *digits, int *n, int *k)
{
	dragon_t g;
	*k = dragon_setup(&g, v);
	int len = 0;
	for (;;) {
		big_mul_small(&g.r, 10, 0);
		big_mul_small(&g.mp, 10, 0);
		big_mul_small(&g.mm, 10, 0);
		int d = 0;
		while (big_cmp(&g.r, &g.s) >= 0) {
			big_sub(&g.r, &g.s);
			d++;
		}
		int cl = big_cmp(&g.r, &g.mm);
		bool low = cl < 0 || (g.even && cl == 0);
		big_add(&g.t, &g.r, &g.mp);
		int ch = big_cmp(&g.t, &g.s);
		bool high = ch > 0 || (g.even && ch == 0);
		if (low && high) { /* both ends possible: take the nearer (ties round up) */
			big_add(&g.t, &g.r, &g.r);
			d += big_cmp(&g.t, &g.s) >= 0;
		} else if (high) {
			d++;
		}
		digits[len++] = (char)('0' + d);
		if (low || high)
			break;
	}
	*n = len;
}

size_t nc_ncs_format_float(double v, char *buf, size_t cap)
{
	char out[NC_NCS_FLOAT_TEXT_MAX + 8], digits[24];
	size_t o = 0;
	uint64_t u = bits_of(v);
	bool neg = u >> 63;
	if (((u >> 52) & 0x7ff) == 0x7ff) {
		const char *s = (u & ((1ull << 52) - 1)) ? "NaN" : neg ? "-inf" : "inf";
		o = nc_str_len(s);
		nc_mem_copy(out, s, o);
	} else {
		if (neg)
			out[o++] = '-';
		if ((u << 1) == 0) {
			nc_mem_copy(out + o, "0.0", 3);
			o += 3;
		} else {
			int n, k;
			shortest_digits(neg ? -v : v, digits, &n, &k);
			if (k > -5 && k <= 21) {
				if (k <= 0) {
					out[o++] = '0';
					out[o++] = '.';
					for (int i = 0; i < -k; i++)
						out[o++] = '0';
					nc_mem_copy(out + o, digits, (size_t)n);
					o += (size_t)n;
				} else if (k >= n) {
					nc_mem_copy(out + o, digits, (size_t)n);
					o += (size_t)n;
					for (int i = n; i < k; i++)
						out[o++] = '0';
					out[o++] = '.';
					out[o++] = '0';
				} else {
					nc_mem_copy(out + o, digits, (size_t)k);
					o += (size_t)k;
					out[o++] = '.';
					nc_mem_copy(out + o, digits + k, (size_t)(n - k));
					o += (size_t)(n - k);
				}
			} else {
				out[o++] = digits[0];
				if (n > 1) {
					out[o++] = '.';
					nc_mem_copy(out + o, digits + 1, (size_t)(n - 1));
					o += (size_t)(n - 1);
				}
				out[o++] = 'e';
				o += ncs_format_int(k - 1, out + o);
			}
		}
	}
	if (cap) {
		size_t c = o < cap - 1 ? o : cap - 1;
		nc_mem_copy(buf, out, c);
		buf[c] = 0;
	}
	return o;
}

/* ---------- parsing ---------- */

/* Decimal text -> significant digits (no leading zeros) and exponent: the value
 * is d1d2...dn * 10^e10. False when the text is not one number. */
static bool scan_decimal(const char *s, size_t len, char *digits, int *nd, int *e10)
{
	size_t i = 0;
	bool point = false;
	*nd = 0;
	*e10 = 0;
	if (len == 0 || s[0] < '0' || s[0] > '9')
		return false;
	for (; i < len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (point)
				(*e10)--;
			if (*nd == 0 && c == '0')
				continue;
			if (*nd == NCS_MAX_DIGITS)
				return false;
			digits[(*nd)++] = c;
		} else if (c == '.' && !point) {
			point = true;
			if (i + 1 >= len || s[i + 1] < '0' || s[i + 1] > '9')
				return false;
		} else {
			break;
		}
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		bool eneg = false;
		int ev = 0;
		if (++i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i >= len)
			return false;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			if (ev < 100000)
				ev = ev * 10 + (s[i] - '0');
		*e10 += eneg ? -ev : ev;
	}
	return i == len;
}

/* q * 2^-s2 with q in [2^53, 2^54) and a sticky bit for discarded nonzero bits,
 * rounded to the nearest double (ties to even), subnormals and overflow included. */
static double round_binary(uint64_t q, int s2, bool sticky)
{
	int E = 53 - s2; /* value in [2^E, 2^(E+1)) */
	int drop = E >= -1022 ? 1 : s2 - 1074;
	if (drop >= 60)
		return 0.0;
	uint64_t rem = q & ((1ull << drop) - 1), half = 1ull << (drop - 1), m = q >> drop;
	if (rem > half || (rem == half && (sticky || (m & 1))))
		m++;
	if (drop != 1)
		return double_of(m); /* subnormal (m == 2^52 is the smallest normal) */
	if (m == (1ull << 53)) {
		m >>= 1;
		E++;
	}
	if (E + 1023 >= 2047)
		return double_of(0x7ffull << 52);
	return double_of(((uint64_t)(E + 1023) << 52) | (m & ((1ull << 52) - 1)));
}

bool nc_ncs_parse_float(const char *s, size_t len, double *out)
{
	big_t num, den;
	char digits[NCS_MAX_DIGITS];
	int nd, e10;
	if (!scan_decimal(s, len, digits, &nd, &e10))
		return false;
	if (nd == 0 || nd + e10 < -330) {
		*out = 0.0;
		return true;
	}
	if (nd + e10 > 310) {
		*out = double_of(0x7ffull << 52);
		return true;
	}
	big_set(&num, (uint64_t)(digits[0] - '0'));
	for (int j = 1; j < nd; j++)
		big_mul_small(&num, 10, (uint32_t)(digits[j] - '0'));
	big_set(&den, 1);
	if (e10 >= 0)
		big_mul_pow10(&num, (uint32_t)e10);
	else
		big_mul_pow10(&den, (uint32_t)-e10);
	/* scale so that num/den lies in [2^54, 2^56) */
	int s2 = 55 - ((int)big_bits(&num) - (int)big_bits(&den));
	if (s2 > 0)
		big_shl(&num, (uint32_t)s2);
	else if (s2 < 0)
		big_shl(&den, (uint32_t)-s2);
	/* binary long division: 57 quotient bits */
	big_shl(&den, 56);
	uint64_t q = 0;
	for (int b = 0; b <= 56; b++) {
		q <<= 1;
		if (big_cmp(&num, &den) >= 0) {
			big_sub(&num, &den);
			q |= 1;
		}
		big_shr1(&den);
	}
	bool sticky = num.n != 0;
	while (q >= (1ull << 54)) { /* normalise q to [2^53, 2^54) */
		sticky |= q & 1;
		q >>= 1;
		s2--;
	}
	*out = round_binary(q, s2, sticky);
	return true;
}
