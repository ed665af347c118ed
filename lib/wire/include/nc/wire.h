/* Postcard wire format (the serde format of the Rust `postcard` crate, spec
 * "postcard wire format" v1) over caller buffers: no allocation, no libc;
 * kernel-safe. Encodings, as the spec gives them:
 *   bool             one byte, 0x00 or 0x01
 *   u8 / i8          one byte (i8 two's complement)
 *   u16 u32 u64      unsigned LEB128 varint, at most 3 / 5 / 10 bytes
 *   i16 i32 i64      zigzag ((n << 1) ^ (n >> bits-1)), then varint
 *   usize (lengths)  varint as u64
 *   bytes, str       varint length, then the bytes (str: UTF-8)
 *   [u8; N]          N raw bytes, no length ("raw" below)
 *   Option<T>        0x00 = None, 0x01 then T = Some
 *   enum             varint u32 variant index, then the variant's fields
 *   struct, tuple    fields in order, nothing between them
 * Decoding is strict, so every value has exactly one encoding: a varint with
 * a redundant trailing zero group or more groups than its type allows is
 * NC_WIRE_ERR_VARINT_OVERLONG, one whose value exceeds its type is
 * NC_WIRE_ERR_VARINT_RANGE, a bool or Option tag other than 0/1 is
 * NC_WIRE_ERR_BAD_TAG, a str that is not UTF-8 (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF) is NC_WIRE_ERR_BAD_UTF8, and bytes
 * left after the top-level value are NC_WIRE_ERR_TRAILING (nc_wire_reader_finish).
 * (Postcard itself accepts redundant varint groups; we do not.)
 *
 * Errors are sticky: after the first error every further call on the same
 * writer or reader returns that error and does nothing, so a caller may chain
 * calls and check once. Writers and readers are not thread-safe; distinct ones
 * are independent. */
#ifndef NC_WIRE_H
#define NC_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	NC_WIRE_OK = 0,
	NC_WIRE_ERR_OVERFLOW,        /* the output buffer is full */
	NC_WIRE_ERR_TRUNCATED,       /* the input ends inside a value */
	NC_WIRE_ERR_VARINT_OVERLONG, /* a non-minimal varint, or too many groups */
	NC_WIRE_ERR_VARINT_RANGE,    /* a varint value too big for its type */
	NC_WIRE_ERR_BAD_TAG,         /* a bool/Option byte other than 0 or 1 */
	NC_WIRE_ERR_BAD_UTF8,        /* a str that is not valid UTF-8 */
	NC_WIRE_ERR_TOO_LONG,        /* a length over the caller's limit */
	NC_WIRE_ERR_TRAILING,        /* bytes left after the value */
} nc_wire_err_t;

/* Static name of err ("NC_WIRE_ERR_TRUNCATED"); "NC_WIRE_ERR_UNKNOWN" otherwise. */
const char *nc_wire_err_name(nc_wire_err_t err);

/* Longest varint of a u64, in bytes. */
#define NC_WIRE_VARINT_MAX_BYTES 10u

/* True iff s[0..len_bytes) is valid UTF-8 (RFC 3629). */
bool nc_wire_utf8_valid(const uint8_t *s, size_t len_bytes);

/* ---- encoding ------------------------------------------------------------- */

typedef struct {
	uint8_t *buf;     /* borrowed; must outlive the writer */
	size_t cap_bytes; /* size of buf */
	size_t len_bytes; /* bytes written so far */
	nc_wire_err_t err;
} nc_wire_writer_t;

/* Start writing into buf[0..cap_bytes). */
void nc_wire_writer_init(nc_wire_writer_t *w, uint8_t *buf, size_t cap_bytes);

/* Each returns the writer's (sticky) error: NC_WIRE_ERR_OVERFLOW when the value
 * does not fit (nothing of it is written); nc_wire_encode_str also
 * NC_WIRE_ERR_BAD_UTF8. */
nc_wire_err_t nc_wire_encode_bool(nc_wire_writer_t *w, bool v);
nc_wire_err_t nc_wire_encode_u8(nc_wire_writer_t *w, uint8_t v);
nc_wire_err_t nc_wire_encode_u16(nc_wire_writer_t *w, uint16_t v);
nc_wire_err_t nc_wire_encode_u32(nc_wire_writer_t *w, uint32_t v);
nc_wire_err_t nc_wire_encode_u64(nc_wire_writer_t *w, uint64_t v);
nc_wire_err_t nc_wire_encode_i8(nc_wire_writer_t *w, int8_t v);
nc_wire_err_t nc_wire_encode_i16(nc_wire_writer_t *w, int16_t v);
nc_wire_err_t nc_wire_encode_i32(nc_wire_writer_t *w, int32_t v);
nc_wire_err_t nc_wire_encode_i64(nc_wire_writer_t *w, int64_t v);
/* A usize: sequence lengths, map lengths. */
nc_wire_err_t nc_wire_encode_len(nc_wire_writer_t *w, size_t v);
/* An enum variant index. */
nc_wire_err_t nc_wire_encode_variant(nc_wire_writer_t *w, uint32_t index);
/* An Option tag: false = None (0x00), true = Some (0x01, the value follows). */
nc_wire_err_t nc_wire_encode_option(nc_wire_writer_t *w, bool some);
/* Length-prefixed bytes, and a length-prefixed UTF-8 str. */
nc_wire_err_t nc_wire_encode_bytes(nc_wire_writer_t *w, const uint8_t *p, size_t len_bytes);
nc_wire_err_t nc_wire_encode_str(nc_wire_writer_t *w, const char *s, size_t len_bytes);
/* Fixed-size array ([u8; N]): the bytes only. */
nc_wire_err_t nc_wire_encode_raw(nc_wire_writer_t *w, const uint8_t *p, size_t len_bytes);

/* ---- decoding ------------------------------------------------------------- */

typedef struct {
	const uint8_t *buf; /* borrowed; decoded bytes/str point into it */
	size_t len_bytes;
	size_t pos; /* bytes consumed */
	nc_wire_err_t err;
} nc_wire_reader_t;

void nc_wire_reader_init(nc_wire_reader_t *r, const uint8_t *buf, size_t len_bytes);
/* NC_WIRE_ERR_TRAILING if input is left over (or the sticky error, if any). */
nc_wire_err_t nc_wire_reader_finish(const nc_wire_reader_t *r);

/* Each returns the reader's (sticky) error; on error *out is set to 0 / false /
 * NULL and pos does not move past the bad value. Errors as in the file comment. */
nc_wire_err_t nc_wire_decode_bool(nc_wire_reader_t *r, bool *out);
nc_wire_err_t nc_wire_decode_u8(nc_wire_reader_t *r, uint8_t *out);
nc_wire_err_t nc_wire_decode_u16(nc_wire_reader_t *r, uint16_t *out);
nc_wire_err_t nc_wire_decode_u32(nc_wire_reader_t *r, uint32_t *out);
nc_wire_err_t nc_wire_decode_u64(nc_wire_reader_t *r, uint64_t *out);
nc_wire_err_t nc_wire_decode_i8(nc_wire_reader_t *r, int8_t *out);
nc_wire_err_t nc_wire_decode_i16(nc_wire_reader_t *r, int16_t *out);
nc_wire_err_t nc_wire_decode_i32(nc_wire_reader_t *r, int32_t *out);
nc_wire_err_t nc_wire_decode_i64(nc_wire_reader_t *r, int64_t *out);
/* A usize length, at most max (else NC_WIRE_ERR_TOO_LONG). */
nc_wire_err_t nc_wire_decode_len(nc_wire_reader_t *r, size_t max, size_t *out);
nc_wire_err_t nc_wire_decode_variant(nc_wire_reader_t *r, uint32_t *index);
nc_wire_err_t nc_wire_decode_option(nc_wire_reader_t *r, bool *some);
/* Length-prefixed bytes of at most max_bytes: *out points into the input
 * (valid while the input buffer is). Errors: TOO_LONG, TRUNCATED, varint errors. */
nc_wire_err_t nc_wire_decode_bytes(nc_wire_reader_t *r, size_t max_bytes, const uint8_t **out,
				   size_t *len_bytes);
/* As nc_wire_decode_bytes, and the bytes must be UTF-8 (NC_WIRE_ERR_BAD_UTF8).
 * *out is not NUL-terminated. */
nc_wire_err_t nc_wire_decode_str(nc_wire_reader_t *r, size_t max_bytes, const char **out,
				 size_t *len_bytes);
/* Exactly len_bytes raw bytes, copied to out (left untouched on error). */
nc_wire_err_t nc_wire_decode_raw(nc_wire_reader_t *r, uint8_t *out, size_t len_bytes);

#endif
