/* Host side of the vector-file hook (vectors.h): libc's allocator and the
 * files under ../shared/vectors, relative to the repository root, where the
 * test runner starts. */
#include "vectors.h"
#include <stdio.h>
#include <stdlib.h>

static void *host_realloc(void *ud, void *p, size_t old_bytes, size_t new_bytes)
{
	(void)ud, (void)old_bytes;
	if (new_bytes == 0) {
		free(p);
		return NULL;
	}
	return realloc(p, new_bytes);
}

const json_alloc_t vec_alloc = { host_realloc, NULL };

char *vec_read_file(const char *dir, const char *name, size_t *len_out)
{
	char path[256];
	snprintf(path, sizeof path, "../shared/vectors/%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	if (size >= 0 && fseek(f, 0, SEEK_SET) == 0)
		buf = malloc((size_t)size + 1);
	if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[size] = '\0';
		*len_out = (size_t)size;
	}
	return buf;
}
