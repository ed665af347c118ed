/* The initrd file system (see kernel/fs.h). Archive names have no leading
 * "/" ("dir/file"); an archive directory entry may end in "/". Listing scans
 * the archive once per entry asked for: initrds hold a few dozen files. */
#include <kernel/fs.h>
#include <kernel/initrd.h>
#include <kernel/quota.h>
#include <nc/initrd.h>
#include <nc/mem.h>
#include <nc/scope.h>

nc_sys_err_t fs_resolve(const char *cwd, const char *path, size_t len, char *out, size_t *out_len)
{
	char joined[2 * NC_SYS_PATH_MAX + 2];
	size_t n = 0;
	if (len == 0 || len > NC_SYS_PATH_MAX)
		return NC_SYS_ERR_INVALID;
	if (path[0] != '/') {
		n = nc_str_len(cwd);
		nc_mem_copy(joined, cwd, n);
		joined[n++] = '/';
	}
	nc_mem_copy(joined + n, path, len);
	n += len;
	if (nc_scope_normalize(joined, n, out, NC_SYS_PATH_MAX + 1, out_len) != NC_SCOPE_OK)
		return NC_SYS_ERR_INVALID;
	return NC_SYS_OK;
}

/* The archive name of abs (no leading '/'; the root is ""). */
static const char *rel(const char *abs, size_t *len)
{
	(*len)--;
	return abs + 1;
}

/* Entry name e (dir entries may end in '/') with any trailing '/' dropped. */
static size_t name_len(const nc_initrd_entry_t *e)
{
	size_t n = nc_str_len(e->name);
	while (n && e->name[n - 1] == '/')
		n--;
	return n;
}

/* Is r[0..rlen) a directory: the root, a dir entry, or a proper prefix of a name? */
static bool is_dir(const char *r, size_t rlen)
{
	if (rlen == 0)
		return true;
	const uint8_t *buf;
	size_t size;
	initrd_archive(&buf, &size);
	nc_initrd_iter_t it;
	nc_initrd_entry_t e;
	nc_initrd_iter_init(&it, buf, size);
	while (nc_initrd_next(&it, &e) == NC_INITRD_OK) {
		size_t n = name_len(&e);
		if (n == rlen && e.kind == NC_INITRD_DIR && nc_mem_compare(e.name, r, rlen) == 0)
			return true;
		if (n > rlen && e.name[rlen] == '/' && nc_mem_compare(e.name, r, rlen) == 0)
			return true;
	}
	return false;
}

nc_sys_err_t fs_stat(const char *abs, size_t len, nc_sys_stat_t *st)
{
	const char *r = rel(abs, &len);
	const uint8_t *data;
	size_t size;
	nc_mem_set(st, 0, sizeof *st);
	if (len && initrd_lookup(r, len, &data, &size)) {
		st->type = NC_SYS_HANDLE_FILE;
		st->size_bytes = size;
		return NC_SYS_OK;
	}
	if (is_dir(r, len)) {
		st->type = NC_SYS_HANDLE_DIR;
		return NC_SYS_OK;
	}
	return NC_SYS_ERR_NOT_FOUND;
}

static void destroy_dir(kobj_t *o)
{
	kdir_t *d = (kdir_t *)o;
	quota_free_object(d->quota, d, sizeof *d);
}

static void destroy_file(kobj_t *o)
{
	kfile_t *f = (kfile_t *)o;
	quota_free_object(f->quota, f, sizeof *f);
}

nc_sys_err_t fs_open(const char *abs, size_t len, bool dir, kobj_t **out)
{
	nc_sys_stat_t st;
	nc_sys_err_t err = fs_stat(abs, len, &st);
	if (err)
		return err;
	if ((st.type == NC_SYS_HANDLE_DIR) != dir)
		return NC_SYS_ERR_WRONG_TYPE;
	quota_t *q = quota_current();
	if (dir) {
		kdir_t *d = quota_alloc_object(q, sizeof *d, &err);
		if (!d)
			return err;
		d->obj = (kobj_t){ NC_SYS_HANDLE_DIR, 1, destroy_dir };
		d->quota = q;
		nc_mem_copy(d->path, abs, len);
		d->path_len = (uint32_t)len;
		*out = &d->obj;
		return NC_SYS_OK;
	}
	kfile_t *f = quota_alloc_object(q, sizeof *f, &err);
	if (!f)
		return err;
	f->quota = q;
	size_t rlen = len;
	const char *r = rel(abs, &rlen);
	size_t size;
	initrd_lookup(r, rlen, &f->data, &size);
	f->size_bytes = size;
	f->obj = (kobj_t){ NC_SYS_HANDLE_FILE, 1, destroy_file };
	*out = &f->obj;
	return NC_SYS_OK;
}

nc_sys_err_t fs_dir_entry(const kdir_t *d, uint64_t index, nc_sys_dirent_t *out, uint64_t *n_entries)
{
	size_t plen = d->path_len;
	const char *p = rel(d->path, &plen);
	size_t skip = plen ? plen + 1 : 0; /* "dir/" before a child's name */
	const uint8_t *buf;
	size_t size;
	initrd_archive(&buf, &size);
	nc_initrd_iter_t it;
	nc_initrd_entry_t e;
	nc_initrd_iter_init(&it, buf, size);
	uint64_t seen = 0;
	while (nc_initrd_next(&it, &e) == NC_INITRD_OK) {
		size_t n = name_len(&e);
		if (n <= skip || (plen && (e.name[plen] != '/' || nc_mem_compare(e.name, p, plen) != 0)))
			continue;
		const char *child = e.name + skip;
		size_t clen = n - skip, k = 0;
		while (k < clen && child[k] != '/')
			k++;
		if (k != clen || (e.kind != NC_INITRD_FILE && e.kind != NC_INITRD_DIR))
			continue; /* deeper than one level (its directory has an entry of its own) */
		if (seen++ != index)
			continue;
		nc_mem_set(out, 0, sizeof *out);
		out->type = e.kind == NC_INITRD_DIR ? NC_SYS_HANDLE_DIR : NC_SYS_HANDLE_FILE;
		out->size_bytes = e.kind == NC_INITRD_DIR ? 0 : e.size_bytes;
		nc_mem_copy(out->name, child, clen < sizeof out->name ? clen : sizeof out->name - 1);
		return NC_SYS_OK;
	}
	*n_entries = seen;
	return NC_SYS_ERR_NOT_FOUND;
}
