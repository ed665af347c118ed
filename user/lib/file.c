/* Reading a whole file (see nc/ulib.h): an initrd file into a new block
 * (nc_file_read_all), any file into the caller's buffer (nc_file_read). */
#include <nc/mem.h>
#include <nc/ulib.h>

nc_sys_err_t nc_file_read_all(const char *path, uint8_t **data, uint64_t *len)
{
	size_t path_len = nc_str_len(path);
	nc_sys_stat_t st;
	nc_sys_err_t err = path_len && path[0] == '/' ? nc_sys_fs_stat(path, path_len, &st) : NC_SYS_ERR_INVALID;
	if (err)
		return err;
	uint8_t *buf = nc_malloc(st.size_bytes ? st.size_bytes : 1);
	if (!buf)
		return NC_SYS_ERR_NO_MEMORY;
	for (uint64_t got = 0, n; !err && got < st.size_bytes; got += n) {
		/* InitrdRead takes the path without the leading '/' */
		err = nc_sys_initrd_read(path + 1, path_len - 1, buf + got, st.size_bytes - got, got, &n);
		if (!err && n == 0)
			err = NC_SYS_ERR_INVALID;
		if (err)
			n = 0;
	}
	if (err) {
		nc_free(buf);
		return err;
	}
	*data = buf;
	*len = st.size_bytes;
	return NC_SYS_OK;
}

nc_sys_err_t nc_file_read(const char *path, size_t path_len, void *buf, size_t cap, size_t *len)
{
	uint64_t h, got;
	*len = 0;
	nc_sys_err_t err = nc_sys_fs_open(path, path_len, 0, &h);
	if (err)
		return err;
	for (;;) {
		uint8_t probe; /* the buffer is full: is there more? */
		size_t room = cap - *len;
		err = nc_fd_read_some(h, room ? (uint8_t *)buf + *len : &probe, room ? room : 1, &got);
		if (err || !got)
			break;
		if (!room) {
			err = NC_SYS_ERR_LIMIT;
			break;
		}
		*len += got;
	}
	nc_sys_handle_close(h);
	return err;
}
