/* lib/kreloc: classification of ELF relocation types (System V AMD64 psABI
 * 4.4.1 numbers, written here by hand), the table's encoding, and the slide
 * applied to hand-built images, checked against values computed by hand;
 * every malformed table gets its typed error and leaves the image untouched. */
#include "nc_test.h"
#include <nc/kreloc.h>
#include <nc/mem.h>

enum { IMAGE_BYTES = 64, OFF64 = 8, OFF32S = 20 };

static uint8_t image[IMAGE_BYTES], before[IMAGE_BYTES];
static uint8_t table[256];
static size_t table_len;

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* An image with a 64-bit address at OFF64 and a 32S address at OFF32S, and
 * the table listing both (page alignment). */
static void build(uint32_t value32s)
{
	for (int i = 0; i < IMAGE_BYTES; i++)
		image[i] = (uint8_t)(0xa0 + i);
	put(image + OFF64, 0xffffffff80001234ull, 8);
	put(image + OFF32S, value32s, 4);
	nc_mem_copy(before, image, IMAGE_BYTES);
	uint32_t o64[] = { OFF64 }, o32[] = { OFF32S };
	nc_kreloc_encode(o64, 1, o32, 1, 12, table, sizeof table, &table_len);
}

static bool untouched(void) { return nc_mem_compare(image, before, IMAGE_BYTES) == 0; }

NC_TEST(kreloc, kinds_of_elf_types)
{
	nc_kreloc_kind_t k;
	NC_CHECK_EQ(nc_kreloc_kind_of(1, &k), NC_KRELOC_OK); /* R_X86_64_64 */
	NC_CHECK_EQ(k, NC_KRELOC_ABS64);
	NC_CHECK_EQ(nc_kreloc_kind_of(11, &k), NC_KRELOC_OK); /* R_X86_64_32S */
	NC_CHECK_EQ(k, NC_KRELOC_ABS32S);
	uint32_t relative[] = { 0, 2, 4, 13, 15, 24 }; /* NONE PC32 PLT32 PC16 PC8 PC64 */
	for (unsigned i = 0; i < sizeof relative / sizeof *relative; i++) {
		k = NC_KRELOC_ABS64;
		NC_CHECK_EQ(nc_kreloc_kind_of(relative[i], &k), NC_KRELOC_OK);
		NC_CHECK_EQ(k, NC_KRELOC_NOTHING);
	}
	/* 32 (zero-extended), GOTPCREL, RELATIVE, REX_GOTPCRELX, TPOFF32, an unknown number */
	uint32_t refused[] = { 10, 9, 8, 42, 23, 1000 };
	for (unsigned i = 0; i < sizeof refused / sizeof *refused; i++)
		NC_CHECK_EQ(nc_kreloc_kind_of(refused[i], &k), NC_KRELOC_ERR_TYPE);
}

NC_TEST(kreloc, encode_layout_and_slide)
{
	build(0x80002000u);
	NC_CHECK_EQ(table_len, NC_KRELOC_HEADER_BYTES + 8);
	NC_CHECK_EQ(get(table, 4), 0x524b434e);   /* "NCKR" */
	NC_CHECK_EQ(get(table + 4, 2), 1);        /* version */
	NC_CHECK_EQ(get(table + 6, 2), 12);       /* alignment */
	NC_CHECK_EQ(get(table + 8, 4), 1);
	NC_CHECK_EQ(get(table + 12, 4), 1);
	NC_CHECK_EQ(get(table + 16, 4), OFF64);
	NC_CHECK_EQ(get(table + 20, 4), OFF32S);
	nc_kreloc_header_t h;
	NC_CHECK_EQ(nc_kreloc_read_header(table, table_len, &h), NC_KRELOC_OK);
	NC_CHECK_EQ(h.align_log2, 12);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0x3000), NC_KRELOC_OK);
	NC_CHECK(get(image + OFF64, 8) == 0xffffffff80004234ull);
	NC_CHECK_EQ(get(image + OFF32S, 4), 0x80005000);
	for (int i = 0; i < IMAGE_BYTES; i++)
		if ((i < OFF64 || i >= OFF64 + 8) && (i < OFF32S || i >= OFF32S + 4))
			NC_CHECK_EQ(image[i], before[i]);
	/* the largest slide of the top 2 GiB that keeps 0x80002000 a 32S address */
	build(0x80002000u);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0x7fffd000ull), NC_KRELOC_OK);
	NC_CHECK_EQ(get(image + OFF32S, 4), 0xfffff000);
}

NC_TEST(kreloc, bad_tables_typed_errors_image_untouched)
{
	nc_kreloc_header_t h;
	build(0x80002000u);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, NC_KRELOC_HEADER_BYTES - 1, 0), NC_KRELOC_ERR_TRUNCATED);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len - 1, 0), NC_KRELOC_ERR_TRUNCATED);
	NC_CHECK_EQ(nc_kreloc_read_header(table, table_len + 4, &h), NC_KRELOC_ERR_TRUNCATED);
	put(table + 8, 0xffffffffu, 4); /* a count that overflows a 32-bit length */
	NC_CHECK_EQ(nc_kreloc_read_header(table, table_len, &h), NC_KRELOC_ERR_TRUNCATED);
	build(0x80002000u);
	table[0] ^= 1;
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0), NC_KRELOC_ERR_MAGIC);
	build(0x80002000u);
	put(table + 4, 2, 2);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0), NC_KRELOC_ERR_MAGIC);
	build(0x80002000u);
	put(table + 6, 11, 2);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0), NC_KRELOC_ERR_ALIGN);
	put(table + 6, 31, 2);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0), NC_KRELOC_ERR_ALIGN);
	build(0x80002000u);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0x1800), NC_KRELOC_ERR_SLIDE);
	put(table + 16, IMAGE_BYTES - 7, 4); /* an 8-byte field reaching past the image */
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0x1000), NC_KRELOC_ERR_OFFSET);
	put(table + 16, 0xfffffffcu, 4);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0x1000), NC_KRELOC_ERR_OFFSET);
	NC_CHECK(untouched());
	/* the 64-bit field is good, the 32S one would leave the sign-extended range */
	build(0x7ffff000u);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0x2000), NC_KRELOC_ERR_OVERFLOW);
	NC_CHECK(untouched());
	build(0x80002000u); /* would wrap past 2^64 to the small 32S number 0x2000 */
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0x80000000ull), NC_KRELOC_ERR_OVERFLOW);
	NC_CHECK(untouched());
	build(0x80002000u);
	put(image + OFF64, 0xfffffffffffff000ull, 8);
	nc_mem_copy(before, image, IMAGE_BYTES);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, table_len, 0x1000), NC_KRELOC_ERR_OVERFLOW);
	NC_CHECK(untouched());
}

NC_TEST(kreloc, offsets_must_ascend)
{
	uint32_t twice[] = { 8, 8 }, down[] = { 16, 8 }, up[] = { 8, 16 };
	size_t len = 0;
	NC_CHECK_EQ(nc_kreloc_encode(twice, 2, NULL, 0, 12, table, sizeof table, &len), NC_KRELOC_ERR_OFFSET);
	NC_CHECK_EQ(nc_kreloc_encode(NULL, 0, down, 2, 12, table, sizeof table, &len), NC_KRELOC_ERR_OFFSET);
	NC_CHECK_EQ(nc_kreloc_encode(up, 2, NULL, 0, 40, table, sizeof table, &len), NC_KRELOC_ERR_ALIGN);
	NC_CHECK_EQ(nc_kreloc_encode(up, 2, NULL, 0, 12, table, NC_KRELOC_HEADER_BYTES + 7, &len),
		    NC_KRELOC_ERR_NO_SPACE);
	NC_CHECK_EQ(nc_kreloc_encode(up, 2, NULL, 0, 12, table, sizeof table, &len), NC_KRELOC_OK);
	/* a table written in the wrong order by someone else: refused, image untouched */
	build(0x80002000u);
	NC_CHECK_EQ(nc_kreloc_encode(up, 2, NULL, 0, 12, table, sizeof table, &len), NC_KRELOC_OK);
	put(table + 16, 16, 4);
	put(table + 20, 8, 4);
	NC_CHECK_EQ(nc_kreloc_apply(image, IMAGE_BYTES, table, len, 0x1000), NC_KRELOC_ERR_OFFSET);
	NC_CHECK(untouched());
}

NC_TEST(kreloc, error_names_distinct)
{
	for (int a = NC_KRELOC_OK; a <= NC_KRELOC_ERR_NO_SPACE; a++)
		for (int b = a + 1; b <= NC_KRELOC_ERR_NO_SPACE; b++)
			NC_CHECK(nc_str_compare(nc_kreloc_err_name(a), nc_kreloc_err_name(b)) != 0);
}
