/* NexaCore side of the vector-file hook (tests/lib/crypto/vectors.h): the
 * user heap (nc_heap_realloc) and the test initrd, where the build places each
 * vector file at the root under its own name (build.mk), so DIR is not part of
 * the path. Reading needs an fs.read capability covering it (libtests holds
 * init's). */
#include <nc/mem.h>
#include <nc/ulib.h>
#include "../../lib/crypto/vectors.h"

const json_alloc_t vec_alloc = { nc_heap_realloc, NULL };

char *vec_read_file(const char *dir, const char *name, size_t *len_out)
{
	(void)dir;
	char path[128];
	size_t name_len = nc_str_len(name);
	if (name_len + 1 > sizeof path)
		return NULL;
	path[0] = '/';
	nc_mem_copy(path + 1, name, name_len);
	uint64_t h = 0, got = 0;
	if (nc_sys_fs_open(path, name_len + 1, 0, &h) != NC_SYS_OK)
		return NULL;
	size_t cap = 64 * 1024, len = 0;
	char *buf = nc_heap_realloc(NULL, NULL, 0, cap);
	nc_sys_err_t err = buf ? NC_SYS_OK : NC_SYS_ERR_NO_MEMORY;
	while (err == NC_SYS_OK) {
		if (cap - len < NC_SYS_IO_MAX_BYTES + 1) {
			char *bigger = nc_heap_realloc(NULL, buf, cap, 2 * cap);
			if (!bigger) {
				err = NC_SYS_ERR_NO_MEMORY;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
		err = nc_sys_fd_read(h, buf + len, NC_SYS_IO_MAX_BYTES, 0, &got);
		if (err == NC_SYS_OK && got == 0)
			break;
		len += got;
	}
	nc_sys_handle_close(h);
	if (err != NC_SYS_OK) {
		nc_heap_realloc(NULL, buf, cap, 0);
		return NULL;
	}
	/* hand back a block of exactly len + 1 bytes, as vectors.h promises */
	char *out = nc_heap_realloc(NULL, buf, cap, len + 1);
	if (!out) {
		nc_heap_realloc(NULL, buf, cap, 0);
		return NULL;
	}
	out[len] = '\0';
	*len_out = len;
	return out;
}
