/* nc-krelocs: the kernel image's relocation table (nc/kreloc.h) from a kernel
 * linked with --emit-relocs. Every relocation in a loaded section is looked
 * at: its type must be one lib/kreloc knows (nc_kreloc_kind_of), its symbol
 * must be a place in the image, or, for an absolute type, an address that
 * does not move (an absolute symbol outside the image, an undefined weak one);
 * anything else stops the build with the place and the reason. The idea is
 * Linux's arch/x86/tools/relocs; the code is ours.
 *
 * usage: nc-krelocs KERNEL.elf OUT.bin */
#include <elf.h>
#include <stdbool.h>
#include <nc/kreloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const uint8_t *buf;
	size_t len;
	const char *path;
	Elf64_Ehdr eh;
	uint64_t image_lo, image_hi; /* page-aligned span of the PT_LOAD segments */
} elf_t;

typedef struct {
	uint32_t *v;
	uint32_t n, cap;
} list_t;

static int fail(const elf_t *e, const char *what)
{
	fprintf(stderr, "nc-krelocs: %s: %s\n", e->path, what);
	return 1;
}

/* Copy n bytes at off into out: 0 when they lie inside the file. */
static int read_at(const elf_t *e, uint64_t off, void *out, size_t n)
{
	if (off > e->len || n > e->len - off)
		return 1;
	memcpy(out, e->buf + off, n);
	return 0;
}

static int section(const elf_t *e, uint32_t i, Elf64_Shdr *sh)
{
	return i >= e->eh.e_shnum || read_at(e, e->eh.e_shoff + (uint64_t)i * sizeof *sh, sh, sizeof *sh);
}

static const char *section_name(const elf_t *e, const Elf64_Shdr *sh)
{
	Elf64_Shdr strtab;
	if (section(e, e->eh.e_shstrndx, &strtab) || sh->sh_name >= strtab.sh_size ||
	    strtab.sh_offset > e->len || strtab.sh_size > e->len - strtab.sh_offset ||
	    !memchr(e->buf + strtab.sh_offset + sh->sh_name, 0, strtab.sh_size - sh->sh_name))
		return "?";
	return (const char *)e->buf + strtab.sh_offset + sh->sh_name;
}

static int open_elf(elf_t *e)
{
	if (read_at(e, 0, &e->eh, sizeof e->eh) || memcmp(e->eh.e_ident, ELFMAG, SELFMAG) ||
	    e->eh.e_ident[EI_CLASS] != ELFCLASS64 || e->eh.e_machine != EM_X86_64 ||
	    e->eh.e_type != ET_EXEC || e->eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    e->eh.e_phentsize != sizeof(Elf64_Phdr))
		return fail(e, "not an x86-64 ELF executable with section headers");
	e->image_lo = UINT64_MAX;
	e->image_hi = 0;
	for (uint32_t i = 0; i < e->eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (read_at(e, e->eh.e_phoff + (uint64_t)i * sizeof ph, &ph, sizeof ph))
			return fail(e, "program-header table outside the file");
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_vaddr < e->image_lo)
			e->image_lo = ph.p_vaddr & ~0xfffull;
		if (ph.p_vaddr + ph.p_memsz > e->image_hi)
			e->image_hi = ph.p_vaddr + ph.p_memsz;
	}
	if (e->image_hi <= e->image_lo || e->image_hi - e->image_lo > UINT32_MAX)
		return fail(e, "no loadable segment, or an image over 4 GiB");
	return 0;
}

static int push(list_t *l, uint32_t v)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? 2 * l->cap : 1024;
		uint32_t *nv = realloc(l->v, cap * sizeof *nv);
		if (!nv)
			return 1;
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = v;
	return 0;
}

static int reject(const elf_t *e, const char *sec, const Elf64_Rela *r, const char *why)
{
	fprintf(stderr, "nc-krelocs: %s: relocation type %u at %#llx in %s: %s\n", e->path,
		(unsigned)ELF64_R_TYPE(r->r_info), (unsigned long long)r->r_offset, sec, why);
	return 1;
}

/* One relocation of section sec (symbols in symtab): onto a list, or skipped
 * when nothing moves, or rejected. */
static int take(const elf_t *e, const char *sec, const Elf64_Shdr *symtab, const Elf64_Rela *r,
		list_t *abs64, list_t *abs32s)
{
	nc_kreloc_kind_t kind;
	if (nc_kreloc_kind_of((uint32_t)ELF64_R_TYPE(r->r_info), &kind))
		return reject(e, sec, r, nc_kreloc_err_name(NC_KRELOC_ERR_TYPE));
	Elf64_Sym sym;
	uint64_t si = ELF64_R_SYM(r->r_info);
	if (si >= symtab->sh_size / sizeof sym || read_at(e, symtab->sh_offset + si * sizeof sym, &sym, sizeof sym))
		return reject(e, sec, r, "symbol outside the symbol table");
	bool fixed = sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_ABS || si == 0;
	if (fixed && sym.st_shndx == SHN_ABS && sym.st_value >= e->image_lo && sym.st_value <= e->image_hi)
		return reject(e, sec, r, "absolute symbol inside the image (define it inside an output section)");
	/* A call of an undefined weak function (PLT32) is made only after the
	 * code checked its address, which an absolute reloc keeps at 0; any
	 * other PC-relative reference to a fixed address would be wrong after
	 * the slide. */
	bool weak_call = sym.st_shndx == SHN_UNDEF && si != 0 && ELF64_R_TYPE(r->r_info) == R_X86_64_PLT32;
	if (fixed && kind == NC_KRELOC_NOTHING && ELF64_R_TYPE(r->r_info) != R_X86_64_NONE && !weak_call)
		return reject(e, sec, r, "relative to an address that does not move with the image");
	if (fixed || kind == NC_KRELOC_NOTHING)
		return 0;
	uint64_t width = kind == NC_KRELOC_ABS64 ? 8 : 4;
	if (r->r_offset < e->image_lo || r->r_offset + width > e->image_hi)
		return reject(e, sec, r, "place outside the image");
	if (push(kind == NC_KRELOC_ABS64 ? abs64 : abs32s, (uint32_t)(r->r_offset - e->image_lo)))
		return reject(e, sec, r, "out of memory");
	return 0;
}

/* Every SHT_RELA section whose target is loaded; *align_log2 gets the
 * largest alignment of a loaded section (at least a page). */
static int collect(const elf_t *e, list_t *abs64, list_t *abs32s, uint32_t *align_log2)
{
	*align_log2 = NC_KRELOC_ALIGN_LOG2_MIN;
	for (uint32_t i = 0; i < e->eh.e_shnum; i++) {
		Elf64_Shdr sh, target, symtab;
		if (section(e, i, &sh))
			return fail(e, "section-header table outside the file");
		if (sh.sh_flags & SHF_ALLOC)
			while (sh.sh_addralign > (1ull << *align_log2))
				++*align_log2;
		if (sh.sh_type != SHT_RELA || section(e, sh.sh_info, &target) || !(target.sh_flags & SHF_ALLOC))
			continue;
		if (section(e, sh.sh_link, &symtab) || sh.sh_entsize != sizeof(Elf64_Rela))
			return fail(e, "relocation section without a symbol table");
		const char *name = section_name(e, &target);
		for (uint64_t k = 0; k < sh.sh_size / sizeof(Elf64_Rela); k++) {
			Elf64_Rela r;
			if (read_at(e, sh.sh_offset + k * sizeof r, &r, sizeof r))
				return fail(e, "relocation section outside the file");
			if (take(e, name, &symtab, &r, abs64, abs32s))
				return 1;
		}
	}
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int write_table(const elf_t *e, list_t *abs64, list_t *abs32s, uint32_t align_log2,
		       const char *out_path)
{
	qsort(abs64->v, abs64->n, sizeof *abs64->v, cmp_u32);
	qsort(abs32s->v, abs32s->n, sizeof *abs32s->v, cmp_u32);
	size_t cap = NC_KRELOC_HEADER_BYTES + 4 * ((size_t)abs64->n + abs32s->n), len;
	uint8_t *table = malloc(cap);
	if (!table)
		return fail(e, "out of memory");
	nc_kreloc_err_t err = nc_kreloc_encode(abs64->v, abs64->n, abs32s->v, abs32s->n, align_log2,
					       table, cap, &len);
	FILE *f = err ? NULL : fopen(out_path, "wb");
	int rc = err ? fail(e, nc_kreloc_err_name(err)) : !f ? fail(e, "cannot write the output")
		 : fwrite(table, 1, len, f) != len;
	if (f && fclose(f))
		rc = 1;
	free(table);
	return rc;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? 2 * cap : 1 << 20);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: nc-krelocs KERNEL.elf OUT.bin\n");
		return 2;
	}
	elf_t e = { .path = argv[1] };
	uint8_t *buf = read_file(argv[1], &e.len);
	if (!buf)
		return fail(&e, "cannot read");
	e.buf = buf;
	list_t abs64 = { 0 }, abs32s = { 0 };
	uint32_t align_log2;
	int rc = open_elf(&e) || collect(&e, &abs64, &abs32s, &align_log2) ||
		 write_table(&e, &abs64, &abs32s, align_log2, argv[2]);
	if (rc)
		remove(argv[2]);
	free(abs64.v);
	free(abs32s.v);
	free(buf);
	return rc;
}
