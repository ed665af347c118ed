/* Elementary functions (see nc/ai_math.h for the accuracy contract).
 * exp: x = n*ln2 + r with |r| <= ln2/2, e^r by its Taylor series to r^13
 * (expf: to r^7, enough for a float), then scaled by 2^n through the
 * exponent bits. log: x = m*2^e with m in
 * [sqrt(1/2), sqrt(2)), log m = 2 atanh(s), s = (m-1)/(m+1), series to s^23.
 * sin/cos: reduce by pi/2 with a three-part pi/2 (Cody-Waite), Taylor series
 * on [-pi/4, pi/4]. Coefficients are the exact Taylor terms 1/k!. */
#include <nc/ai_math.h>
#include <stdint.h>

#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define INV_LN2 1.44269504088896338700e+00
#define PIO2_1 1.57079632673412561417e+00   /* first 33 bits of pi/2 */
#define PIO2_2 6.07710050650619224932e-11   /* next 33 bits */
#define PIO2_3 2.02226624879595063154e-21   /* the rest */
#define INV_PIO2 6.36619772367581382433e-01

static double bits_to_double(uint64_t u)
{
	union { uint64_t u; double d; } v = {.u = u};
	return v.d;
}

static uint64_t double_to_bits(double d)
{
	union { double d; uint64_t u; } v = {.d = d};
	return v.u;
}

/* Round to nearest integer (ties away from zero); |x| < 2^52. */
static double round_near(double x)
{
	double t = (double)(int64_t)(x + (x >= 0 ? 0.5 : -0.5));
	return t;
}

double nc_ai_exp(double x)
{
	if (x != x)
		return x;
	if (x > 709.782712893384)
		return bits_to_double(0x7ff0000000000000ull);
	if (x < -745.2)
		return 0.0;
	double n = round_near(x * INV_LN2);
	double r = (x - n * LN2_HI) - n * LN2_LO;
	double p = 1.0 / 6227020800.0;          /* 1/13! */
	static const double inv_fact[] = {
		1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
		1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0,
		1.0 / 6.0, 0.5, 1.0, 1.0,
	};
	for (unsigned i = 0; i < sizeof inv_fact / sizeof inv_fact[0]; i++)
		p = p * r + inv_fact[i];
	int64_t k = (int64_t)n;
	/* 2^k may be subnormal: scale in two steps. */
	if (k < -1000) {
		p *= bits_to_double((uint64_t)(1023 - 200) << 52);
		k += 200;
	}
	if (k > 1000) {
		p *= bits_to_double((uint64_t)(1023 + 200) << 52);
		k -= 200;
	}
	return p * bits_to_double((uint64_t)(k + 1023) << 52);
}

double nc_ai_log(double x)
{
	if (x != x || x < 0)
		return bits_to_double(0x7ff8000000000000ull);
	if (x == 0)
		return -bits_to_double(0x7ff0000000000000ull);
	if (x == bits_to_double(0x7ff0000000000000ull))
		return x;
	int e = 0;
	if (x < 2.2250738585072014e-308) {  /* subnormal: normalise first */
		x *= 18014398509481984.0;       /* 2^54 */
		e = -54;
	}
	uint64_t u = double_to_bits(x);
	e += (int)((u >> 52) & 0x7ff) - 1023;
	double m = bits_to_double((u & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
	if (m > 1.4142135623730951) {
		m *= 0.5;
		e++;
	}
	double s = (m - 1.0) / (m + 1.0);
	double s2 = s * s;
	double p = 1.0 / 23;
	for (int k = 21; k >= 1; k -= 2)
		p = p * s2 + 1.0 / k;
	double lm = 2.0 * s * p;
	return (e * LN2_HI + lm) + e * LN2_LO;
}

/* sin and cos of r in [-pi/4, pi/4] by Taylor series. */
static double sin_poly(double r)
{
	double r2 = r * r, p = 0;
	static const double c[] = {
		-1.0 / 1307674368000.0, 1.0 / 6227020800.0, -1.0 / 39916800.0, 1.0 / 362880.0,
		-1.0 / 5040.0, 1.0 / 120.0, -1.0 / 6.0,
	};
	for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++)
		p = p * r2 + c[i];
	return r + r * r2 * p;
}

static double cos_poly(double r)
{
	double r2 = r * r, p = 0;
	static const double c[] = {
		1.0 / 20922789888000.0, -1.0 / 87178291200.0, 1.0 / 479001600.0, -1.0 / 3628800.0,
		1.0 / 40320.0, -1.0 / 720.0, 1.0 / 24.0, -0.5,
	};
	for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++)
		p = p * r2 + c[i];
	return 1.0 + r2 * p;
}

/* x = q*pi/2 + r; returns r, sets the quadrant q mod 4. */
static double reduce_pio2(double x, unsigned *quadrant)
{
	if (!(x > -1e15 && x < 1e15)) {  /* NaN, inf or beyond the reduction's range */
		*quadrant = 0;
		return bits_to_double(0x7ff8000000000000ull);
	}
	double n = round_near(x * INV_PIO2);
	double r = ((x - n * PIO2_1) - n * PIO2_2) - n * PIO2_3;
	*quadrant = (unsigned)((int64_t)n & 3);
	return r;
}

double nc_ai_sin(double x)
{
	unsigned q;
	double r = reduce_pio2(x, &q);
	switch (q) {
	case 0: return sin_poly(r);
	case 1: return cos_poly(r);
	case 2: return -sin_poly(r);
	default: return -cos_poly(r);
	}
}

double nc_ai_cos(double x)
{
	unsigned q;
	double r = reduce_pio2(x, &q);
	switch (q) {
	case 0: return cos_poly(r);
	case 1: return -sin_poly(r);
	case 2: return -cos_poly(r);
	default: return sin_poly(r);
	}
}

double nc_ai_sqrt(double x)
{
	__asm__("sqrtsd %1, %0" : "=x"(x) : "x"(x));
	return x;
}

float nc_ai_sqrtf(float x)
{
	__asm__("sqrtss %1, %0" : "=x"(x) : "x"(x));
	return x;
}

#define EXPF_OVERFLOW 88.8    /* above log(FLT_MAX) = 88.7228: the result rounds to inf */
#define EXPF_UNDERFLOW -104.0 /* below log of half the smallest subnormal: 0 */

/* The float result needs far fewer terms than nc_ai_exp: in double, e^r for
 * |r| <= ln2/2 by its Taylor series to r^7 (truncation below 0.347^8 / 8! =
 * 5.7e-9 relative), evaluated in a short-latency order (Estrin's scheme);
 * 2^n stays a normal double for these x, and the one rounding to float
 * (half an ulp) keeps the sum of errors within 1 ulp. The softmax and SiLU
 * of every forward pass call this. */
float nc_ai_expf(float xf)
{
	double x = xf;
	if (x != x)
		return xf;
	if (x > EXPF_OVERFLOW)
		return (float)bits_to_double(0x7ff0000000000000ull);
	if (x < EXPF_UNDERFLOW)
		return 0.0f;
	double n = round_near(x * INV_LN2);
	double r = (x - n * LN2_HI) - n * LN2_LO;
	double r2 = r * r;
	double p = ((1.0 + r) + r2 * (0.5 + r * (1.0 / 6.0))) +
	           (r2 * r2) * ((1.0 / 24.0 + r * (1.0 / 120.0)) + r2 * (1.0 / 720.0 + r * (1.0 / 5040.0)));
	return (float)(p * bits_to_double((uint64_t)((int64_t)n + 1023) << 52));
}
