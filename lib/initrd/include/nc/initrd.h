/* The initrd: a POSIX ustar archive (POSIX.1-2008, pax "ustar Interchange
 * Format") made by the build with `tar --format=ustar`. Read-only access in
 * place: no allocation, entries borrow from the archive buffer. Every header is
 * checked (checksum, octal fields, data inside the buffer) before use. */
#ifndef NC_INITRD_H
#define NC_INITRD_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef enum {
	NC_INITRD_OK = 0,
	NC_INITRD_END,              /* no more entries (not an error for iteration) */
	NC_INITRD_ERR_TRUNCATED,    /* a header or file's data runs past the buffer */
	NC_INITRD_ERR_CHECKSUM,     /* header checksum mismatch */
	NC_INITRD_ERR_FORMAT,       /* not ustar, or a malformed numeric field */
	NC_INITRD_ERR_NOT_FOUND,    /* nc_initrd_find: no such file */
} nc_initrd_err_t;

/* The longest ustar path: prefix (155 bytes) "/" name (100 bytes), and its NUL. */
enum { NC_INITRD_NAME_MAX = 155 + 1 + 100 + 1 };

typedef enum { NC_INITRD_FILE, NC_INITRD_DIR, NC_INITRD_OTHER } nc_initrd_kind_t;

typedef struct {
	char name[NC_INITRD_NAME_MAX];  /* path without a leading "./" or "/", NUL-terminated */
	nc_initrd_kind_t kind;
	const uint8_t *data;            /* borrows from the archive */
	size_t size_bytes;
} nc_initrd_entry_t;

typedef struct {
	const uint8_t *buf;
	size_t len_bytes;
	size_t pos;                     /* offset of the next header */
} nc_initrd_iter_t;

void nc_initrd_iter_init(nc_initrd_iter_t *it, const uint8_t *buf, size_t len_bytes);

/* Next entry into *out. Returns NC_INITRD_OK, NC_INITRD_END at the end-of-archive
 * marker or the end of the buffer, or an error (iteration cannot continue). */
nc_initrd_err_t nc_initrd_next(nc_initrd_iter_t *it, nc_initrd_entry_t *out);

/* Find the regular file at path ("dir/file", no leading "./"). */
nc_initrd_err_t nc_initrd_find(const uint8_t *buf, size_t len_bytes, const char *path,
			       nc_initrd_entry_t *out);

const char *nc_initrd_err_name(nc_initrd_err_t err);

#endif
