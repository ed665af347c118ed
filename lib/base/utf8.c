/* UTF-8 (nc/utf8.h), RFC 3629 section 3 and 4. */
#include <nc/utf8.h>

uint32_t nc_utf8_next(const char *s, size_t len, size_t *i)
{
	const uint8_t *p = (const uint8_t *)s + *i;
	size_t left = len - *i;
	uint8_t b = p[0];
	(*i)++;
	if (b < 0x80)
		return b;
	size_t n = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
	if (!n || n > left)
		return NC_UTF8_REPLACEMENT;
	uint32_t cp = b & (0x7f >> n);
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return NC_UTF8_REPLACEMENT;
		cp = cp << 6 | (p[k] & 0x3f);
	}
	static const uint32_t min_of[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min_of[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return NC_UTF8_REPLACEMENT;
	*i += n - 1;
	return cp;
}

size_t nc_utf8_encode(uint32_t cp, char out[NC_UTF8_MAX_BYTES])
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = NC_UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}
