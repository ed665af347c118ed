/* lib/elf: hand-built ELF64 images (field offsets from the ELF-64 Object File
 * Format 1.5), each mutated to hit one validation rule. */
#include "nc_test.h"
#include <nc/elf.h>
#include <nc/mem.h>

#define LO 0xffffffff80000000ull
#define HI 0xffffffffc0000000ull

static uint8_t img[8192];

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void phdr(int i, uint32_t flags, uint64_t off, uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	uint8_t *ph = img + 64 + 56 * i;
	put(ph + 0, 1, 4);
	put(ph + 4, flags, 4);
	put(ph + 8, off, 8);
	put(ph + 16, vaddr, 8);
	put(ph + 32, filesz, 8);
	put(ph + 40, memsz, 8);
	put(ph + 48, 4096, 8);
}

/* A valid kernel-like image: text RX at LO+0x1000 (file 0x1000), data RW at LO+0x2000 with bss. */
static void build(void)
{
	nc_mem_set(img, 0, sizeof img);
	nc_mem_copy(img, "\x7f" "ELF\x02\x01\x01", 7);
	put(img + 16, 2, 2);
	put(img + 18, 62, 2);
	put(img + 20, 1, 4);
	put(img + 24, LO + 0x1010, 8);
	put(img + 32, 64, 8);
	put(img + 54, 56, 2);
	put(img + 56, 2, 2);
	phdr(1, 6, 0x1000, LO + 0x2000, 0x100, 0x3000);
	phdr(0, 5, 0x1000, LO + 0x1000, 0x800, 0x800);
}

NC_TEST(elf, valid_image_sorted_segments)
{
	nc_elf_image_t out;
	build();
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_OK);
	NC_CHECK_EQ(out.n_segments, 2);
	NC_CHECK(out.segments[0].vaddr == LO + 0x1000);
	NC_CHECK_EQ(out.segments[0].flags, NC_ELF_SEG_R | NC_ELF_SEG_X);
	NC_CHECK_EQ(out.segments[1].flags, NC_ELF_SEG_R | NC_ELF_SEG_W);
	NC_CHECK(out.vaddr_min == LO + 0x1000);
	NC_CHECK(out.vaddr_max == LO + 0x5000);
	NC_CHECK(out.entry == LO + 0x1010);
}

NC_TEST(elf, header_errors)
{
	nc_elf_image_t out;
	build();
	NC_CHECK_EQ(nc_elf_parse(img, 63, LO, HI, &out), NC_ELF_ERR_TRUNCATED);
	img[1] = 'X';
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_MAGIC);
	build();
	img[4] = 1;
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_CLASS);
	build();
	put(img + 18, 3, 2);
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_MACHINE);
	build();
	put(img + 16, 3, 2);
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_TYPE);
	build();
	put(img + 56, 200, 2);
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_PHDR);
	build();
	put(img + 54, 40, 2);
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_PHDR);
}

NC_TEST(elf, segment_errors)
{
	nc_elf_image_t out;
	build();
	phdr(0, 5, 0x1000, LO + 0x1000, 0x900, 0x800); /* filesz > memsz */
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_SEGMENT);
	build();
	phdr(0, 5, 0x1f00, LO + 0x1000, 0x800, 0x800); /* data past the file, misaligned */
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_SEGMENT);
	build();
	phdr(0, 5, 0x1000, 0x401000, 0x800, 0x800); /* user address in a kernel image */
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_RANGE);
	build();
	phdr(0, 7, 0x1000, LO + 0x1000, 0x800, 0x800); /* RWX */
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_WX);
	build();
	phdr(0, 5, 0x1000, LO + 0x1000, 0x800, 0x1001); /* runs into the data segment's page */
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_OVERLAP);
	build();
	put(img + 24, LO + 0x2010, 8); /* entry in the data segment */
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_ENTRY);
	build();
	put(img + 56, 0, 2);
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_ERR_NO_SEGMENTS);
}

NC_TEST(elf, find_segment_by_type)
{
	enum { PT_OS = 0x6e636b72 };
	uint64_t off = 0, n = 0;
	build();
	put(img + 56, 3, 2);
	phdr(2, 4, 0x1800, LO + 0x1800, 0x40, 0x40);
	put(img + 64 + 2 * 56, PT_OS, 4);
	nc_elf_image_t out;
	NC_CHECK_EQ(nc_elf_parse(img, sizeof img, LO, HI, &out), NC_ELF_OK);
	NC_CHECK_EQ(out.n_segments, 2); /* not a PT_LOAD */
	NC_CHECK_EQ(nc_elf_find_segment(img, sizeof img, PT_OS, &off, &n), NC_ELF_OK);
	NC_CHECK_EQ(off, 0x1800);
	NC_CHECK_EQ(n, 0x40);
	NC_CHECK_EQ(nc_elf_find_segment(img, sizeof img, PT_OS + 1, &off, &n), NC_ELF_ERR_NOT_FOUND);
	NC_CHECK_EQ(nc_elf_find_segment(img, 0x1820, PT_OS, &off, &n), NC_ELF_ERR_PHDR); /* bytes past the end */
	put(img + 64 + 2 * 56 + 8, UINT64_MAX - 8, 8); /* offset wraps */
	NC_CHECK_EQ(nc_elf_find_segment(img, sizeof img, PT_OS, &off, &n), NC_ELF_ERR_PHDR);
	img[0] = 0;
	NC_CHECK_EQ(nc_elf_find_segment(img, sizeof img, PT_OS, &off, &n), NC_ELF_ERR_MAGIC);
}

NC_TEST(elf, error_names_distinct)
{
	NC_CHECK_STR(nc_elf_err_name(NC_ELF_ERR_MAGIC), "bad ELF magic");
	for (int a = NC_ELF_OK; a <= NC_ELF_ERR_NOT_FOUND; a++)
		for (int b = a + 1; b <= NC_ELF_ERR_NOT_FOUND; b++)
			NC_CHECK(nc_str_compare(nc_elf_err_name(a), nc_elf_err_name(b)) != 0);
}
