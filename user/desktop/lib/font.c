/* Fonts from the initrd for the desktop's programs, and the allocator they
 * and lib/term use (nc/desktop.h). */
#include <nc/desktop.h>

void *desk_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return nc_malloc(n);
}

void desk_free(void *ctx, void *p)
{
	(void)ctx;
	nc_free(p);
}

static const nc_font_alloc_t heap = { NULL, desk_alloc, desk_free };

nc_sys_err_t desk_font_load(desk_font_t *f, const char *path, int px_height)
{
	uint64_t len;
	nc_sys_err_t err = nc_file_read_all(path, &f->data, &len);
	if (err)
		return err;
	nc_font_err_t ferr = nc_font_create(f->data, len, &heap, &f->font);
	if (!ferr && (ferr = nc_font_face_create(f->font, px_height, &f->face)))
		nc_font_destroy(f->font);
	if (ferr) {
		nc_free(f->data);
		return ferr == NC_FONT_ERR_NOMEM ? NC_SYS_ERR_NO_MEMORY : NC_SYS_ERR_INVALID;
	}
	return NC_SYS_OK;
}
