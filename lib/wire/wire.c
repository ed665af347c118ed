/* lib/wire error names and UTF-8 validation (RFC 3629 section 4 syntax). */
#include <nc/wire.h>

const char *nc_wire_err_name(nc_wire_err_t err)
{
	switch (err) {
	case NC_WIRE_OK: return "NC_WIRE_OK";
	case NC_WIRE_ERR_OVERFLOW: return "NC_WIRE_ERR_OVERFLOW";
	case NC_WIRE_ERR_TRUNCATED: return "NC_WIRE_ERR_TRUNCATED";
	case NC_WIRE_ERR_VARINT_OVERLONG: return "NC_WIRE_ERR_VARINT_OVERLONG";
	case NC_WIRE_ERR_VARINT_RANGE: return "NC_WIRE_ERR_VARINT_RANGE";
	case NC_WIRE_ERR_BAD_TAG: return "NC_WIRE_ERR_BAD_TAG";
	case NC_WIRE_ERR_BAD_UTF8: return "NC_WIRE_ERR_BAD_UTF8";
	case NC_WIRE_ERR_TOO_LONG: return "NC_WIRE_ERR_TOO_LONG";
	case NC_WIRE_ERR_TRAILING: return "NC_WIRE_ERR_TRAILING";
	}
	return "NC_WIRE_ERR_UNKNOWN";
}

static bool is_cont(uint8_t b) { return (b & 0xc0) == 0x80; }

/* Length of the well-formed sequence at s[0..n), or 0 if there is none.
 * The second-byte ranges exclude overlong forms (E0, F0), surrogates (ED) and
 * code points above U+10FFFF (F4), as RFC 3629's UTF8-2..UTF8-4 rules do. */
static size_t sequence_len(const uint8_t *s, size_t n)
{
	uint8_t b = s[0];
	if (b < 0x80)
		return 1;
	size_t len;
	uint8_t lo = 0x80, hi = 0xbf;
	if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		if (b == 0xe0) lo = 0xa0;
		if (b == 0xed) hi = 0x9f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		if (b == 0xf0) lo = 0x90;
		if (b == 0xf4) hi = 0x8f;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (!is_cont(s[i]))
			return 0;
	return len;
}

bool nc_wire_utf8_valid(const uint8_t *s, size_t len_bytes)
{
	size_t i = 0;
	while (i < len_bytes) {
		size_t n = sequence_len(s + i, len_bytes - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}
