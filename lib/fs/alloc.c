/* Block and inode allocation over the groups' bitmaps, with the descriptors' and the superblock's
 * free counts kept equal to the bitmaps (e2fsck's pass 5 checks all three).
 *
 * Placement follows ext2's simple policies: a block goes at or after its goal (the block after
 * the file's previous one, so files stay contiguous), else in the next group with room; a file's
 * inode goes in its directory's group, a new top-level directory in the group with the most free
 * blocks among those with at least the average of free inodes (the spreading idea of Orlov).
 * A block counts as free only when it is clear in the bitmap and in the bitmap's committed copy
 * (see txn.c: blocks freed by the running transaction wait for its commit). */
#include "fs_int.h"

static nc_fs_err_t gd_add(nc_fs_t *fs, uint32_t g, uint32_t field, int32_t delta, uint32_t max)
{
	uint8_t *gd = gd_ptr(fs, g);
	int64_t v = (int64_t)get_le16(gd + field) + delta;
	if (v < 0 || v > (int64_t)max)
		return NC_FS_ERR_BAD_GROUP;
	nc_fs_err_t err = buf_modify(fs, gd_buf(fs, g));
	if (!err)
		put_le16(gd + field, (uint16_t)v);
	return err;
}

static nc_fs_err_t bitmap_get(nc_fs_t *fs, uint32_t blk, bool block_bitmap, fs_buf_t **out)
{
	nc_fs_err_t err = buf_get(fs, blk, out);
	if (!err && block_bitmap)
		(*out)->is_bitmap = true;
	return err;
}

static bool bit_taken(const fs_buf_t *b, uint32_t i)
{
	uint8_t m = (uint8_t)(1u << (i & 7u));
	return (b->data[i >> 3] & m) || (b->frozen && (b->frozen[i >> 3] & m));
}

/* First bit in [from, to) clear in b (and its frozen copy); to when none. */
static uint32_t find_clear(const fs_buf_t *b, uint32_t from, uint32_t to)
{
	uint32_t i = from;
	while (i < to) {
		if ((i & 7u) == 0 && to - i >= 8u) {
			uint8_t byte = b->data[i >> 3] | (b->frozen ? b->frozen[i >> 3] : 0u);
			if (byte == 0xffu) {
				i += 8u;
				continue;
			}
		}
		if (!bit_taken(b, i))
			return i;
		i++;
	}
	return to;
}

static nc_fs_err_t take_block(nc_fs_t *fs, uint32_t g, fs_buf_t *bb, uint32_t bit, uint32_t *out)
{
	uint32_t blk = group_first_block(fs, g) + bit;
	if (!block_is_data(fs, blk))
		return NC_FS_ERR_BAD_BITMAP; /* metadata marked free */
	nc_fs_err_t err = buf_modify(fs, bb);
	if (err)
		return err;
	bb->data[bit >> 3] |= (uint8_t)(1u << (bit & 7u));
	err = gd_add(fs, g, GD_FREE_BLOCKS, -1, group_n_blocks(fs, g));
	if (!err)
		err = super_add_free(fs, -1, 0);
	if (!err)
		*out = blk;
	return err;
}

nc_fs_err_t block_alloc(nc_fs_t *fs, uint32_t goal, uint32_t *out)
{
	if (goal < fs->first_data_block || goal >= fs->blocks_count)
		goal = fs->first_data_block;
	uint32_t g0 = (goal - fs->first_data_block) / fs->blocks_per_group;
	for (uint32_t i = 0; i <= fs->n_groups; i++) {
		uint32_t g = (g0 + i) % fs->n_groups;
		if (get_le16(gd_ptr(fs, g) + GD_FREE_BLOCKS) == 0)
			continue;
		fs_buf_t *bb;
		nc_fs_err_t err = bitmap_get(fs, get_le32(gd_ptr(fs, g) + GD_BLOCK_BITMAP), true, &bb);
		if (err)
			return err;
		uint32_t n = group_n_blocks(fs, g);
		uint32_t start = i == 0 ? goal - group_first_block(fs, g) : 0;
		uint32_t bit = find_clear(bb, start, n);
		if (bit == n)
			bit = find_clear(bb, 0, start);
		if (bit < n && !bit_taken(bb, bit)) {
			err = take_block(fs, g, bb, bit, out);
			buf_put(fs, bb);
			return err;
		}
		buf_put(fs, bb);
	}
	return NC_FS_ERR_NO_SPACE;
}

/* Clear bit in group g's block or inode bitmap (it must be set: else BAD_BITMAP, the thing was
 * freed twice or two files share it) and count it free in the descriptor and the superblock. */
static nc_fs_err_t release_bit(nc_fs_t *fs, uint32_t g, bool block, uint32_t bit)
{
	fs_buf_t *b;
	uint32_t where = block ? GD_BLOCK_BITMAP : GD_INODE_BITMAP;
	nc_fs_err_t err = bitmap_get(fs, get_le32(gd_ptr(fs, g) + where), block, &b);
	if (err)
		return err;
	uint8_t m = (uint8_t)(1u << (bit & 7u));
	if (!(b->data[bit >> 3] & m))
		err = NC_FS_ERR_BAD_BITMAP;
	if (!err)
		err = buf_modify(fs, b);
	if (!err) {
		b->data[bit >> 3] &= (uint8_t)~m;
		err = block ? gd_add(fs, g, GD_FREE_BLOCKS, 1, group_n_blocks(fs, g))
			    : gd_add(fs, g, GD_FREE_INODES, 1, fs->inodes_per_group);
	}
	if (!err)
		err = super_add_free(fs, block ? 1 : 0, block ? 0 : 1);
	buf_put(fs, b);
	return err;
}

nc_fs_err_t block_free(nc_fs_t *fs, uint32_t blk)
{
	if (!block_is_data(fs, blk))
		return NC_FS_ERR_BAD_BLOCK;
	uint32_t g = (blk - fs->first_data_block) / fs->blocks_per_group;
	nc_fs_err_t err = release_bit(fs, g, true, blk - group_first_block(fs, g));
	fs_buf_t *meta = buf_peek(fs, blk);
	if (!err && meta && meta->in_txn) { /* see txn.c: never written back once freed */
		err = buf_modify(fs, meta);
		if (!err)
			meta->freed = true;
	} else if (!err && meta && meta->refs == 0) {
		buf_forget(fs, meta);
	}
	return err;
}

/* The group for a new inode, or n_groups when no group has a free inode. */
static uint32_t pick_group(nc_fs_t *fs, uint32_t parent_group, bool top_dir)
{
	uint32_t best = fs->n_groups;
	if (top_dir) {
		uint32_t avg = get_le32(fs->sb + SB_FREE_INODES) / fs->n_groups, best_free = 0;
		for (uint32_t g = 0; g < fs->n_groups; g++) {
			const uint8_t *gd = gd_ptr(fs, g);
			uint32_t fi = get_le16(gd + GD_FREE_INODES), fb = get_le16(gd + GD_FREE_BLOCKS);
			if (fi && fi >= avg && (best == fs->n_groups || fb > best_free)) {
				best = g;
				best_free = fb;
			}
		}
		if (best < fs->n_groups)
			return best;
	}
	for (uint32_t pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; i < fs->n_groups; i++) {
			uint32_t g = (parent_group + i) % fs->n_groups;
			const uint8_t *gd = gd_ptr(fs, g);
			if (get_le16(gd + GD_FREE_INODES) && (pass || get_le16(gd + GD_FREE_BLOCKS)))
				return g;
		}
	return best;
}

static nc_fs_err_t take_inode(nc_fs_t *fs, uint32_t g, bool is_dir, uint32_t *out, bool *found)
{
	fs_buf_t *ib;
	nc_fs_err_t err = bitmap_get(fs, get_le32(gd_ptr(fs, g) + GD_INODE_BITMAP), false, &ib);
	if (err)
		return err;
	uint32_t first = g == 0 ? fs->first_ino - 1u : 0u;
	uint32_t bit = first < fs->inodes_per_group ? find_clear(ib, first, fs->inodes_per_group)
						    : fs->inodes_per_group;
	*found = bit < fs->inodes_per_group;
	if (*found)
		err = buf_modify(fs, ib);
	if (*found && !err) {
		ib->data[bit >> 3] |= (uint8_t)(1u << (bit & 7u));
		err = gd_add(fs, g, GD_FREE_INODES, -1, fs->inodes_per_group);
		if (!err && is_dir)
			err = gd_add(fs, g, GD_USED_DIRS, 1, fs->inodes_per_group);
		if (!err)
			err = super_add_free(fs, 0, -1);
		*out = g * fs->inodes_per_group + bit + 1u;
	}
	buf_put(fs, ib);
	return err;
}

nc_fs_err_t inode_alloc(nc_fs_t *fs, uint32_t parent_ino, bool is_dir, uint32_t *out)
{
	uint32_t pg = (parent_ino - 1u) / fs->inodes_per_group;
	uint32_t g = pick_group(fs, pg, is_dir && parent_ino == INO_ROOT);
	for (uint32_t i = 0; g < fs->n_groups && i < fs->n_groups; i++, g = (g + 1u) % fs->n_groups) {
		if (get_le16(gd_ptr(fs, g) + GD_FREE_INODES) == 0)
			continue;
		bool found;
		nc_fs_err_t err = take_inode(fs, g, is_dir, out, &found);
		if (err || found)
			return err;
	}
	return NC_FS_ERR_NO_INODES;
}

nc_fs_err_t inode_free(nc_fs_t *fs, uint32_t ino, bool is_dir)
{
	uint32_t g = (ino - 1u) / fs->inodes_per_group;
	nc_fs_err_t err = release_bit(fs, g, false, (ino - 1u) % fs->inodes_per_group);
	if (!err && is_dir)
		err = gd_add(fs, g, GD_USED_DIRS, -1, fs->inodes_per_group);
	return err;
}
