#define _POSIX_C_SOURCE 200809L /* strnlen */
/* libFuzzer target: arbitrary bytes as an initrd (ustar) archive. Every entry
 * nc_initrd_next reports is checked against nc/initrd.h: its data lies inside
 * the buffer after its header, its name is NUL-terminated inside name[] with no
 * leading "./" or "/" and no trailing "/", and iteration moves forward; a path
 * nc_initrd_find finds is a regular file of that name that iteration also
 * reports. A crash, sanitizer report or broken promise (abort) is a finding.
 * Seeds: small archives written by GNU tar (build.mk). */
#include <nc/initrd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void promise(bool ok)
{
	if (!ok)
		abort();
}

static void check_entry(const nc_initrd_entry_t *e, const uint8_t *data, size_t size)
{
	size_t n = strnlen(e->name, sizeof e->name);
	promise(n < sizeof e->name);
	promise(e->name[0] != '/' && !(e->name[0] == '.' && e->name[1] == '/'));
	promise(n == 0 || e->name[n - 1] != '/');
	promise(e->data >= data + 512 && e->data <= data + size);
	promise(e->size_bytes <= (size_t)(data + size - e->data));
	promise(e->kind == NC_INITRD_FILE || e->kind == NC_INITRD_DIR || e->kind == NC_INITRD_OTHER);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	nc_initrd_iter_t it;
	nc_initrd_entry_t e, first_file;
	bool have_file = false;
	nc_initrd_iter_init(&it, data, size);
	size_t pos = 0;
	nc_initrd_err_t err;
	while ((err = nc_initrd_next(&it, &e)) == NC_INITRD_OK) {
		check_entry(&e, data, size);
		promise(it.pos > pos && it.pos <= size);
		pos = it.pos;
		if (e.kind == NC_INITRD_FILE && !have_file) {
			first_file = e;
			have_file = true;
		}
	}
	promise(err == NC_INITRD_END || err == NC_INITRD_ERR_TRUNCATED || err == NC_INITRD_ERR_CHECKSUM ||
		err == NC_INITRD_ERR_FORMAT);
	if (have_file) {
		/* find gives the first regular file of that name: the one iteration met first */
		promise(nc_initrd_find(data, size, first_file.name, &e) == NC_INITRD_OK);
		promise(e.kind == NC_INITRD_FILE && strcmp(e.name, first_file.name) == 0);
		promise(e.data == first_file.data && e.size_bytes == first_file.size_bytes);
	}
	return 0;
}
