/* Path walks from the root. Components are separated by '/', empty ones are skipped, "." and ".."
 * are the entries every directory has. A symbolic link is never followed: as the last component it
 * is the result (like lstat), inside the path it is NC_FS_ERR_SYMLINK. An entry that names a free
 * inode is NC_FS_ERR_BAD_DIR. */
#include "fs_int.h"

typedef struct {
	const char *p, *end;
} cursor_t;

/* The next component; false at the end. */
static bool next_name(cursor_t *c, const char **name, uint32_t *len)
{
	while (c->p < c->end && *c->p == '/')
		c->p++;
	if (c->p == c->end)
		return false;
	const char *s = c->p;
	while (c->p < c->end && *c->p != '/')
		c->p++;
	*name = s;
	*len = (uint32_t)(c->p - s);
	return true;
}

static bool is_last(cursor_t c)
{
	const char *name;
	uint32_t len;
	return !next_name(&c, &name, &len);
}

nc_fs_err_t walk_step(nc_fs_t *fs, const fs_inode_t *dir, const char *name, size_t len, fs_inode_t *out)
{
	if ((dir->mode & MODE_TYPE_MASK) != MODE_DIR)
		return NC_FS_ERR_NOT_DIR;
	if (len > NC_FS_NAME_MAX)
		return NC_FS_ERR_NAME_TOO_LONG;
	uint32_t ino;
	nc_fs_err_t err = dir_lookup(fs, dir, name, (uint32_t)len, &ino);
	if (!err)
		err = ino ? inode_read(fs, ino, out) : NC_FS_ERR_BAD_DIR;
	if (!err && (out->mode == 0 || out->links == 0))
		err = NC_FS_ERR_BAD_DIR;
	return err;
}

static nc_fs_err_t check_path(const char *path, size_t len)
{
	if (!path || len > NC_FS_PATH_MAX)
		return NC_FS_ERR_INVALID;
	for (size_t i = 0; i < len; i++)
		if (path[i] == '\0')
			return NC_FS_ERR_INVALID;
	return NC_FS_OK;
}

/* Walk while more components follow; returns at the last one (c at it). */
static nc_fs_err_t walk_dirs(nc_fs_t *fs, cursor_t *c, fs_inode_t *cur)
{
	nc_fs_err_t err = inode_read(fs, INO_ROOT, cur);
	if (!err && (cur->mode & MODE_TYPE_MASK) != MODE_DIR)
		err = NC_FS_ERR_BAD_INODE;
	const char *name;
	uint32_t len;
	cursor_t before = *c;
	while (!err && next_name(c, &name, &len)) {
		if (is_last(*c)) {
			*c = before;
			return NC_FS_OK;
		}
		fs_inode_t next;
		err = walk_step(fs, cur, name, len, &next);
		if (!err && (next.mode & MODE_TYPE_MASK) == MODE_LNK)
			err = NC_FS_ERR_SYMLINK;
		*cur = next;
		before = *c;
	}
	return err;
}

/* Check path and walk it to its last component (c left there, *dir the directory above). */
static nc_fs_err_t walk_to_last(nc_fs_t *fs, const char *path, size_t len, cursor_t *c, fs_inode_t *dir)
{
	nc_fs_err_t err = check_path(path, len);
	*c = (cursor_t){ path, path + len };
	return err ? err : walk_dirs(fs, c, dir);
}

nc_fs_err_t walk_path(nc_fs_t *fs, const char *path, size_t len, fs_inode_t *out)
{
	cursor_t c;
	nc_fs_err_t err = walk_to_last(fs, path, len, &c, out);
	const char *name;
	uint32_t nlen;
	if (!err && next_name(&c, &name, &nlen)) {
		fs_inode_t dir = *out;
		err = walk_step(fs, &dir, name, nlen, out);
	}
	return err;
}

nc_fs_err_t walk_parent(nc_fs_t *fs, const char *path, size_t len, walk_t *out)
{
	cursor_t c;
	nc_fs_err_t err = walk_to_last(fs, path, len, &c, &out->parent);
	if (err)
		return err;
	if (!next_name(&c, &out->name, &out->name_len))
		return NC_FS_ERR_INVALID; /* the root has no parent */
	if ((out->parent.mode & MODE_TYPE_MASK) != MODE_DIR)
		return NC_FS_ERR_NOT_DIR;
	if (out->name_len > NC_FS_NAME_MAX)
		return NC_FS_ERR_NAME_TOO_LONG;
	bool dots = out->name[0] == '.' && (out->name_len == 1u || (out->name_len == 2u && out->name[1] == '.'));
	if (dots)
		return NC_FS_ERR_INVALID;
	err = dir_lookup(fs, &out->parent, out->name, out->name_len, &out->ino);
	out->found = err == NC_FS_OK;
	if (out->found && out->ino == 0)
		return NC_FS_ERR_BAD_DIR;
	return err == NC_FS_ERR_NOT_FOUND ? NC_FS_OK : err;
}
