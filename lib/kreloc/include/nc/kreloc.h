/* The kernel image's relocation table, for kernel address-space layout
 * randomisation (docs/kernel.md). The kernel is linked at one address
 * (NC_BOOT_KERNEL_VBASE, -mcmodel=kernel) with --emit-relocs; the build
 * (tools/nc-krelocs) keeps the places that hold an absolute address of the
 * image in this table, and the loader adds the slide (run address minus link
 * address) to each. The idea is Linux's arch/x86/tools/relocs; the code and
 * format are ours.
 *
 * Format, little-endian, no padding (NC_KRELOC_HEADER_BYTES of header):
 *   u32 magic NC_KRELOC_MAGIC, u16 version NC_KRELOC_VERSION,
 *   u16 align_log2   the slide must be a multiple of 1 << align_log2: the largest
 *                    section alignment in the image, at least 12 (a page)
 *   u32 n_abs64, u32 n_abs32s
 *   u32 offset[n_abs64]   strictly ascending: 8-byte fields holding an address
 *   u32 offset[n_abs32s]  strictly ascending: 4-byte fields holding an address
 *                         sign-extended from 32 bits
 * Offsets count from the image's lowest address. The table sits in the kernel
 * ELF as the program header of type NC_KRELOC_PT_TYPE, so the measured kernel
 * file covers it.
 * Pure: no allocation, reentrant. */
#ifndef NC_KRELOC_H
#define NC_KRELOC_H

#include <stddef.h>
#include <stdint.h>

#define NC_KRELOC_MAGIC 0x524b434eu /* "NCKR" little-endian */
#define NC_KRELOC_VERSION 1u
#define NC_KRELOC_PT_TYPE 0x6e636b72u /* in PT_LOOS..PT_HIOS: "nckr" */

enum {
	NC_KRELOC_HEADER_BYTES = 16,
	NC_KRELOC_ALIGN_LOG2_MIN = 12, /* a page */
	NC_KRELOC_ALIGN_LOG2_MAX = 30,
};

typedef enum {
	NC_KRELOC_OK = 0,
	NC_KRELOC_ERR_TYPE,      /* an ELF relocation type the table cannot carry */
	NC_KRELOC_ERR_TRUNCATED, /* the table's length disagrees with its header's counts */
	NC_KRELOC_ERR_MAGIC,     /* not a relocation table, or another version */
	NC_KRELOC_ERR_ALIGN,     /* align_log2 outside [NC_KRELOC_ALIGN_LOG2_MIN, _MAX] */
	NC_KRELOC_ERR_OFFSET,    /* a field reaches past the image, or offsets not strictly ascending */
	NC_KRELOC_ERR_SLIDE,     /* the slide is not a multiple of the table's alignment */
	NC_KRELOC_ERR_OVERFLOW,  /* a slid address would wrap past 2^64, or not fit its 32-bit field */
	NC_KRELOC_ERR_NO_SPACE,  /* encode: the output buffer is too small */
} nc_kreloc_err_t;

/* What the loader does for one relocation. */
typedef enum {
	NC_KRELOC_NOTHING = 0, /* relative to the image (PC32, PLT32, PC64...): moves with it */
	NC_KRELOC_ABS64,       /* R_X86_64_64: add the slide to the 8-byte field */
	NC_KRELOC_ABS32S,      /* R_X86_64_32S: add the slide to the sign-extended 4-byte field */
} nc_kreloc_kind_t;

typedef struct {
	uint32_t align_log2;
	uint32_t n_abs64;
	uint32_t n_abs32s;
} nc_kreloc_header_t;

/* What an x86-64 ELF relocation of type elf_type (System V AMD64 psABI 4.4.1)
 * against a symbol of the image needs when the image moves, in *out.
 * Errors: NC_KRELOC_ERR_TYPE for every type outside NONE, 64, 32S, PC32,
 * PLT32, PC64, PC16, PC8 (e.g. R_X86_64_32, which cannot hold a top-2 GiB
 * address, and the GOT and TLS types, which a static kernel never needs). */
nc_kreloc_err_t nc_kreloc_kind_of(uint32_t elf_type, nc_kreloc_kind_t *out);

/* Write the table for abs64[0..n_abs64) and abs32s[0..n_abs32s) (each strictly
 * ascending) with the given alignment into out[0..cap_bytes); *len_bytes gets
 * its length (NC_KRELOC_HEADER_BYTES + 4 * (n_abs64 + n_abs32s)).
 * Errors: NC_KRELOC_ERR_ALIGN, NC_KRELOC_ERR_OFFSET (not strictly ascending),
 * NC_KRELOC_ERR_NO_SPACE (nothing written then). */
nc_kreloc_err_t nc_kreloc_encode(const uint32_t *abs64, uint32_t n_abs64, const uint32_t *abs32s,
				 uint32_t n_abs32s, uint32_t align_log2, uint8_t *out,
				 size_t cap_bytes, size_t *len_bytes);

/* Check the header of table[0..table_bytes) and that its length matches the
 * counts; *out gets the header. Errors: NC_KRELOC_ERR_TRUNCATED,
 * NC_KRELOC_ERR_MAGIC, NC_KRELOC_ERR_ALIGN. */
nc_kreloc_err_t nc_kreloc_read_header(const uint8_t *table, size_t table_bytes,
				      nc_kreloc_header_t *out);

/* Add slide_bytes to every field the table lists in image[0..image_bytes)
 * (the image copied at its lowest address). Validates the whole table, every
 * offset and every 32-bit result first, and writes nothing unless all pass.
 * Errors: those of nc_kreloc_read_header, NC_KRELOC_ERR_SLIDE,
 * NC_KRELOC_ERR_OFFSET, NC_KRELOC_ERR_OVERFLOW. */
nc_kreloc_err_t nc_kreloc_apply(uint8_t *image, uint64_t image_bytes, const uint8_t *table,
				size_t table_bytes, uint64_t slide_bytes);

/* A short English name of err. Never NULL. */
const char *nc_kreloc_err_name(nc_kreloc_err_t err);

#endif
