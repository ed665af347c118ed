/* UTF-8 decoding (RFC 3629): shortest forms only, no surrogates, at most
 * U+10FFFF; anything else is one byte of U+FFFD. */
#include <nc/font.h>

enum { REPLACEMENT = 0xfffd };

uint32_t nc_font_utf8_next(const char *s, size_t len, size_t *i)
{
	const uint8_t *p = (const uint8_t *)s + *i;
	size_t left = len - *i;
	uint8_t b = p[0];
	(*i)++;
	if (b < 0x80)
		return b;
	size_t n = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
	if (!n || n > left || b >= 0xf5)
		return REPLACEMENT;
	uint32_t cp = b & (0x7f >> n);
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return REPLACEMENT;
		cp = cp << 6 | (p[k] & 0x3f);
	}
	static const uint32_t min_of[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min_of[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return REPLACEMENT;
	*i += n - 1;
	return cp;
}
