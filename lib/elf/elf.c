/* ELF64 executable validation (see nc/elf.h). Validate, then report: nothing
 * is written to *out's segment list until its bounds have been checked. */
#include <nc/elf.h>
#include <nc/mem.h>
#include <stdbool.h>

/* Field offsets of Elf64_Ehdr and Elf64_Phdr (ELF-64 Object File Format 1.5,
 * figures 2 and 7); read byte-wise so buf needs no alignment. */
enum {
	EH_TYPE = 16, EH_MACHINE = 18, EH_VERSION = 20, EH_ENTRY = 24, EH_PHOFF = 32,
	EH_PHENTSIZE = 54, EH_PHNUM = 56, EH_SIZE = 64,
	PH_TYPE = 0, PH_FLAGS = 4, PH_OFFSET = 8, PH_VADDR = 16, PH_FILESZ = 32, PH_MEMSZ = 40,
	PH_ALIGN = 48, PH_SIZE = 56,
	ET_EXEC = 2, EM_X86_64 = 62, PT_LOAD = 1, PF_X = 1, PF_W = 2, PF_R = 4,
};

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t page_down(uint64_t v) { return v & ~(uint64_t)(NC_ELF_PAGE_BYTES - 1); }

static nc_elf_err_t check_header(const uint8_t *buf, size_t len)
{
	if (len < EH_SIZE)
		return NC_ELF_ERR_TRUNCATED;
	if (buf[0] != 0x7f || buf[1] != 'E' || buf[2] != 'L' || buf[3] != 'F')
		return NC_ELF_ERR_MAGIC;
	if (buf[4] != 2 || buf[5] != 1 || buf[6] != 1 || get_le(buf + EH_VERSION, 4) != 1)
		return NC_ELF_ERR_CLASS;
	if (get_le(buf + EH_MACHINE, 2) != EM_X86_64)
		return NC_ELF_ERR_MACHINE;
	if (get_le(buf + EH_TYPE, 2) != ET_EXEC)
		return NC_ELF_ERR_TYPE;
	return NC_ELF_OK;
}

/* Read and check one PT_LOAD header into seg. */
static nc_elf_err_t read_segment(const uint8_t *ph, size_t len, uint64_t lo, uint64_t hi,
				 nc_elf_segment_t *seg)
{
	uint64_t flags = get_le(ph + PH_FLAGS, 4);
	seg->offset = get_le(ph + PH_OFFSET, 8);
	seg->vaddr = get_le(ph + PH_VADDR, 8);
	seg->file_bytes = get_le(ph + PH_FILESZ, 8);
	seg->mem_bytes = get_le(ph + PH_MEMSZ, 8);
	uint64_t align = get_le(ph + PH_ALIGN, 8);
	seg->flags = (uint32_t)(((flags & PF_X) ? NC_ELF_SEG_X : 0) |
				((flags & PF_W) ? NC_ELF_SEG_W : 0) |
				((flags & PF_R) ? NC_ELF_SEG_R : 0));
	if (seg->file_bytes > seg->mem_bytes || seg->mem_bytes == 0)
		return NC_ELF_ERR_SEGMENT;
	if (seg->offset > len || seg->file_bytes > len - seg->offset)
		return NC_ELF_ERR_SEGMENT;
	if ((seg->vaddr - seg->offset) % NC_ELF_PAGE_BYTES != 0)
		return NC_ELF_ERR_SEGMENT;
	if (align > 1 && ((align & (align - 1)) || align < NC_ELF_PAGE_BYTES))
		return NC_ELF_ERR_SEGMENT;
	if (seg->vaddr < lo || seg->vaddr > hi || seg->mem_bytes > hi - seg->vaddr)
		return NC_ELF_ERR_RANGE;
	if ((seg->flags & NC_ELF_SEG_W) && (seg->flags & NC_ELF_SEG_X))
		return NC_ELF_ERR_WX;
	return NC_ELF_OK;
}

static void insert_sorted(nc_elf_image_t *img, const nc_elf_segment_t *seg)
{
	uint32_t i = img->n_segments++;
	while (i > 0 && img->segments[i - 1].vaddr > seg->vaddr) {
		img->segments[i] = img->segments[i - 1];
		i--;
	}
	img->segments[i] = *seg;
}

static uint64_t seg_end_page(const nc_elf_segment_t *s)
{
	return page_down(s->vaddr + s->mem_bytes - 1) + NC_ELF_PAGE_BYTES;
}

/* Segments are sorted: each must start on a page after the previous one ends,
 * so no page needs two different permission sets. */
static nc_elf_err_t check_layout(nc_elf_image_t *img)
{
	if (img->n_segments == 0)
		return NC_ELF_ERR_NO_SEGMENTS;
	for (uint32_t i = 1; i < img->n_segments; i++)
		if (page_down(img->segments[i].vaddr) < seg_end_page(&img->segments[i - 1]))
			return NC_ELF_ERR_OVERLAP;
	img->vaddr_min = page_down(img->segments[0].vaddr);
	img->vaddr_max = seg_end_page(&img->segments[img->n_segments - 1]);
	for (uint32_t i = 0; i < img->n_segments; i++) {
		const nc_elf_segment_t *s = &img->segments[i];
		if ((s->flags & NC_ELF_SEG_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->mem_bytes)
			return NC_ELF_OK;
	}
	return NC_ELF_ERR_ENTRY;
}

/* The header and the bounds of the program-header table: *phoff, *phnum. */
static nc_elf_err_t check_phdrs(const uint8_t *buf, size_t len, uint64_t *phoff, uint64_t *phnum)
{
	nc_elf_err_t err = check_header(buf, len);
	if (err)
		return err;
	*phoff = get_le(buf + EH_PHOFF, 8);
	*phnum = get_le(buf + EH_PHNUM, 2);
	if (get_le(buf + EH_PHENTSIZE, 2) != PH_SIZE || *phoff > len || *phnum * PH_SIZE > len - *phoff)
		return NC_ELF_ERR_PHDR;
	return NC_ELF_OK;
}

nc_elf_err_t nc_elf_parse(const uint8_t *buf, size_t len, uint64_t lo, uint64_t hi,
			  nc_elf_image_t *out)
{
	uint64_t phoff, phnum;
	nc_elf_err_t err = check_phdrs(buf, len, &phoff, &phnum);
	if (err)
		return err;
	nc_mem_set(out, 0, sizeof *out);
	out->entry = get_le(buf + EH_ENTRY, 8);
	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *ph = buf + phoff + i * PH_SIZE;
		if (get_le(ph + PH_TYPE, 4) != PT_LOAD)
			continue;
		if (out->n_segments == NC_ELF_MAX_SEGMENTS)
			return NC_ELF_ERR_TOO_MANY;
		nc_elf_segment_t seg;
		err = read_segment(ph, len, lo, hi, &seg);
		if (err)
			return err;
		insert_sorted(out, &seg);
	}
	return check_layout(out);
}

nc_elf_err_t nc_elf_find_segment(const uint8_t *buf, size_t len, uint32_t p_type,
				 uint64_t *offset, uint64_t *file_bytes)
{
	uint64_t phoff, phnum;
	nc_elf_err_t err = check_phdrs(buf, len, &phoff, &phnum);
	if (err)
		return err;
	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *ph = buf + phoff + i * PH_SIZE;
		if (get_le(ph + PH_TYPE, 4) != p_type)
			continue;
		uint64_t off = get_le(ph + PH_OFFSET, 8), n = get_le(ph + PH_FILESZ, 8);
		if (off > len || n > len - off)
			return NC_ELF_ERR_PHDR;
		*offset = off;
		*file_bytes = n;
		return NC_ELF_OK;
	}
	return NC_ELF_ERR_NOT_FOUND;
}

const char *nc_elf_err_name(nc_elf_err_t err)
{
	switch (err) {
	case NC_ELF_OK: return "ok";
	case NC_ELF_ERR_TRUNCATED: return "file truncated";
	case NC_ELF_ERR_MAGIC: return "bad ELF magic";
	case NC_ELF_ERR_CLASS: return "not a 64-bit little-endian ELF";
	case NC_ELF_ERR_MACHINE: return "not an x86-64 executable";
	case NC_ELF_ERR_TYPE: return "not an executable (ET_EXEC)";
	case NC_ELF_ERR_PHDR: return "bad program-header table";
	case NC_ELF_ERR_SEGMENT: return "inconsistent loadable segment";
	case NC_ELF_ERR_RANGE: return "segment outside the allowed address range";
	case NC_ELF_ERR_OVERLAP: return "overlapping segments";
	case NC_ELF_ERR_WX: return "segment both writable and executable";
	case NC_ELF_ERR_TOO_MANY: return "too many loadable segments";
	case NC_ELF_ERR_NO_SEGMENTS: return "no loadable segment";
	case NC_ELF_ERR_ENTRY: return "entry point outside executable code";
	case NC_ELF_ERR_NOT_FOUND: return "no program header of the type asked for";
	}
	return "unknown ELF error";
}
