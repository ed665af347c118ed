/* File contents: read, write (in place or into new blocks), truncate, directory listing and
 * symbolic link targets. Data moves straight between the caller's buffer and the device, whole
 * runs of contiguous blocks at a time; only a partial block goes through a bounce buffer. A write
 * is a series of operations of WRITE_CHUNK blocks each: the blocks' data is written to the
 * device first, then the operation records the new pointers and size, so the transaction that
 * makes them reachable commits after the data (ordered mode). */
#include "fs_int.h"

#define WRITE_CHUNK 32u

static nc_fs_err_t get_file(nc_fs_t *fs, nc_fs_node_t node, fs_inode_t *in)
{
	nc_fs_err_t err = inode_get(fs, node, in);
	if (err)
		return err;
	switch (in->mode & MODE_TYPE_MASK) {
	case MODE_REG: return NC_FS_OK;
	case MODE_DIR: return NC_FS_ERR_IS_DIR;
	default: return NC_FS_ERR_INVALID;
	}
}

nc_fs_err_t nc_fs_read(nc_fs_t *fs, nc_fs_node_t node, uint64_t offset, void *buf, size_t len,
		       size_t *n_read)
{
	if (!fs || (!buf && len) || !n_read)
		return NC_FS_ERR_INVALID;
	*n_read = 0;
	fs_inode_t in;
	nc_fs_err_t err = get_file(fs, node, &in);
	if (err || offset >= in.size)
		return err;
	if (len > in.size - offset)
		len = (size_t)(in.size - offset);
	uint8_t *out = buf, *bounce = NULL;
	size_t done = 0;
	while (!err && done < len) {
		uint64_t pos = offset + done;
		uint64_t lblk = pos >> fs->log_block;
		uint32_t in_blk = (uint32_t)(pos & (fs->block_bytes - 1u));
		uint32_t pblk, run;
		uint64_t want = (in_blk + (len - done) + fs->block_bytes - 1u) >> fs->log_block;
		err = bmap_get_run(fs, &in, lblk, want > UINT32_MAX ? UINT32_MAX : (uint32_t)want, &pblk, &run);
		if (err)
			break;
		size_t n = ((size_t)run << fs->log_block) - in_blk;
		if (n > len - done)
			n = len - done;
		if (pblk == 0) {
			nc_mem_set(out + done, 0, n);
		} else if (in_blk == 0 && n >= fs->block_bytes) {
			n &= ~(size_t)(fs->block_bytes - 1u);
			err = dev_read(fs, pblk, (uint32_t)(n >> fs->log_block), out + done);
		} else {
			n = fs->block_bytes - in_blk < n ? fs->block_bytes - in_blk : n;
			if (!bounce)
				bounce = fs_alloc(fs, fs->block_bytes);
			err = bounce ? dev_read(fs, pblk, 1, bounce) : NC_FS_ERR_NOMEM;
			if (!err)
				nc_mem_copy(out + done, bounce + in_blk, n);
		}
		if (!err)
			done += n;
	}
	fs_free(fs, bounce, fs->block_bytes);
	*n_read = done;
	return err;
}

/* Zero bytes [from, to) of the block holding from (a file's old tail, before it grows). */
static nc_fs_err_t zero_tail(nc_fs_t *fs, const fs_inode_t *in, uint64_t from, uint64_t to)
{
	uint32_t in_blk = (uint32_t)(from & (fs->block_bytes - 1u));
	if (in_blk == 0 || to <= from)
		return NC_FS_OK;
	uint32_t pblk;
	nc_fs_err_t err = bmap_get(fs, in, from >> fs->log_block, &pblk);
	if (err || pblk == 0)
		return err;
	uint32_t end = to - from < fs->block_bytes - in_blk ? in_blk + (uint32_t)(to - from) : fs->block_bytes;
	uint8_t *b = fs_alloc(fs, fs->block_bytes);
	err = b ? dev_read(fs, pblk, 1, b) : NC_FS_ERR_NOMEM;
	if (!err) {
		nc_mem_set(b + in_blk, 0, end - in_blk);
		err = dev_write(fs, pblk, 1, b);
	}
	fs_free(fs, b, fs->block_bytes);
	return err;
}

/* Write one block's part [in_blk, in_blk + n) of data at pblk; a new block gets zeros around. */
static nc_fs_err_t write_part(nc_fs_t *fs, uint32_t pblk, bool fresh, uint32_t in_blk,
			      const uint8_t *data, size_t n, uint8_t *bounce)
{
	if (in_blk == 0 && n == fs->block_bytes)
		return dev_write(fs, pblk, 1, data);
	nc_fs_err_t err = NC_FS_OK;
	if (fresh)
		nc_mem_set(bounce, 0, fs->block_bytes);
	else
		err = dev_read(fs, pblk, 1, bounce);
	if (err)
		return err;
	nc_mem_copy(bounce + in_blk, data, n);
	return dev_write(fs, pblk, 1, bounce);
}

/* One operation: up to WRITE_CHUNK blocks of data from buf at offset; *n bytes written. */
static nc_fs_err_t write_chunk(nc_fs_t *fs, nc_fs_node_t node, uint64_t offset, const uint8_t *buf,
			       size_t len, uint8_t *bounce, size_t *n)
{
	*n = 0;
	nc_fs_err_t err = op_begin(fs, CREDITS_BASE + CREDITS_PER_BLOCK * (WRITE_CHUNK + 3u));
	if (err)
		return err;
	fs_inode_t in;
	err = get_file(fs, node, &in);
	uint32_t goal = 0;
	for (uint32_t i = 0; !err && i < WRITE_CHUNK && *n < len; i++) {
		uint64_t pos = offset + *n;
		uint64_t lblk = pos >> fs->log_block;
		uint32_t in_blk = (uint32_t)(pos & (fs->block_bytes - 1u)), pblk;
		size_t part = fs->block_bytes - in_blk < len - *n ? fs->block_bytes - in_blk : len - *n;
		bool fresh;
		if (goal == 0)
			goal = bmap_goal(fs, &in, lblk);
		err = bmap_alloc(fs, &in, lblk, goal, &pblk, &fresh);
		if (!err)
			err = write_part(fs, pblk, fresh, in_blk, buf + *n, part, bounce);
		if (!err) {
			goal = pblk + 1u;
			*n += part;
		}
	}
	if (!err) {
		if (offset + *n > in.size)
			in.size = offset + *n;
		inode_touch(fs, &in, true);
		err = inode_write(fs, &in);
	}
	if (err)
		*n = 0;
	return op_end(fs, err);
}

static nc_fs_err_t check_size(nc_fs_t *fs, uint64_t offset, size_t len)
{
	uint64_t max = fs->max_lblk << fs->log_block;
	return offset > max || len > max - offset ? NC_FS_ERR_TOO_BIG : NC_FS_OK;
}

/* Prepare to grow the file past its end: zero the old tail; the large_file feature once a size
 * needs 64 bits. */
static nc_fs_err_t prepare_growth(nc_fs_t *fs, const fs_inode_t *in, uint64_t new_size)
{
	nc_fs_err_t err = zero_tail(fs, in, in->size, new_size);
	if (err || new_size <= 0x7fffffffu || (fs->ro_compat & FEAT_RO_LARGE_FILE))
		return err;
	err = op_begin(fs, CREDITS_BASE);
	if (!err) {
		err = buf_modify(fs, fs->sb_buf);
		if (!err) {
			fs->ro_compat |= FEAT_RO_LARGE_FILE;
			put_le32(fs->sb + SB_FEATURE_RO_COMPAT, fs->ro_compat);
		}
		err = op_end(fs, err);
	}
	return err;
}

/* Checks before node's data changes up to offset + len (writable, a regular file, a size the
 * format allows), and the file's tail prepared when that passes its end. */
static nc_fs_err_t begin_change(nc_fs_t *fs, nc_fs_node_t node, uint64_t offset, size_t len, fs_inode_t *in)
{
	nc_fs_err_t err = writable(fs);
	if (!err)
		err = get_file(fs, node, in);
	if (!err)
		err = check_size(fs, offset, len);
	if (!err && offset + len > in->size)
		err = prepare_growth(fs, in, offset + len);
	return err;
}

nc_fs_err_t nc_fs_write(nc_fs_t *fs, nc_fs_node_t node, uint64_t offset, const void *buf,
			size_t len, size_t *n_written)
{
	if (!fs || (!buf && len) || !n_written)
		return NC_FS_ERR_INVALID;
	*n_written = 0;
	fs_inode_t in;
	nc_fs_err_t err = begin_change(fs, node, offset, len, &in);
	uint8_t *bounce = err ? NULL : fs_alloc(fs, fs->block_bytes);
	if (!err && !bounce)
		err = NC_FS_ERR_NOMEM;
	while (!err && *n_written < len) {
		size_t n;
		err = write_chunk(fs, node, offset + *n_written, (const uint8_t *)buf + *n_written,
				  len - *n_written, bounce, &n);
		*n_written += n;
	}
	fs_free(fs, bounce, fs->block_bytes);
	return err;
}

nc_fs_err_t nc_fs_append(nc_fs_t *fs, nc_fs_node_t node, const void *buf, size_t len,
			 size_t *n_written)
{
	if (!fs || !n_written)
		return NC_FS_ERR_INVALID;
	fs_inode_t in;
	*n_written = 0;
	nc_fs_err_t err = get_file(fs, node, &in);
	return err ? err : nc_fs_write(fs, node, in.size, buf, len, n_written);
}

nc_fs_err_t nc_fs_truncate(nc_fs_t *fs, nc_fs_node_t node, uint64_t size_bytes)
{
	if (!fs)
		return NC_FS_ERR_INVALID;
	fs_inode_t in;
	nc_fs_err_t err = begin_change(fs, node, size_bytes, 0, &in);
	if (!err)
		err = op_begin(fs, CREDITS_BASE);
	if (err)
		return err;
	err = get_file(fs, node, &in);
	bool shrink = !err && size_bytes < in.size;
	if (!err) {
		in.size = size_bytes;
		inode_touch(fs, &in, true);
		if (shrink)
			err = orphan_add(fs, &in);
	}
	if (!err)
		err = inode_write(fs, &in);
	err = op_end(fs, err);
	return !err && shrink ? shrink_inode(fs, in.ino) : err;
}

static nc_fs_type_t type_of_ftype(uint8_t ft)
{
	switch (ft) {
	case FT_REG: return NC_FS_TYPE_FILE;
	case FT_DIR: return NC_FS_TYPE_DIR;
	case FT_SYMLINK: return NC_FS_TYPE_SYMLINK;
	default: return NC_FS_TYPE_OTHER;
	}
}

nc_fs_err_t nc_fs_read_dir(nc_fs_t *fs, nc_fs_node_t dir, uint64_t *cookie, nc_fs_dirent_t *out,
			   bool *end)
{
	if (!fs || !cookie || !out || !end)
		return NC_FS_ERR_INVALID;
	fs_inode_t in;
	nc_fs_err_t err = inode_get(fs, dir, &in);
	if (!err && (in.mode & MODE_TYPE_MASK) != MODE_DIR)
		err = NC_FS_ERR_NOT_DIR;
	*end = false;
	while (!err) {
		uint64_t lblk = *cookie >> fs->log_block;
		if (lblk >= in.size >> fs->log_block) {
			*end = true;
			return NC_FS_OK;
		}
		fs_buf_t *b;
		err = dir_read_block(fs, &in, (uint32_t)lblk, &b);
		if (err)
			return err;
		uint32_t from = (uint32_t)(*cookie & (fs->block_bytes - 1u));
		dir_entry_t e;
		bool found = false;
		for (uint32_t o = 0; o < fs->block_bytes && !found; o += e.rec_len) {
			dir_entry_at(fs, b->data, o, &e);
			if (o < from || !e.ino)
				continue;
			out->ino = e.ino;
			out->type = type_of_ftype(e.ftype);
			out->name_len = e.name_len;
			nc_mem_copy(out->name, e.name, e.name_len);
			out->name[e.name_len] = '\0';
			*cookie = (lblk << fs->log_block) + o + e.rec_len;
			found = true;
		}
		buf_put(fs, b);
		if (found)
			return NC_FS_OK;
		*cookie = (lblk + 1u) << fs->log_block;
	}
	return err;
}

nc_fs_err_t nc_fs_read_link(nc_fs_t *fs, nc_fs_node_t node, char *buf, size_t cap_bytes, size_t *len)
{
	if (!fs || (!buf && cap_bytes) || !len)
		return NC_FS_ERR_INVALID;
	fs_inode_t in;
	nc_fs_err_t err = inode_get(fs, node, &in);
	if (!err && (in.mode & MODE_TYPE_MASK) != MODE_LNK)
		err = NC_FS_ERR_INVALID;
	if (!err && in.size >= fs->block_bytes)
		err = NC_FS_ERR_BAD_INODE;
	if (err)
		return err;
	*len = (size_t)in.size;
	size_t n = *len < cap_bytes ? *len : cap_bytes;
	uint8_t *b = fs_alloc(fs, fs->block_bytes);
	if (!b)
		return NC_FS_ERR_NOMEM;
	if (!inode_has_blocks(fs, &in)) { /* a fast symlink: the target is in i_block */
		for (uint32_t i = 0; i < INO_N_BLOCK; i++)
			put_le32(b + 4 * i, in.block[i]);
	} else {
		uint32_t pblk;
		err = bmap_get(fs, &in, 0, &pblk);
		if (!err)
			err = pblk ? dev_read(fs, pblk, 1, b) : NC_FS_ERR_BAD_INODE;
	}
	if (!err)
		nc_mem_copy(buf, b, n);
	fs_free(fs, b, fs->block_bytes);
	return err;
}
