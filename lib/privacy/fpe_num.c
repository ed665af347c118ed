/* Numeral-string arithmetic of SP 800-38G (4.5: NUM_radix, NUM, STR^m_radix,
 * REV) without a general big-integer type: FF1 and FF3-1 only ever need
 *   bytes <- NUM_radix(digits)                       (fpe_num_to_bytes)
 *   digits <- (NUM_radix(digits) +- NUM(bytes)) mod radix^m (fpe_num_add_bytes)
 * so the sum is formed digit by digit, least significant first, while
 * NUM(bytes) is divided down by radix one digit at a time. Loop counts depend
 * only on m, radix and the byte lengths, never on digit values. All products
 * stay below 2^32: a byte times radix (<= 2^16) plus a carry below 2^16. */
#include <nc/mem.h>
#include "privacy_internal.h"

void fpe_num_to_bytes(const uint16_t *x, size_t m, uint32_t radix, uint8_t *out, size_t out_len)
{
	nc_mem_set(out, 0, out_len);
	for (size_t i = 0; i < m; i++) {
		uint32_t carry = x[i];
		for (size_t k = out_len; k-- > 0;) {
			uint32_t cur = (uint32_t)out[k] * radix + carry;
			out[k] = (uint8_t)cur;
			carry = cur >> 8;
		}
	}
}

/* q = q / radix in place (big-endian bytes); returns q mod radix. */
static uint32_t divide_bytes(uint8_t *q, size_t len, uint32_t radix)
{
	uint32_t rem = 0;
	for (size_t k = 0; k < len; k++) {
		uint32_t cur = rem << 8 | q[k];
		q[k] = (uint8_t)(cur / radix);
		rem = cur % radix;
	}
	return rem;
}

void fpe_num_add_bytes(uint16_t *x, size_t m, uint32_t radix, const uint8_t *y, size_t y_len,
		       bool subtract)
{
	uint8_t q[FPE_NUM_MAX_BYTES + PRIVACY_AES_BLOCK];
	nc_mem_copy(q, y, y_len);
	uint32_t carry = 0; /* carry (add) or borrow (subtract), 0 or 1 */
	for (size_t j = m; j-- > 0;) {
		uint32_t yd = divide_bytes(q, y_len, radix);
		if (subtract) {
			/* x - yd - borrow, in -radix..radix-1 */
			uint32_t s = (uint32_t)x[j] - yd - carry;
			carry = s >> 31;
			x[j] = (uint16_t)(s + (radix & (0u - carry)));
		} else {
			/* x + yd + carry, in 0..2*radix-1 */
			uint32_t s = (uint32_t)x[j] + yd + carry;
			uint32_t ge = (uint32_t)((s - radix) >> 31) ^ 1u; /* s >= radix */
			carry = ge;
			x[j] = (uint16_t)(s - (radix & (0u - ge)));
		}
	}
	nc_mem_wipe(q, y_len);
}

size_t fpe_num_bytes_for(uint32_t radix, size_t v)
{
	/* radix^v little-endian, then minus one; its significant bytes are b. */
	uint8_t p[FPE_NUM_MAX_BYTES + 2];
	size_t len = 1;
	p[0] = 1;
	for (size_t i = 0; i < v; i++) {
		uint32_t carry = 0;
		for (size_t k = 0; k < len; k++) {
			uint32_t cur = (uint32_t)p[k] * radix + carry;
			p[k] = (uint8_t)cur;
			carry = cur >> 8;
		}
		while (carry) {
			p[len++] = (uint8_t)carry;
			carry >>= 8;
		}
	}
	for (size_t k = 0; k < len; k++) { /* subtract one (radix^v >= 1) */
		if (p[k]--)
			break;
	}
	while (len > 0 && p[len - 1] == 0)
		len--;
	return len;
}

void fpe_num_reverse(uint16_t *x, size_t m)
{
	for (size_t i = 0, j = m; i + 1 < j; i++, j--) {
		uint16_t t = x[i];
		x[i] = x[j - 1];
		x[j - 1] = t;
	}
}

void fpe_num_swap(uint16_t **a, size_t *la, uint16_t **b, size_t *lb)
{
	uint16_t *t = *a;
	size_t lt = *la;
	*a = *b;
	*la = *lb;
	*b = t;
	*lb = lt;
}
