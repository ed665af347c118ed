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
	size_t len = 0;
	while (path[len])
		len++;
	nc_sys_stat_t st;
	nc_sys_err_t err = nc_sys_fs_stat(path, len, &st);
	if (err)
		return err;
	f->data = nc_malloc(st.size_bytes ? st.size_bytes : 1);
	if (!f->data)
		return NC_SYS_ERR_NO_MEMORY;
	uint64_t got = 0;
	while (!err && got < st.size_bytes) {
		uint64_t n;
		/* InitrdRead takes the path without the leading '/' */
		err = nc_sys_initrd_read(path + 1, len - 1, f->data + got, st.size_bytes - got, got, &n);
		if (!err && n == 0)
			err = NC_SYS_ERR_INVALID;
		got += err ? 0 : n;
	}
	nc_font_err_t ferr = NC_FONT_OK;
	if (!err) {
		ferr = nc_font_create(f->data, st.size_bytes, &heap, &f->font);
		if (!ferr && (ferr = nc_font_face_create(f->font, px_height, &f->face)))
			nc_font_destroy(f->font);
	}
	if (!err && ferr)
		err = ferr == NC_FONT_ERR_NOMEM ? NC_SYS_ERR_NO_MEMORY : NC_SYS_ERR_INVALID;
	if (err)
		nc_free(f->data);
	return err;
}
