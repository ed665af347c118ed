/* libFuzzer target: arbitrary bytes as an ELF executable, parsed for the range
 * user programs load into (kernel/include/kernel/exec.h) and for the kernel's
 * higher half (boot/). When nc_elf_parse accepts a file, every promise of
 * nc/elf.h is checked here from the segment list alone: sizes, file ranges,
 * the virtual range, page-disjoint sorted segments, W^X, the page-aligned
 * bounds and an entry point inside executable code. A crash, sanitizer report
 * or broken promise (abort) is a finding. Seeds: stripped user programs. */
#include <nc/elf.h>
#include <stdbool.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { PAGE = NC_ELF_PAGE_BYTES };

static void promise(bool ok)
{
	if (!ok)
		abort();
}

static uint64_t page_up(uint64_t v) { return (v + PAGE - 1) / PAGE * PAGE; }

static void check_image(const nc_elf_image_t *im, size_t size, uint64_t lo, uint64_t hi)
{
	promise(im->n_segments >= 1 && im->n_segments <= NC_ELF_MAX_SEGMENTS);
	bool entry_in_code = false;
	for (uint32_t i = 0; i < im->n_segments; i++) {
		const nc_elf_segment_t *s = &im->segments[i];
		promise(s->mem_bytes > 0 && s->file_bytes <= s->mem_bytes);
		promise(s->offset <= size && s->file_bytes <= size - s->offset);
		promise(s->vaddr >= lo && s->vaddr <= hi && s->mem_bytes <= hi - s->vaddr);
		promise((s->vaddr - s->offset) % PAGE == 0);
		promise(!((s->flags & NC_ELF_SEG_W) && (s->flags & NC_ELF_SEG_X)));
		promise((s->flags & ~(uint32_t)(NC_ELF_SEG_R | NC_ELF_SEG_W | NC_ELF_SEG_X)) == 0);
		if (i > 0) {
			const nc_elf_segment_t *p = &im->segments[i - 1];
			promise(s->vaddr / PAGE * PAGE >= page_up(p->vaddr + p->mem_bytes));
		}
		if ((s->flags & NC_ELF_SEG_X) && im->entry >= s->vaddr && im->entry - s->vaddr < s->mem_bytes)
			entry_in_code = true;
	}
	const nc_elf_segment_t *last = &im->segments[im->n_segments - 1];
	promise(entry_in_code);
	promise(im->vaddr_min == im->segments[0].vaddr / PAGE * PAGE);
	promise(im->vaddr_max == page_up(last->vaddr + last->mem_bytes));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t ranges[][2] = {
		{ 0x400000ull, 0x0000100000000000ull },           /* EXEC_IMAGE_LO .. EXEC_IMAGE_HI */
		{ 0xffffffff80000000ull, 0xffffffffffe00000ull }, /* the kernel window (boot/kernel.c) */
	};
	for (size_t r = 0; r < 2; r++) {
		nc_elf_image_t im;
		if (nc_elf_parse(data, size, ranges[r][0], ranges[r][1], &im) == NC_ELF_OK)
			check_image(&im, size, ranges[r][0], ranges[r][1]);
	}
	uint64_t off, n; /* the loader's relocation-table lookup: inside the file */
	if (nc_elf_find_segment(data, size, 0x6e636b72u, &off, &n) == NC_ELF_OK)
		promise(off <= size && n <= size - off);
	return 0;
}
