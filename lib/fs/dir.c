/* Directories as ext2 lays them out: blocks of variable-length entries (inode, rec_len, name_len,
 * file_type, name) that tile each block exactly; a removed entry is merged into the one before
 * it, or, first in its block, keeps its space with inode 0. A directory with the htree flag
 * (htree.c) has the same entries in its leaf blocks and index blocks that read as empty entries,
 * so a linear walk sees every name of either kind.
 *
 * dir_read_block returns a block whose entries were all checked (dir_check_block), so the code
 * that walks or edits a block afterwards can trust every rec_len. A directory whose index is
 * unusable is searched linearly and, when a name is added, loses its index flag (as Linux does;
 * e2fsck accepts such a directory). */
#include "fs_int.h"

static bool has_ftype(const nc_fs_t *fs)
{
	return fs->incompat & FEAT_INCOMPAT_FILETYPE;
}

nc_fs_err_t dir_entry_at(nc_fs_t *fs, const uint8_t *blk, uint32_t off, dir_entry_t *out)
{
	if (off + DE_HEADER > fs->block_bytes)
		return NC_FS_ERR_BAD_DIR;
	const uint8_t *p = blk + off;
	out->ino = get_le32(p + DE_INODE);
	out->rec_len = get_le16(p + DE_REC_LEN);
	out->name_len = has_ftype(fs) ? p[DE_NAME_LEN] : get_le16(p + DE_NAME_LEN);
	out->ftype = has_ftype(fs) ? p[DE_FILE_TYPE] : FT_UNKNOWN;
	out->name = p + DE_NAME;
	if (out->rec_len < DE_HEADER || out->rec_len % 4u || out->rec_len > fs->block_bytes - off ||
	    out->name_len > NC_FS_NAME_MAX || DE_REC_LEN_FOR(out->name_len) > out->rec_len ||
	    out->ino > fs->inodes_count || (out->ino && out->name_len == 0))
		return NC_FS_ERR_BAD_DIR;
	return NC_FS_OK;
}

nc_fs_err_t dir_check_block(nc_fs_t *fs, const uint8_t *blk)
{
	dir_entry_t e;
	for (uint32_t off = 0; off < fs->block_bytes; off += e.rec_len) {
		nc_fs_err_t err = dir_entry_at(fs, blk, off, &e);
		if (err)
			return err;
	}
	return NC_FS_OK;
}

nc_fs_err_t dir_read_block(nc_fs_t *fs, const fs_inode_t *dir, uint32_t lblk, fs_buf_t **out)
{
	if ((uint64_t)lblk >= dir->size >> fs->log_block)
		return NC_FS_ERR_BAD_DIR;
	uint32_t pblk;
	nc_fs_err_t err = bmap_get(fs, dir, lblk, &pblk);
	if (!err && pblk == 0)
		err = NC_FS_ERR_BAD_DIR; /* a hole in a directory */
	if (!err)
		err = buf_get(fs, pblk, out);
	if (err)
		return err;
	err = dir_check_block(fs, (*out)->data);
	if (err)
		buf_put(fs, *out);
	return err;
}

void dir_put_entry(nc_fs_t *fs, uint8_t *p, uint32_t ino, uint32_t rec_len, const char *name,
		   uint32_t len, uint8_t ftype)
{
	put_le32(p + DE_INODE, ino);
	put_le16(p + DE_REC_LEN, (uint16_t)rec_len);
	p[DE_NAME_LEN] = (uint8_t)len;
	p[DE_FILE_TYPE] = has_ftype(fs) ? ftype : 0u;
	nc_mem_copy(p + DE_NAME, name, len);
}

static bool name_is(const dir_entry_t *e, const char *name, uint32_t len)
{
	return e->ino && e->name_len == len && nc_mem_compare(e->name, name, len) == 0;
}

nc_fs_err_t dir_block_find(nc_fs_t *fs, const uint8_t *blk, const char *name, uint32_t len,
			   uint32_t *off, uint32_t *prev_off, bool *found)
{
	dir_entry_t e;
	uint32_t prev = fs->block_bytes;
	*found = false;
	for (uint32_t o = 0; o < fs->block_bytes; prev = o, o += e.rec_len) {
		nc_fs_err_t err = dir_entry_at(fs, blk, o, &e);
		if (err)
			return err;
		if (name_is(&e, name, len)) {
			*off = o;
			*prev_off = prev;
			*found = true;
			return NC_FS_OK;
		}
	}
	return NC_FS_OK;
}

/* Offset of an entry with room for need bytes after its own, or block_bytes. */
static uint32_t find_room(nc_fs_t *fs, const uint8_t *blk, uint32_t need)
{
	dir_entry_t e;
	for (uint32_t o = 0; o < fs->block_bytes; o += e.rec_len) {
		if (dir_entry_at(fs, blk, o, &e))
			return fs->block_bytes;
		uint32_t used = e.ino ? DE_REC_LEN_FOR(e.name_len) : 0u;
		if (e.rec_len - used >= need)
			return o;
	}
	return fs->block_bytes;
}

bool dir_block_room(nc_fs_t *fs, const uint8_t *blk, uint32_t len)
{
	return find_room(fs, blk, DE_REC_LEN_FOR(len)) < fs->block_bytes;
}

bool dir_block_insert(nc_fs_t *fs, uint8_t *blk, const char *name, uint32_t len, uint32_t ino,
		      uint8_t ftype)
{
	uint32_t o = find_room(fs, blk, DE_REC_LEN_FOR(len));
	if (o == fs->block_bytes)
		return false;
	dir_entry_t e;
	dir_entry_at(fs, blk, o, &e);
	if (e.ino) {
		uint32_t used = DE_REC_LEN_FOR(e.name_len);
		put_le16(blk + o + DE_REC_LEN, (uint16_t)used);
		dir_put_entry(fs, blk + o + used, ino, e.rec_len - used, name, len, ftype);
	} else {
		dir_put_entry(fs, blk + o, ino, e.rec_len, name, len, ftype);
	}
	return true;
}

void dir_block_delete(nc_fs_t *fs, uint8_t *blk, uint32_t off, uint32_t prev_off)
{
	if (prev_off < fs->block_bytes) {
		uint32_t merged = get_le16(blk + prev_off + DE_REC_LEN) + get_le16(blk + off + DE_REC_LEN);
		put_le16(blk + prev_off + DE_REC_LEN, (uint16_t)merged);
	} else {
		put_le32(blk + off + DE_INODE, 0);
	}
}

static bool indexed(nc_fs_t *fs, const fs_inode_t *dir)
{
	return (dir->flags & INO_FL_INDEX) && (fs->compat & FEAT_COMPAT_DIR_INDEX);
}

/* The block holding name: through the index when there is a usable one, else linearly. */
static nc_fs_err_t find_block(nc_fs_t *fs, const fs_inode_t *dir, const char *name, uint32_t len,
			      uint32_t *ino, fs_buf_t **out, uint32_t *off, uint32_t *prev)
{
	uint32_t nblocks = (uint32_t)(dir->size >> fs->log_block), first = 0, last = nblocks;
	bool dots = len <= 2u && name[0] == '.' && (len == 1u || name[1] == '.');
	if (dots) /* only in block 0, also of an indexed directory (the root keeps them) */
		last = nblocks ? 1u : 0u;
	else if (indexed(fs, dir)) {
		uint32_t lblk;
		nc_fs_err_t err = dx_lookup(fs, dir, name, len, ino, &lblk);
		if (err != NC_FS_ERR_BAD_DIR && (err || !out))
			return err;
		if (!err) {
			first = lblk;
			last = lblk + 1u;
		}
	}
	for (uint32_t l = first; l < last; l++) {
		fs_buf_t *b;
		bool found;
		nc_fs_err_t err = dir_read_block(fs, dir, l, &b);
		if (err)
			return err;
		err = dir_block_find(fs, b->data, name, len, off, prev, &found);
		if (!err && found) {
			*ino = get_le32(b->data + *off + DE_INODE);
			if (out)
				*out = b;
			else
				buf_put(fs, b);
			return NC_FS_OK;
		}
		buf_put(fs, b);
		if (err)
			return err;
	}
	return NC_FS_ERR_NOT_FOUND;
}

nc_fs_err_t dir_lookup(nc_fs_t *fs, const fs_inode_t *dir, const char *name, uint32_t len,
		       uint32_t *ino)
{
	uint32_t off, prev;
	return find_block(fs, dir, name, len, ino, NULL, &off, &prev);
}

/* The block holding name, held and already in the operation (buf_modify), at *off. */
static nc_fs_err_t find_for_change(nc_fs_t *fs, fs_inode_t *dir, const char *name, uint32_t len,
				   fs_buf_t **b, uint32_t *off, uint32_t *prev)
{
	uint32_t ino;
	nc_fs_err_t err = find_block(fs, dir, name, len, &ino, b, off, prev);
	if (err)
		return err;
	err = buf_modify(fs, *b);
	if (err)
		buf_put(fs, *b);
	return err;
}

nc_fs_err_t dir_remove(nc_fs_t *fs, fs_inode_t *dir, const char *name, uint32_t len)
{
	fs_buf_t *b;
	uint32_t off, prev;
	nc_fs_err_t err = find_for_change(fs, dir, name, len, &b, &off, &prev);
	if (err)
		return err;
	dir_block_delete(fs, b->data, off, prev);
	buf_put(fs, b);
	return NC_FS_OK;
}

nc_fs_err_t dir_set_entry(nc_fs_t *fs, fs_inode_t *dir, const char *name, uint32_t len,
			  uint32_t ino, uint8_t ftype)
{
	fs_buf_t *b;
	uint32_t off, prev;
	nc_fs_err_t err = find_for_change(fs, dir, name, len, &b, &off, &prev);
	if (err)
		return err;
	put_le32(b->data + off + DE_INODE, ino);
	if (has_ftype(fs))
		b->data[off + DE_FILE_TYPE] = ftype;
	buf_put(fs, b);
	return NC_FS_OK;
}

nc_fs_err_t dir_append_block(nc_fs_t *fs, fs_inode_t *dir, uint32_t *lblk, fs_buf_t **out)
{
	uint64_t n = dir->size >> fs->log_block;
	if (n >= UINT32_MAX / fs->block_bytes)
		return NC_FS_ERR_NO_SPACE;
	uint32_t pblk;
	bool fresh;
	nc_fs_err_t err = bmap_alloc(fs, dir, n, bmap_goal(fs, dir, n), &pblk, &fresh);
	if (!err && !fresh)
		err = NC_FS_ERR_BAD_DIR; /* a block mapped past the directory's end */
	if (!err)
		err = buf_get_new(fs, pblk, out);
	if (err)
		return err;
	put_le16((*out)->data + DE_REC_LEN, (uint16_t)fs->block_bytes);
	dir->size += fs->block_bytes;
	*lblk = (uint32_t)n;
	return NC_FS_OK;
}

static nc_fs_err_t add_linear(nc_fs_t *fs, fs_inode_t *dir, const char *name, uint32_t len,
			      uint32_t ino, uint8_t ftype)
{
	uint32_t nblocks = (uint32_t)(dir->size >> fs->log_block);
	for (uint32_t l = 0; l < nblocks; l++) {
		fs_buf_t *b;
		nc_fs_err_t err = dir_read_block(fs, dir, l, &b);
		if (err)
			return err;
		if (dir_block_room(fs, b->data, len)) {
			err = buf_modify(fs, b);
			if (!err)
				dir_block_insert(fs, b->data, name, len, ino, ftype);
			buf_put(fs, b);
			return err;
		}
		buf_put(fs, b);
	}
	if (nblocks == 1 && (fs->compat & FEAT_COMPAT_DIR_INDEX) && fs->def_hash <= DX_HASH_TEA) {
		bool unusable;
		nc_fs_err_t err = dx_make_indexed(fs, dir);
		if (!err)
			return dx_add(fs, dir, name, len, ino, ftype, &unusable);
		if (err != NC_FS_ERR_BAD_DIR)
			return err; /* BAD_DIR: block 0 does not start with "." and "..": stay linear */
	}
	fs_buf_t *b;
	uint32_t lblk;
	nc_fs_err_t err = dir_append_block(fs, dir, &lblk, &b);
	if (err)
		return err;
	dir_block_insert(fs, b->data, name, len, ino, ftype);
	buf_put(fs, b);
	return NC_FS_OK;
}

nc_fs_err_t dir_add(nc_fs_t *fs, fs_inode_t *dir, const char *name, uint32_t len, uint32_t ino,
		    uint8_t ftype)
{
	if (indexed(fs, dir)) {
		bool unusable;
		nc_fs_err_t err = dx_add(fs, dir, name, len, ino, ftype, &unusable);
		if (!unusable)
			return err;
	}
	dir->flags &= ~INO_FL_INDEX;
	return add_linear(fs, dir, name, len, ino, ftype);
}

nc_fs_err_t dir_is_empty(nc_fs_t *fs, const fs_inode_t *dir, bool *empty)
{
	uint32_t nblocks = (uint32_t)(dir->size >> fs->log_block);
	*empty = true;
	for (uint32_t l = 0; l < nblocks && *empty; l++) {
		fs_buf_t *b;
		nc_fs_err_t err = dir_read_block(fs, dir, l, &b);
		if (err)
			return err;
		dir_entry_t e;
		for (uint32_t o = 0; o < fs->block_bytes; o += e.rec_len) {
			dir_entry_at(fs, b->data, o, &e);
			bool dot = e.name_len == 1 && e.name[0] == '.';
			bool dotdot = e.name_len == 2 && e.name[0] == '.' && e.name[1] == '.';
			if (e.ino && !((dot || dotdot) && l == 0))
				*empty = false;
		}
		buf_put(fs, b);
	}
	return NC_FS_OK;
}

nc_fs_err_t dir_init(nc_fs_t *fs, fs_inode_t *dir, uint32_t parent_ino)
{
	fs_buf_t *b;
	uint32_t lblk;
	nc_fs_err_t err = dir_append_block(fs, dir, &lblk, &b);
	if (err)
		return err;
	dir_put_entry(fs, b->data, dir->ino, DE_REC_LEN_FOR(1), ".", 1, FT_DIR);
	dir_put_entry(fs, b->data + DE_REC_LEN_FOR(1), parent_ino, fs->block_bytes - DE_REC_LEN_FOR(1),
		      "..", 2, FT_DIR);
	buf_put(fs, b);
	return NC_FS_OK;
}

nc_fs_err_t dir_set_dotdot(nc_fs_t *fs, fs_inode_t *dir, uint32_t parent_ino)
{
	fs_buf_t *b;
	nc_fs_err_t err = dir_read_block(fs, dir, 0, &b);
	if (err)
		return err;
	dir_entry_t dot, dotdot;
	dir_entry_at(fs, b->data, 0, &dot);
	if (dot.rec_len >= fs->block_bytes || dir_entry_at(fs, b->data, dot.rec_len, &dotdot) ||
	    dotdot.name_len != 2 || dotdot.name[0] != '.' || dotdot.name[1] != '.')
		err = NC_FS_ERR_BAD_DIR;
	if (!err)
		err = buf_modify(fs, b);
	if (!err)
		put_le32(b->data + dot.rec_len + DE_INODE, parent_ino);
	buf_put(fs, b);
	return err;
}
