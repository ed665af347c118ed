/* FdRead and FdWrite (docs/abi.md): console handles read the COM1 input ring
 * (kernel/console_input.h) and write the kernel console; initrd file handles
 * read the initrd at their position; files a file-system service opened are
 * read and written by that service (kernel/remote.h). Data passes through a
 * per-call kernel buffer of at most NC_SYS_IO_MAX_BYTES from the kernel heap,
 * or, for FdReadBulk and FdWriteBulk of more, a window the service gets
 * mapped (kernel/service_window.h). */
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/console_input.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/process.h>
#include <kernel/remote.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>

static nc_sys_err_t read_file(kfile_t *f, uint64_t buf, uint64_t len, uint64_t *n_out)
{
	/* claim [pos, pos + n) atomically so threads sharing the handle never read
	 * the same bytes twice */
	uint64_t pos = __atomic_load_n(&f->pos, __ATOMIC_RELAXED), n;
	do {
		n = pos >= f->size_bytes ? 0 : f->size_bytes - pos;
		if (n > len)
			n = len;
	} while (!__atomic_compare_exchange_n(&f->pos, &pos, pos + n, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	if (n && copy_to_user(buf, f->data + pos, n))
		return NC_SYS_ERR_BAD_ADDRESS;
	*n_out = n;
	return NC_SYS_OK;
}

static nc_sys_err_t read_console(uint64_t buf, uint64_t len, uint64_t timeout_ns, uint64_t *n_out)
{
	uint8_t *k = heap_alloc(len);
	if (!k)
		return NC_SYS_ERR_NO_MEMORY;
	size_t n = 0;
	nc_sys_err_t err = console_input_read(k, len, clock_deadline_after(timeout_ns), &n);
	/* bytes taken from the ring are lost if the buffer faults: the caller's bug */
	if (!err && copy_to_user(buf, k, n))
		err = NC_SYS_ERR_BAD_ADDRESS;
	heap_free(k);
	if (!err)
		*n_out = n;
	return err;
}

/* A service's file: an FdRead through the request's reply data, or (more
 * than IO_MAX_BYTES) an FdReadBulk through a window. */
static nc_sys_err_t read_remote(kobj_t *o, uint64_t buf, uint64_t len, uint64_t *n_out)
{
	if (len > NC_SYS_IO_MAX_BYTES) {
		svc_call_t c = { .op = NC_SYS_FD_READ_BULK, .errors = NC_SYS_ERRORS_FD_READ_BULK, .args = { len },
				 .window = buf, .window_len = len };
		nc_sys_err_t err = remote_call(o, &c, NULL);
		if (!err)
			*n_out = c.result;
		return err;
	}
	uint8_t *k = heap_alloc(len);
	if (!k)
		return NC_SYS_ERR_NO_MEMORY;
	svc_call_t c = { .op = NC_SYS_FD_READ, .errors = NC_SYS_ERRORS_FD_READ, .args = { len }, .out = k,
			 .out_max = len };
	nc_sys_err_t err = remote_call(o, &c, NULL);
	if (!err && c.result != c.out_len)
		err = NC_SYS_ERR_IO_ERROR;
	if (!err && copy_to_user(buf, k, c.out_len))
		err = NC_SYS_ERR_BAD_ADDRESS;
	heap_free(k);
	if (!err)
		*n_out = c.out_len;
	return err;
}

/* A service's file: an FdWrite with the bytes as payload, or (more than
 * IO_MAX_BYTES) an FdWriteBulk with them in a window. */
static nc_sys_err_t write_remote(kobj_t *o, uint64_t buf, uint64_t len, uint64_t *n_out)
{
	svc_call_t c = { .op = NC_SYS_FD_WRITE_BULK, .errors = NC_SYS_ERRORS_FD_WRITE_BULK, .args = { len },
			 .window = buf, .window_len = len, .window_fill = true };
	uint8_t *k = NULL;
	if (len <= NC_SYS_IO_MAX_BYTES) {
		c = (svc_call_t){ .op = NC_SYS_FD_WRITE, .errors = NC_SYS_ERRORS_FD_WRITE, .in_len = len };
		if (len && !(k = heap_alloc(len)))
			return NC_SYS_ERR_NO_MEMORY;
		if (len && copy_from_user(k, buf, len)) {
			heap_free(k);
			return NC_SYS_ERR_BAD_ADDRESS;
		}
		c.in = k;
	}
	nc_sys_err_t err = remote_call(o, &c, NULL);
	heap_free(k);
	if (!err && c.result > len)
		err = NC_SYS_ERR_IO_ERROR;
	if (!err)
		*n_out = c.result;
	return err;
}

/* The console takes len bytes in IO_MAX_BYTES pieces. */
static nc_sys_err_t write_console(uint64_t buf, uint64_t len, uint64_t *n_out)
{
	size_t piece = len < NC_SYS_IO_MAX_BYTES ? len : NC_SYS_IO_MAX_BYTES;
	char *k = NULL;
	if (piece && !(k = heap_alloc(piece)))
		return NC_SYS_ERR_NO_MEMORY;
	nc_sys_err_t err = NC_SYS_OK;
	uint64_t done = 0;
	while (!err && done < len) {
		size_t n = len - done < piece ? len - done : piece;
		if (copy_from_user(k, buf + done, n))
			err = NC_SYS_ERR_BAD_ADDRESS;
		else
			console_write(k, n);
		done += err ? 0 : n;
	}
	heap_free(k);
	if (!err)
		*n_out = done;
	return err;
}

/* FdRead and FdReadBulk: len_bytes up to max. */
static nc_sys_err_t fd_read(uint64_t handle, uint64_t buf, uint64_t len_bytes, uint64_t timeout_ns, uint64_t max,
			    uint64_t *n_bytes_out)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, 0, NC_SYS_RIGHT_READ, &r);
	if (err)
		return err;
	if (len_bytes == 0 || len_bytes > max)
		err = NC_SYS_ERR_INVALID;
	else if (remote_is(r.obj) && r.obj->type == NC_SYS_HANDLE_FILE)
		err = read_remote(r.obj, buf, len_bytes, n_bytes_out);
	else if (r.obj->type == NC_SYS_HANDLE_FILE)
		err = read_file((kfile_t *)r.obj, buf, len_bytes, n_bytes_out);
	else if (r.obj->type == NC_SYS_HANDLE_CONSOLE)
		err = read_console(buf, len_bytes < NC_SYS_IO_MAX_BYTES ? len_bytes : NC_SYS_IO_MAX_BYTES, timeout_ns,
				   n_bytes_out);
	else
		err = NC_SYS_ERR_WRONG_TYPE;
	handle_put(&r);
	return err;
}

/* FdWrite and FdWriteBulk: len_bytes up to max. */
static nc_sys_err_t fd_write(uint64_t handle, uint64_t buf, uint64_t len_bytes, uint64_t max, uint64_t *n_bytes_out)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, 0, 0, &r);
	if (err)
		return err;
	bool remote = remote_is(r.obj) && r.obj->type == NC_SYS_HANDLE_FILE;
	if (r.obj->type == NC_SYS_HANDLE_FILE && !remote)
		err = NC_SYS_ERR_DENIED; /* the initrd is read-only */
	else if (r.obj->type != NC_SYS_HANDLE_CONSOLE && !remote)
		err = NC_SYS_ERR_WRONG_TYPE;
	else if (!(r.rights & NC_SYS_RIGHT_WRITE))
		err = NC_SYS_ERR_DENIED;
	else if (len_bytes > max)
		err = NC_SYS_ERR_INVALID;
	else if (remote)
		err = write_remote(r.obj, buf, len_bytes, n_bytes_out);
	else
		err = write_console(buf, len_bytes, n_bytes_out);
	handle_put(&r);
	return err;
}

nc_sys_err_t sys_fd_read(uint64_t handle, uint64_t buf, uint64_t len_bytes, uint64_t timeout_ns,
			 uint64_t *n_bytes_out)
{
	return fd_read(handle, buf, len_bytes, timeout_ns, NC_SYS_IO_MAX_BYTES, n_bytes_out);
}

nc_sys_err_t sys_fd_read_bulk(uint64_t handle, uint64_t buf, uint64_t len_bytes, uint64_t timeout_ns,
			      uint64_t *n_bytes_out)
{
	return fd_read(handle, buf, len_bytes, timeout_ns, NC_SYS_IO_BULK_MAX_BYTES, n_bytes_out);
}

nc_sys_err_t sys_fd_write(uint64_t handle, uint64_t buf, uint64_t len_bytes, uint64_t *n_bytes_out)
{
	return fd_write(handle, buf, len_bytes, NC_SYS_IO_MAX_BYTES, n_bytes_out);
}

nc_sys_err_t sys_fd_write_bulk(uint64_t handle, uint64_t buf, uint64_t len_bytes, uint64_t *n_bytes_out)
{
	return fd_write(handle, buf, len_bytes, NC_SYS_IO_BULK_MAX_BYTES, n_bytes_out);
}
