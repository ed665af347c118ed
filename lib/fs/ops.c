/* The namespace calls: lookup, stat, create, mkdir, unlink, rmdir, link, rename, set_times.
 * Each change is one operation (txn.c) that first walks and checks everything it needs and only
 * then changes entries and inodes; an error on the way rolls the whole operation back. Freeing
 * the blocks of a removed inode follows in further operations (shrink.c), after the name is gone
 * and the inode is on the orphan list, so a power cut in between loses nothing but time. */
#include "fs_int.h"

static bool is_dir(const fs_inode_t *in)
{
	return (in->mode & MODE_TYPE_MASK) == MODE_DIR;
}

/* Start a namespace operation. */
static nc_fs_err_t begin(nc_fs_t *fs)
{
	return fs ? op_begin(fs, CREDITS_NAMESPACE) : NC_FS_ERR_INVALID;
}

/* Start a namespace operation at path's last component; on an error it is already over. */
static nc_fs_err_t begin_at(nc_fs_t *fs, const char *path, size_t path_len, walk_t *w)
{
	nc_fs_err_t err = begin(fs);
	if (err)
		return err;
	err = walk_parent(fs, path, path_len, w);
	return err ? op_end(fs, err) : NC_FS_OK;
}

/* A path with no component names the root. */
static bool names_root(const char *path, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (path[i] != '/')
			return false;
	return true;
}

nc_fs_err_t nc_fs_lookup(nc_fs_t *fs, const char *path, size_t path_len, nc_fs_node_t *out)
{
	if (!fs || !out)
		return NC_FS_ERR_INVALID;
	fs_inode_t in;
	nc_fs_err_t err = walk_path(fs, path, path_len, &in);
	if (!err)
		*out = inode_node(&in);
	return err;
}

nc_fs_err_t nc_fs_lookup_at(nc_fs_t *fs, nc_fs_node_t dir, const char *name, size_t name_len,
			    nc_fs_node_t *out)
{
	bool bad = !name || name_len == 0;
	for (size_t i = 0; !bad && i < name_len; i++)
		bad = name[i] == '/' || name[i] == '\0';
	if (!fs || !out || bad)
		return NC_FS_ERR_INVALID;
	fs_inode_t d, in;
	nc_fs_err_t err = inode_get(fs, dir, &d);
	if (!err)
		err = walk_step(fs, &d, name, name_len, &in);
	if (!err)
		*out = inode_node(&in);
	return err;
}

nc_fs_err_t nc_fs_stat(nc_fs_t *fs, nc_fs_node_t node, nc_fs_stat_t *out)
{
	if (!fs || !out)
		return NC_FS_ERR_INVALID;
	fs_inode_t in;
	nc_fs_err_t err = inode_get(fs, node, &in);
	if (!err)
		inode_stat(&in, out);
	return err;
}

nc_fs_err_t nc_fs_set_times(nc_fs_t *fs, nc_fs_node_t node, uint64_t atime_ns, uint64_t mtime_ns)
{
	if (!fs)
		return NC_FS_ERR_INVALID;
	nc_fs_err_t err = op_begin(fs, CREDITS_BASE);
	if (err)
		return err;
	fs_inode_t in;
	err = inode_get(fs, node, &in);
	if (!err) {
		inode_set_time(&in, true, atime_ns);
		inode_set_time(&in, false, mtime_ns);
		inode_touch(fs, &in, false);
		err = inode_write(fs, &in);
	}
	return op_end(fs, err);
}

/* Add a new inode of the given mode under w's name; directories get "." and "..". */
static nc_fs_err_t make_node(nc_fs_t *fs, walk_t *w, uint16_t mode, fs_inode_t *out)
{
	bool dir = (mode & MODE_TYPE_MASK) == MODE_DIR;
	if (dir && w->parent.links >= NC_FS_LINK_MAX)
		return NC_FS_ERR_TOO_MANY_LINKS;
	uint32_t ino;
	nc_fs_err_t err = inode_alloc(fs, w->parent.ino, dir, &ino);
	if (err)
		return err;
	inode_init_new(fs, out, ino, mode);
	out->links = dir ? 2u : 1u;
	if (dir)
		err = dir_init(fs, out, w->parent.ino);
	if (!err)
		err = inode_write(fs, out);
	if (!err)
		err = dir_add(fs, &w->parent, w->name, w->name_len, ino, inode_ftype(out));
	if (!err) {
		w->parent.links = (uint16_t)(w->parent.links + (dir ? 1u : 0u));
		inode_touch(fs, &w->parent, true);
		err = inode_write(fs, &w->parent);
	}
	return err;
}

nc_fs_err_t nc_fs_create(nc_fs_t *fs, const char *path, size_t path_len, uint32_t mode,
			 uint32_t flags, nc_fs_node_t *out)
{
	if (!out || (flags & ~NC_FS_CREATE_EXCLUSIVE))
		return NC_FS_ERR_INVALID;
	walk_t w;
	fs_inode_t in;
	nc_fs_err_t err = begin_at(fs, path, path_len, &w);
	if (err)
		return err;
	if (w.found) {
		err = inode_read(fs, w.ino, &in);
		if (!err && is_dir(&in))
			err = NC_FS_ERR_IS_DIR;
		else if (!err && (flags & NC_FS_CREATE_EXCLUSIVE))
			err = NC_FS_ERR_EXISTS;
		else if (!err && (in.mode & MODE_TYPE_MASK) == MODE_LNK)
			err = NC_FS_ERR_SYMLINK;
		else if (!err && (in.mode & MODE_TYPE_MASK) != MODE_REG)
			err = NC_FS_ERR_INVALID;
	} else {
		err = make_node(fs, &w, (uint16_t)(MODE_REG | (mode & MODE_PERM_MASK)), &in);
	}
	if (!err)
		*out = inode_node(&in);
	return op_end(fs, err);
}

nc_fs_err_t nc_fs_mkdir(nc_fs_t *fs, const char *path, size_t path_len, uint32_t mode,
			nc_fs_node_t *out)
{
	walk_t w;
	fs_inode_t in;
	nc_fs_err_t err = begin_at(fs, path, path_len, &w);
	if (err)
		return err;
	if (w.found)
		err = NC_FS_ERR_EXISTS;
	if (!err)
		err = make_node(fs, &w, (uint16_t)(MODE_DIR | (mode & MODE_PERM_MASK)), &in);
	if (!err && out)
		*out = inode_node(&in);
	return op_end(fs, err);
}

/* Remove w's entry and the link it held; *release when the inode must now be freed. */
static nc_fs_err_t remove_entry(nc_fs_t *fs, walk_t *w, fs_inode_t *in, bool *release)
{
	nc_fs_err_t err = dir_remove(fs, &w->parent, w->name, w->name_len);
	if (!err && is_dir(in) && w->parent.links > 1u)
		w->parent.links--;
	if (!err) {
		inode_touch(fs, &w->parent, true);
		err = inode_write(fs, &w->parent);
	}
	if (!err)
		err = drop_link(fs, in, release);
	if (!err)
		err = inode_write(fs, in);
	return err;
}

static nc_fs_err_t remove_path(nc_fs_t *fs, const char *path, size_t path_len, bool want_dir)
{
	if (path && path_len <= NC_FS_PATH_MAX && names_root(path, path_len))
		return !fs ? NC_FS_ERR_INVALID : want_dir ? NC_FS_ERR_BUSY : NC_FS_ERR_IS_DIR;
	walk_t w;
	fs_inode_t in;
	bool release = false, empty;
	nc_fs_err_t err = begin_at(fs, path, path_len, &w);
	if (err)
		return err;
	if (!w.found)
		err = NC_FS_ERR_NOT_FOUND;
	if (!err)
		err = inode_read(fs, w.ino, &in);
	if (!err && is_dir(&in) != want_dir)
		err = want_dir ? NC_FS_ERR_NOT_DIR : NC_FS_ERR_IS_DIR;
	if (!err && want_dir) {
		err = dir_is_empty(fs, &in, &empty);
		if (!err && !empty)
			err = NC_FS_ERR_NOT_EMPTY;
	}
	if (!err)
		err = remove_entry(fs, &w, &in, &release);
	err = op_end(fs, err);
	return !err && release ? shrink_inode(fs, in.ino) : err;
}

nc_fs_err_t nc_fs_unlink(nc_fs_t *fs, const char *path, size_t path_len)
{
	return remove_path(fs, path, path_len, false);
}

nc_fs_err_t nc_fs_rmdir(nc_fs_t *fs, const char *path, size_t path_len)
{
	return remove_path(fs, path, path_len, true);
}

nc_fs_err_t nc_fs_link(nc_fs_t *fs, const char *from, size_t from_len, const char *to,
		       size_t to_len)
{
	nc_fs_err_t err = begin(fs);
	if (err)
		return err;
	fs_inode_t in;
	walk_t w;
	err = walk_path(fs, from, from_len, &in);
	if (!err && is_dir(&in))
		err = NC_FS_ERR_IS_DIR;
	if (!err && in.links >= NC_FS_LINK_MAX)
		err = NC_FS_ERR_TOO_MANY_LINKS;
	if (!err)
		err = walk_parent(fs, to, to_len, &w);
	if (!err && w.found)
		err = NC_FS_ERR_EXISTS;
	if (!err)
		err = dir_add(fs, &w.parent, w.name, w.name_len, in.ino, inode_ftype(&in));
	if (!err) {
		inode_touch(fs, &w.parent, true);
		err = inode_write(fs, &w.parent);
	}
	if (!err) {
		in.links++;
		inode_touch(fs, &in, false);
		err = inode_write(fs, &in);
	}
	return op_end(fs, err);
}

/* LOOP when dir (a directory being moved) is target or one of target's ancestors. */
static nc_fs_err_t check_not_below(nc_fs_t *fs, uint32_t dir, const fs_inode_t *target)
{
	fs_inode_t cur = *target;
	for (uint32_t n = 0; n < fs->inodes_count; n++) {
		if (cur.ino == dir)
			return NC_FS_ERR_LOOP;
		if (cur.ino == INO_ROOT)
			return NC_FS_OK;
		uint32_t parent;
		nc_fs_err_t err = dir_lookup(fs, &cur, "..", 2, &parent);
		if (!err)
			err = inode_read(fs, parent, &cur);
		if (!err && !is_dir(&cur))
			err = NC_FS_ERR_BAD_DIR;
		if (err)
			return err == NC_FS_ERR_NOT_FOUND ? NC_FS_ERR_BAD_DIR : err;
	}
	return NC_FS_ERR_BAD_DIR;
}

typedef struct {
	walk_t src, dst;
	fs_inode_t in, old;         /* the inode moved; the one replaced (when dst.found) */
	fs_inode_t *sp, *dp;        /* the parents: the same struct when they are one directory */
} rename_t;

static nc_fs_err_t rename_check(nc_fs_t *fs, rename_t *r)
{
	bool dir = is_dir(&r->in);
	if (r->dst.found) {
		nc_fs_err_t err = inode_read(fs, r->dst.ino, &r->old);
		bool empty = true;
		if (!err && dir && !is_dir(&r->old))
			err = NC_FS_ERR_NOT_DIR;
		if (!err && !dir && is_dir(&r->old))
			err = NC_FS_ERR_IS_DIR;
		if (!err && dir)
			err = dir_is_empty(fs, &r->old, &empty);
		if (err || !empty)
			return err ? err : NC_FS_ERR_NOT_EMPTY;
	}
	if (dir && r->sp != r->dp) {
		if (!r->dst.found && r->dp->links >= NC_FS_LINK_MAX)
			return NC_FS_ERR_TOO_MANY_LINKS;
		return check_not_below(fs, r->in.ino, r->dp);
	}
	return NC_FS_OK;
}

static nc_fs_err_t rename_apply(nc_fs_t *fs, rename_t *r, bool *release)
{
	bool dir = is_dir(&r->in);
	uint8_t ft = inode_ftype(&r->in);
	nc_fs_err_t err = r->dst.found ? dir_set_entry(fs, r->dp, r->dst.name, r->dst.name_len, r->in.ino, ft)
				       : dir_add(fs, r->dp, r->dst.name, r->dst.name_len, r->in.ino, ft);
	if (!err)
		err = dir_remove(fs, r->sp, r->src.name, r->src.name_len);
	if (!err && r->dst.found) {
		if (is_dir(&r->old) && r->dp->links > 1u)
			r->dp->links--;
		err = drop_link(fs, &r->old, release);
		if (!err)
			err = inode_write(fs, &r->old);
	}
	if (!err && dir && r->sp != r->dp) {
		err = dir_set_dotdot(fs, &r->in, r->dp->ino);
		r->dp->links++;
		if (r->sp->links > 1u)
			r->sp->links--;
	}
	inode_touch(fs, &r->in, false);
	inode_touch(fs, r->sp, true);
	inode_touch(fs, r->dp, true);
	if (!err)
		err = inode_write(fs, &r->in);
	if (!err)
		err = inode_write(fs, r->sp);
	if (!err && r->dp != r->sp)
		err = inode_write(fs, r->dp);
	return err;
}

nc_fs_err_t nc_fs_rename(nc_fs_t *fs, const char *from, size_t from_len, const char *to,
			 size_t to_len)
{
	if ((from && from_len <= NC_FS_PATH_MAX && names_root(from, from_len)) ||
	    (to && to_len <= NC_FS_PATH_MAX && names_root(to, to_len)))
		return fs ? NC_FS_ERR_BUSY : NC_FS_ERR_INVALID;
	nc_fs_err_t err = begin(fs);
	if (err)
		return err;
	rename_t r;
	bool release = false;
	err = walk_parent(fs, from, from_len, &r.src);
	if (!err && !r.src.found)
		err = NC_FS_ERR_NOT_FOUND;
	if (!err)
		err = walk_parent(fs, to, to_len, &r.dst);
	if (!err)
		err = inode_read(fs, r.src.ino, &r.in);
	if (!err && r.dst.found && r.dst.ino == r.src.ino)
		return op_end(fs, NC_FS_OK); /* two names of one inode: nothing to do (POSIX) */
	r.sp = &r.src.parent;
	r.dp = r.dst.parent.ino == r.src.parent.ino ? r.sp : &r.dst.parent;
	if (!err)
		err = rename_check(fs, &r);
	if (!err)
		err = rename_apply(fs, &r, &release);
	err = op_end(fs, err);
	return !err && release ? shrink_inode(fs, r.old.ino) : err;
}
