/* ELF64 executable parsing for the UEFI loader (the kernel image) and the
 * kernel (user programs). Validates everything before reporting any segment:
 * header fields, program-header table bounds, every PT_LOAD's file and memory
 * ranges, alignment, overlap, W^X, and the entry point. Reference: System V
 * ABI, "ELF-64 Object File Format" 1.5, sections 3 and 6.
 * Pure: no allocation, reentrant; *out borrows nothing from buf. */
#ifndef NC_ELF_H
#define NC_ELF_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	NC_ELF_OK = 0,
	NC_ELF_ERR_TRUNCATED,     /* buffer shorter than a header or table it must hold */
	NC_ELF_ERR_MAGIC,         /* not an ELF file */
	NC_ELF_ERR_CLASS,         /* not 64-bit little-endian, version 1 */
	NC_ELF_ERR_MACHINE,       /* not x86-64 */
	NC_ELF_ERR_TYPE,          /* not ET_EXEC */
	NC_ELF_ERR_PHDR,          /* program-header table malformed or out of the file */
	NC_ELF_ERR_SEGMENT,       /* a PT_LOAD's sizes, offsets or alignment are inconsistent */
	NC_ELF_ERR_RANGE,         /* a segment lies outside the allowed virtual range */
	NC_ELF_ERR_OVERLAP,       /* two PT_LOAD segments share a page */
	NC_ELF_ERR_WX,            /* a segment is both writable and executable */
	NC_ELF_ERR_TOO_MANY,      /* more than NC_ELF_MAX_SEGMENTS loadable segments */
	NC_ELF_ERR_NO_SEGMENTS,   /* nothing to load */
	NC_ELF_ERR_ENTRY,         /* entry point not inside an executable segment */
	NC_ELF_ERR_NOT_FOUND,     /* nc_elf_find_segment: no program header of that type */
} nc_elf_err_t;

enum { NC_ELF_MAX_SEGMENTS = 16, NC_ELF_PAGE_BYTES = 4096 };

enum { NC_ELF_SEG_X = 1, NC_ELF_SEG_W = 2, NC_ELF_SEG_R = 4 };

typedef struct {
	uint64_t vaddr;        /* virtual address of the first byte */
	uint64_t mem_bytes;    /* size in memory; bytes past file_bytes are zero */
	uint64_t offset;       /* file offset of the first byte */
	uint64_t file_bytes;   /* bytes present in the file */
	uint32_t flags;        /* NC_ELF_SEG_* */
} nc_elf_segment_t;

typedef struct {
	uint64_t entry;
	uint64_t vaddr_min;    /* page-aligned start of the lowest segment */
	uint64_t vaddr_max;    /* page-aligned end of the highest segment */
	uint32_t n_segments;
	nc_elf_segment_t segments[NC_ELF_MAX_SEGMENTS]; /* sorted by vaddr */
} nc_elf_image_t;

/* Parse the executable in buf[0..len_bytes). Every loadable segment must lie in
 * [vaddr_lo, vaddr_hi). On NC_ELF_OK *out describes the image; on error *out is
 * unspecified. Errors: see nc_elf_err_t. */
nc_elf_err_t nc_elf_parse(const uint8_t *buf, size_t len_bytes, uint64_t vaddr_lo,
			  uint64_t vaddr_hi, nc_elf_image_t *out);

/* The file bytes buf[*offset, *offset + *file_bytes) of the first program
 * header of type p_type (e.g. an OS-specific one beside the PT_LOADs) in the
 * executable buf[0..len_bytes). Errors: those of the header checks of
 * nc_elf_parse, NC_ELF_ERR_PHDR (the table or that segment's bytes leave the
 * file), NC_ELF_ERR_NOT_FOUND. */
nc_elf_err_t nc_elf_find_segment(const uint8_t *buf, size_t len_bytes, uint32_t p_type,
				 uint64_t *offset, uint64_t *file_bytes);

/* A short English name of err, e.g. "bad ELF magic". Never NULL. */
const char *nc_elf_err_name(nc_elf_err_t err);

#endif
