/* Freeing a file's blocks past its size, and the inode itself once its last name is gone, in
 * bounded steps that survive a power cut between them: the orphan list (ext3's). The first step
 * sets the new size or removes the last link and puts the inode on the list (the superblock's
 * s_last_orphan, then each inode's i_dtime naming the next); each following step frees at most
 * SHRINK_BUDGET blocks in its own operation; the last one takes the inode off the list and, when
 * it has no links, frees its extended-attribute block and the inode. A mount finishes what a
 * power cut interrupted by running the same steps for every inode on the list (orphan_recover). */
#include "fs_int.h"

#define SHRINK_BUDGET 32u

nc_fs_err_t orphan_add(nc_fs_t *fs, fs_inode_t *in)
{
	nc_fs_err_t err = buf_modify(fs, fs->sb_buf);
	if (err)
		return err;
	in->dtime = get_le32(fs->sb + SB_LAST_ORPHAN);
	put_le32(fs->sb + SB_LAST_ORPHAN, in->ino);
	return NC_FS_OK;
}

/* Take in off the list: it is the head when this library put it there; a list left by another
 * implementation is walked (bounded) to find the inode pointing at it. */
static nc_fs_err_t orphan_remove(nc_fs_t *fs, fs_inode_t *in)
{
	uint32_t cur = get_le32(fs->sb + SB_LAST_ORPHAN);
	if (cur == in->ino) {
		nc_fs_err_t err = buf_modify(fs, fs->sb_buf);
		if (!err)
			put_le32(fs->sb + SB_LAST_ORPHAN, in->dtime);
		in->dtime = 0;
		return err;
	}
	for (uint32_t n = 0; cur && n < fs->inodes_count; n++) {
		fs_inode_t prev;
		nc_fs_err_t err = inode_read(fs, cur, &prev);
		if (err)
			return err == NC_FS_ERR_IO || err == NC_FS_ERR_NOMEM ? err : NC_FS_ERR_BAD_ORPHAN;
		if (prev.dtime == in->ino) {
			prev.dtime = in->dtime;
			in->dtime = 0;
			return inode_write(fs, &prev);
		}
		cur = prev.dtime;
	}
	in->dtime = 0;
	return NC_FS_OK;
}

/* The shared extended-attribute block of a deleted inode: one reference less (Linux's
 * ext4_xattr_release_block); freed with the last. */
static nc_fs_err_t release_xattr(nc_fs_t *fs, fs_inode_t *in)
{
	if (!in->file_acl)
		return NC_FS_OK;
	fs_buf_t *b;
	nc_fs_err_t err = buf_get(fs, in->file_acl, &b);
	if (err)
		return err;
	uint32_t refs = get_le32(b->data + XATTR_H_REFCOUNT);
	if (get_le32(b->data + XATTR_H_MAGIC) != XATTR_MAGIC || get_le32(b->data + XATTR_H_BLOCKS) != 1u ||
	    refs == 0)
		err = NC_FS_ERR_BAD_XATTR;
	else if (refs > 1u)
		err = buf_modify(fs, b);
	if (!err && refs > 1u)
		put_le32(b->data + XATTR_H_REFCOUNT, refs - 1u);
	buf_put(fs, b);
	if (!err && refs == 1u)
		err = block_free(fs, in->file_acl);
	if (!err) {
		uint32_t sectors = fs->block_bytes / 512u;
		in->blocks = in->blocks >= sectors ? in->blocks - sectors : 0u;
		in->file_acl = 0;
	}
	return err;
}

static nc_fs_err_t finish(nc_fs_t *fs, fs_inode_t *in)
{
	nc_fs_err_t err = orphan_remove(fs, in);
	if (err || in->links)
		return err;
	err = release_xattr(fs, in);
	if (!err)
		err = inode_free(fs, in->ino, (in->mode & MODE_TYPE_MASK) == MODE_DIR);
	if (!err) {
		inode_touch(fs, in, false);
		in->dtime = in->ctime;
	}
	return err;
}

/* One operation: free up to SHRINK_BUDGET blocks; *done when the inode is finished. */
static nc_fs_err_t shrink_step(nc_fs_t *fs, uint32_t ino, bool *done)
{
	nc_fs_err_t err = op_begin(fs, CREDITS_BASE + CREDITS_PER_BLOCK * SHRINK_BUDGET);
	if (err)
		return err;
	fs_inode_t in;
	err = inode_read(fs, ino, &in);
	uint32_t budget = SHRINK_BUDGET;
	if (!err && inode_has_blocks(fs, &in)) {
		uint64_t first = in.links ? (in.size + fs->block_bytes - 1u) >> fs->log_block : 0u;
		err = bmap_free_from(fs, &in, first, &budget);
	}
	*done = budget > 0;
	if (!err && *done)
		err = finish(fs, &in);
	if (!err)
		err = inode_write(fs, &in);
	return op_end(fs, err);
}

nc_fs_err_t shrink_inode(nc_fs_t *fs, uint32_t ino)
{
	bool done = false;
	nc_fs_err_t err = NC_FS_OK;
	while (!err && !done)
		err = shrink_step(fs, ino, &done);
	return err;
}

nc_fs_err_t drop_link(nc_fs_t *fs, fs_inode_t *in, bool *release)
{
	bool dir = (in->mode & MODE_TYPE_MASK) == MODE_DIR;
	in->links = dir || in->links == 0 ? 0 : (uint16_t)(in->links - 1u);
	inode_touch(fs, in, false);
	*release = in->links == 0;
	return *release ? orphan_add(fs, in) : NC_FS_OK;
}

nc_fs_err_t orphan_recover(nc_fs_t *fs)
{
	for (uint32_t n = 0;; n++) {
		uint32_t ino = get_le32(fs->sb + SB_LAST_ORPHAN);
		if (ino == 0)
			return NC_FS_OK;
		if (n >= fs->inodes_count || ino < fs->first_ino || ino > fs->inodes_count)
			return NC_FS_ERR_BAD_ORPHAN;
		fs_inode_t in;
		nc_fs_err_t err = inode_read(fs, ino, &in);
		if (!err && (in.mode == 0 || in.dtime == ino))
			err = NC_FS_ERR_BAD_ORPHAN;
		if (!err)
			err = shrink_inode(fs, ino);
		if (err)
			return err;
	}
}
