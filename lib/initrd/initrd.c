/* ustar reader (see nc/initrd.h). Header layout: POSIX.1-2008 pax(1),
 * "ustar Interchange Format": name[100] at 0, size[12] at 124, chksum[8] at 148,
 * typeflag at 156, magic "ustar" at 257, prefix[155] at 345; 512-byte blocks. */
#include <nc/initrd.h>
#include <nc/mem.h>

enum {
	BLOCK = 512, NAME_OFF = 0, NAME_LEN = 100, SIZE_OFF = 124, SIZE_LEN = 12,
	SUM_OFF = 148, SUM_LEN = 8, TYPE_OFF = 156, MAGIC_OFF = 257, PREFIX_OFF = 345,
	PREFIX_LEN = 155,
};
_Static_assert(NC_INITRD_NAME_MAX >= PREFIX_LEN + 1 + NAME_LEN + 1, "a full ustar path fits an entry's name");

void nc_initrd_iter_init(nc_initrd_iter_t *it, const uint8_t *buf, size_t len_bytes)
{
	it->buf = buf;
	it->len_bytes = len_bytes;
	it->pos = 0;
}

/* Octal field: digits, optionally led by spaces and ended by NUL or space. */
static bool parse_octal(const uint8_t *f, size_t n, uint64_t *out)
{
	size_t i = 0;
	uint64_t v = 0;
	while (i < n && f[i] == ' ')
		i++;
	size_t digits = 0;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
		if (v >> 60)
			return false;
		v = v * 8 + (uint64_t)(f[i] - '0');
	}
	for (; i < n; i++)
		if (f[i] != 0 && f[i] != ' ')
			return false;
	*out = v;
	return digits > 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static bool checksum_ok(const uint8_t *h)
{
	uint64_t stored;
	if (!parse_octal(h + SUM_OFF, SUM_LEN, &stored))
		return false;
	uint64_t sum = 0;
	for (int i = 0; i < BLOCK; i++)
		sum += (i >= SUM_OFF && i < SUM_OFF + SUM_LEN) ? ' ' : h[i];
	return sum == stored;
}

/* name = prefix "/" name, without a leading "./" or "/" and a trailing "/".
 * out has NC_INITRD_NAME_MAX bytes: room for both full fields, the slash and the NUL. */
static void build_name(const uint8_t *h, char *out)
{
	size_t plen = nc_str_len_max((const char *)h + PREFIX_OFF, PREFIX_LEN);
	size_t nlen = nc_str_len_max((const char *)h + NAME_OFF, NAME_LEN);
	size_t k = 0;
	if (plen) {
		nc_mem_copy(out, h + PREFIX_OFF, plen);
		out[plen] = '/';
		k = plen + 1;
	}
	nc_mem_copy(out + k, h + NAME_OFF, nlen);
	k += nlen;
	out[k] = 0;
	size_t skip = 0;
	for (;;) { /* "./" and "/" in any mix: "/./x" is "x" too */
		if (out[skip] == '.' && out[skip + 1] == '/')
			skip += 2;
		else if (out[skip] == '/')
			skip++;
		else
			break;
	}
	nc_mem_move(out, out + skip, k - skip + 1);
	k -= skip;
	while (k > 0 && out[k - 1] == '/')
		out[--k] = 0;
}

nc_initrd_err_t nc_initrd_next(nc_initrd_iter_t *it, nc_initrd_entry_t *out)
{
	if (it->pos >= it->len_bytes)
		return NC_INITRD_END;
	if (it->len_bytes - it->pos < BLOCK)
		return NC_INITRD_ERR_TRUNCATED;
	const uint8_t *h = it->buf + it->pos;
	if (all_zero(h, BLOCK))
		return NC_INITRD_END;
	if (nc_mem_compare(h + MAGIC_OFF, "ustar", 5) != 0)
		return NC_INITRD_ERR_FORMAT;
	if (!checksum_ok(h))
		return NC_INITRD_ERR_CHECKSUM;
	uint64_t size;
	if (!parse_octal(h + SIZE_OFF, SIZE_LEN, &size))
		return NC_INITRD_ERR_FORMAT;
	size_t room = it->len_bytes - it->pos - BLOCK;
	if (size > room)
		return NC_INITRD_ERR_TRUNCATED;
	build_name(h, out->name);
	char type = (char)h[TYPE_OFF];
	out->kind = (type == '0' || type == 0) ? NC_INITRD_FILE : type == '5' ? NC_INITRD_DIR
									: NC_INITRD_OTHER;
	out->data = h + BLOCK;
	out->size_bytes = (size_t)size;
	size_t padded = ((size_t)size + BLOCK - 1) / BLOCK * BLOCK;
	it->pos += BLOCK + (padded < room ? padded : room);
	return NC_INITRD_OK;
}

nc_initrd_err_t nc_initrd_find(const uint8_t *buf, size_t len_bytes, const char *path,
			       nc_initrd_entry_t *out)
{
	nc_initrd_iter_t it;
	nc_initrd_iter_init(&it, buf, len_bytes);
	nc_initrd_err_t err;
	while ((err = nc_initrd_next(&it, out)) == NC_INITRD_OK)
		if (out->kind == NC_INITRD_FILE && nc_str_compare(out->name, path) == 0)
			return NC_INITRD_OK;
	return err == NC_INITRD_END ? NC_INITRD_ERR_NOT_FOUND : err;
}

const char *nc_initrd_err_name(nc_initrd_err_t err)
{
	switch (err) {
	case NC_INITRD_OK: return "ok";
	case NC_INITRD_END: return "end of archive";
	case NC_INITRD_ERR_TRUNCATED: return "archive truncated";
	case NC_INITRD_ERR_CHECKSUM: return "header checksum mismatch";
	case NC_INITRD_ERR_FORMAT: return "not a ustar archive";
	case NC_INITRD_ERR_NOT_FOUND: return "no such file";
	}
	return "unknown initrd error";
}
