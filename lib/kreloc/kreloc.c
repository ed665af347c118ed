/* The kernel relocation table (see nc/kreloc.h): classification for the
 * build, encoding for tools/nc-krelocs, validation and application for the
 * loader. Validate, then act: nc_kreloc_apply writes nothing until the whole
 * table has been checked against the image. */
#include <nc/kreloc.h>

/* System V AMD64 psABI 4.4.1, table 4.9. */
enum {
	R_X86_64_NONE = 0, R_X86_64_64 = 1, R_X86_64_PC32 = 2, R_X86_64_PLT32 = 4,
	R_X86_64_32S = 11, R_X86_64_PC16 = 13, R_X86_64_PC8 = 15, R_X86_64_PC64 = 24,
};

enum { H_MAGIC = 0, H_VERSION = 4, H_ALIGN = 6, H_N64 = 8, H_N32S = 12, OFFSET_BYTES = 4 };

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

nc_kreloc_err_t nc_kreloc_kind_of(uint32_t elf_type, nc_kreloc_kind_t *out)
{
	switch (elf_type) {
	case R_X86_64_64: *out = NC_KRELOC_ABS64; return NC_KRELOC_OK;
	case R_X86_64_32S: *out = NC_KRELOC_ABS32S; return NC_KRELOC_OK;
	case R_X86_64_NONE:
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_PC64:
	case R_X86_64_PC16:
	case R_X86_64_PC8: *out = NC_KRELOC_NOTHING; return NC_KRELOC_OK;
	}
	return NC_KRELOC_ERR_TYPE;
}

static int align_ok(uint32_t align_log2)
{
	return align_log2 >= NC_KRELOC_ALIGN_LOG2_MIN && align_log2 <= NC_KRELOC_ALIGN_LOG2_MAX;
}

static int ascending(const uint32_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++)
		if (v[i] <= v[i - 1])
			return 0;
	return 1;
}

nc_kreloc_err_t nc_kreloc_encode(const uint32_t *abs64, uint32_t n_abs64, const uint32_t *abs32s,
				 uint32_t n_abs32s, uint32_t align_log2, uint8_t *out,
				 size_t cap_bytes, size_t *len_bytes)
{
	if (!align_ok(align_log2))
		return NC_KRELOC_ERR_ALIGN;
	if (!ascending(abs64, n_abs64) || !ascending(abs32s, n_abs32s))
		return NC_KRELOC_ERR_OFFSET;
	uint64_t len = NC_KRELOC_HEADER_BYTES + OFFSET_BYTES * ((uint64_t)n_abs64 + n_abs32s);
	if (len > cap_bytes)
		return NC_KRELOC_ERR_NO_SPACE;
	put_le(out + H_MAGIC, NC_KRELOC_MAGIC, 4);
	put_le(out + H_VERSION, NC_KRELOC_VERSION, 2);
	put_le(out + H_ALIGN, align_log2, 2);
	put_le(out + H_N64, n_abs64, 4);
	put_le(out + H_N32S, n_abs32s, 4);
	uint8_t *p = out + NC_KRELOC_HEADER_BYTES;
	for (uint32_t i = 0; i < n_abs64; i++, p += OFFSET_BYTES)
		put_le(p, abs64[i], OFFSET_BYTES);
	for (uint32_t i = 0; i < n_abs32s; i++, p += OFFSET_BYTES)
		put_le(p, abs32s[i], OFFSET_BYTES);
	*len_bytes = (size_t)len;
	return NC_KRELOC_OK;
}

nc_kreloc_err_t nc_kreloc_read_header(const uint8_t *table, size_t table_bytes,
				      nc_kreloc_header_t *out)
{
	if (table_bytes < NC_KRELOC_HEADER_BYTES)
		return NC_KRELOC_ERR_TRUNCATED;
	if (get_le(table + H_MAGIC, 4) != NC_KRELOC_MAGIC ||
	    get_le(table + H_VERSION, 2) != NC_KRELOC_VERSION)
		return NC_KRELOC_ERR_MAGIC;
	out->align_log2 = (uint32_t)get_le(table + H_ALIGN, 2);
	out->n_abs64 = (uint32_t)get_le(table + H_N64, 4);
	out->n_abs32s = (uint32_t)get_le(table + H_N32S, 4);
	if (!align_ok(out->align_log2))
		return NC_KRELOC_ERR_ALIGN;
	uint64_t len = NC_KRELOC_HEADER_BYTES + OFFSET_BYTES * ((uint64_t)out->n_abs64 + out->n_abs32s);
	if (len != table_bytes)
		return NC_KRELOC_ERR_TRUNCATED;
	return NC_KRELOC_OK;
}

/* One list of n offsets at p, fields of width bytes: strictly ascending and
 * inside the image; no slid address may wrap past the top of the address
 * space, and for 4-byte fields it must still be a sign-extended 32-bit
 * number. */
static nc_kreloc_err_t check_list(const uint8_t *p, uint32_t n, int width, const uint8_t *image,
				  uint64_t image_bytes, uint64_t slide)
{
	uint64_t prev = 0;
	for (uint32_t i = 0; i < n; i++, p += OFFSET_BYTES) {
		uint64_t off = get_le(p, OFFSET_BYTES);
		if ((i > 0 && off <= prev) || off > image_bytes || image_bytes - off < (uint64_t)width)
			return NC_KRELOC_ERR_OFFSET;
		prev = off;
		uint64_t v = get_le(image + off, width);
		if (width == 4)
			v = (uint64_t)(int64_t)(int32_t)(uint32_t)v;
		uint64_t slid = v + slide;
		if (slid < v || (width == 4 && (uint64_t)(int64_t)(int32_t)(uint32_t)slid != slid))
			return NC_KRELOC_ERR_OVERFLOW;
	}
	return NC_KRELOC_OK;
}

static void slide_list(const uint8_t *p, uint32_t n, int width, uint8_t *image, uint64_t slide)
{
	for (uint32_t i = 0; i < n; i++, p += OFFSET_BYTES) {
		uint8_t *field = image + get_le(p, OFFSET_BYTES);
		put_le(field, get_le(field, width) + slide, width);
	}
}

nc_kreloc_err_t nc_kreloc_apply(uint8_t *image, uint64_t image_bytes, const uint8_t *table,
				size_t table_bytes, uint64_t slide_bytes)
{
	nc_kreloc_header_t h;
	nc_kreloc_err_t err = nc_kreloc_read_header(table, table_bytes, &h);
	if (err)
		return err;
	if (slide_bytes & ((1ull << h.align_log2) - 1))
		return NC_KRELOC_ERR_SLIDE;
	const uint8_t *list64 = table + NC_KRELOC_HEADER_BYTES;
	const uint8_t *list32s = list64 + (size_t)h.n_abs64 * OFFSET_BYTES;
	err = check_list(list64, h.n_abs64, 8, image, image_bytes, slide_bytes);
	if (!err)
		err = check_list(list32s, h.n_abs32s, 4, image, image_bytes, slide_bytes);
	if (err)
		return err;
	slide_list(list64, h.n_abs64, 8, image, slide_bytes);
	slide_list(list32s, h.n_abs32s, 4, image, slide_bytes);
	return NC_KRELOC_OK;
}

const char *nc_kreloc_err_name(nc_kreloc_err_t err)
{
	switch (err) {
	case NC_KRELOC_OK: return "ok";
	case NC_KRELOC_ERR_TYPE: return "relocation type not supported in the kernel image";
	case NC_KRELOC_ERR_TRUNCATED: return "relocation table length disagrees with its header";
	case NC_KRELOC_ERR_MAGIC: return "not a kernel relocation table (magic or version)";
	case NC_KRELOC_ERR_ALIGN: return "relocation table alignment out of range";
	case NC_KRELOC_ERR_OFFSET: return "relocation outside the image or out of order";
	case NC_KRELOC_ERR_SLIDE: return "slide not a multiple of the image's alignment";
	case NC_KRELOC_ERR_OVERFLOW: return "32-bit relocation would overflow after the slide";
	case NC_KRELOC_ERR_NO_SPACE: return "output buffer too small";
	}
	return "unknown relocation-table error";
}
