/* Shared inside lib/tee (not part of its API). */
#ifndef LIB_TEE_INTERNAL_H
#define LIB_TEE_INTERNAL_H

#include <nc/tee.h>
#include <nc/wire.h>

/* Read a 4-byte magic and a version byte: NC_TEE_ERR_FORMAT when the magic
 * differs or the input ends, NC_TEE_ERR_VERSION when the version is not
 * `version`. */
nc_tee_err_t tee_read_header(nc_wire_reader_t *r, const char magic[4], uint8_t version);
/* Write them. */
void tee_write_header(nc_wire_writer_t *w, const char magic[4], uint8_t version);
/* Encode / decode a seq<[u8; 32]> of n items, n at most max. Decode: FORMAT
 * when the count is out of min..max or the input ends. */
void tee_write_digests(nc_wire_writer_t *w, const uint8_t (*items)[32], uint32_t n);
nc_tee_err_t tee_read_digests(nc_wire_reader_t *r, uint8_t (*items)[32], uint32_t min, uint32_t max,
			      uint32_t *n);

/* The fields a development quote body and a claims record share, in this
 * order: tcb_svn: u32, measurement: [u8; 32], log_digest: [u8; 32],
 * log_entries: u32, report_data: [u8; 64] (read into c, written from c). */
void tee_write_measured(nc_wire_writer_t *w, const nc_tee_claims_t *c);
void tee_read_measured(nc_wire_reader_t *r, nc_tee_claims_t *c);

/* Little-endian integers at p (TDX and SNP layouts). */
static inline uint64_t tee_le(const uint8_t *p, unsigned n_bytes)
{
	uint64_t v = 0;
	for (unsigned i = n_bytes; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

#endif
