/* The superblock and the group descriptors: validation of every field lib/fs relies on, the
 * geometry derived from them, and where each group's metadata lies (block_is_data).
 *
 * super_load validates before anything else reads the disk: a block number that comes from the
 * superblock or a descriptor is used only after the check here, and every other block number
 * (inode block pointers, directory blocks) is checked with block_is_data before use. The
 * superblock buffer and the descriptor blocks stay held (pinned) while mounted. */
#include "fs_int.h"

static nc_fs_err_t read_raw_super(nc_fs_t *fs, uint8_t *sb)
{
	const nc_fs_dev_t *dev = &fs->cfg.dev;
	uint32_t n = (SB_OFFSET + SB_BYTES + dev->sector_bytes - 1u) / dev->sector_bytes;
	if (dev->n_sectors < n)
		return NC_FS_ERR_DEVICE_SMALL;
	uint8_t *head = fs_alloc(fs, (size_t)n * dev->sector_bytes);
	if (!head)
		return NC_FS_ERR_NOMEM;
	nc_fs_err_t err = dev->read(dev->ctx, 0, n, head) ? NC_FS_OK : NC_FS_ERR_IO;
	nc_mem_copy(sb, head + SB_OFFSET, SB_BYTES);
	fs_free(fs, head, (size_t)n * dev->sector_bytes);
	return err;
}

static bool is_power_of(uint32_t n, uint32_t base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

static bool group_has_super(const nc_fs_t *fs, uint32_t g)
{
	if (g == 0)
		return true;
	if (fs->compat & FEAT_COMPAT_SPARSE_SUPER2)
		return g == fs->backup_bgs[0] || g == fs->backup_bgs[1];
	if (!(fs->ro_compat & FEAT_RO_SPARSE_SUPER))
		return true;
	return g == 1 || is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7);
}

uint32_t group_first_block(nc_fs_t *fs, uint32_t group)
{
	return fs->first_data_block + group * fs->blocks_per_group;
}

uint32_t group_n_blocks(nc_fs_t *fs, uint32_t group)
{
	if (group + 1u < fs->n_groups)
		return fs->blocks_per_group;
	return fs->blocks_count - group_first_block(fs, group);
}

/* Blocks at the start of a group taken by a superblock copy, descriptors and reserved GDT. */
static uint32_t group_super_blocks(const nc_fs_t *fs, uint32_t g)
{
	return group_has_super(fs, g) ? 1u + fs->gdt_blocks + fs->reserved_gdt : 0u;
}

uint8_t *gd_ptr(nc_fs_t *fs, uint32_t group)
{
	uint32_t per = fs->block_bytes / GD_BYTES;
	return fs->gdt[group / per]->data + (group % per) * GD_BYTES;
}

fs_buf_t *gd_buf(nc_fs_t *fs, uint32_t group)
{
	return fs->gdt[group / (fs->block_bytes / GD_BYTES)];
}

bool block_is_data(nc_fs_t *fs, uint32_t blk)
{
	if (blk < fs->first_data_block || blk >= fs->blocks_count)
		return false;
	uint32_t g = (blk - fs->first_data_block) / fs->blocks_per_group;
	uint32_t off = blk - group_first_block(fs, g);
	if (off < group_super_blocks(fs, g))
		return false;
	const uint8_t *gd = gd_ptr(fs, g);
	uint32_t itable = get_le32(gd + GD_INODE_TABLE);
	return blk != get_le32(gd + GD_BLOCK_BITMAP) && blk != get_le32(gd + GD_INODE_BITMAP) &&
	       (blk < itable || blk - itable >= fs->itable_blocks);
}

/* Feature sets: what any mount reads, and what a writable mount keeps valid. */
static nc_fs_err_t check_features(nc_fs_t *fs)
{
	if (fs->incompat & ~FEAT_INCOMPAT_KNOWN)
		return NC_FS_ERR_UNSUPPORTED;
	if (fs->read_only)
		return NC_FS_OK;
	if (fs->ro_compat & ~FEAT_RO_WRITABLE)
		return NC_FS_ERR_UNSUPPORTED;
	if (!(fs->compat & FEAT_COMPAT_HAS_JOURNAL))
		return NC_FS_ERR_UNSUPPORTED;
	return NC_FS_OK;
}

static nc_fs_err_t check_inode_geometry(nc_fs_t *fs, const uint8_t *sb)
{
	uint32_t rev = get_le32(sb + SB_REV_LEVEL);
	if (rev > 1)
		return NC_FS_ERR_UNSUPPORTED;
	fs->inode_bytes = rev ? get_le16(sb + SB_INODE_SIZE) : INO_GOOD_OLD_BYTES;
	fs->first_ino = rev ? get_le32(sb + SB_FIRST_INO) : INO_FIRST_GOOD_OLD;
	if (fs->inode_bytes < INO_GOOD_OLD_BYTES || fs->inode_bytes > fs->block_bytes ||
	    (fs->inode_bytes & (fs->inode_bytes - 1u)))
		return NC_FS_ERR_BAD_SUPER;
	fs->inodes_per_block = fs->block_bytes / fs->inode_bytes;
	fs->inodes_count = get_le32(sb + SB_INODES_COUNT);
	fs->inodes_per_group = get_le32(sb + SB_INODES_PER_GROUP);
	if (fs->inodes_per_group == 0 || fs->inodes_per_group > 8u * fs->block_bytes ||
	    fs->inodes_per_group % fs->inodes_per_block)
		return NC_FS_ERR_BAD_SUPER;
	fs->itable_blocks = fs->inodes_per_group / fs->inodes_per_block;
	if ((uint64_t)fs->inodes_per_group * fs->n_groups != fs->inodes_count)
		return NC_FS_ERR_BAD_SUPER;
	if (fs->first_ino < INO_FIRST_GOOD_OLD || fs->first_ino >= fs->inodes_count)
		return NC_FS_ERR_BAD_SUPER;
	fs->new_extra_isize = 0;
	if (fs->inode_bytes >= INO_GOOD_OLD_BYTES + INO_EXTRA_DEFAULT) {
		uint16_t want = get_le16(sb + SB_WANT_EXTRA_ISIZE);
		fs->new_extra_isize = INO_EXTRA_DEFAULT;
		if ((fs->ro_compat & FEAT_RO_EXTRA_ISIZE) && want > INO_EXTRA_DEFAULT &&
		    want % 4u == 0 && want <= fs->inode_bytes - INO_GOOD_OLD_BYTES)
			fs->new_extra_isize = want;
	}
	return NC_FS_OK;
}

static nc_fs_err_t check_block_geometry(nc_fs_t *fs, const uint8_t *sb)
{
	uint32_t log = get_le32(sb + SB_LOG_BLOCK_SIZE);
	if (log > 6)
		return NC_FS_ERR_BAD_SUPER;
	if (log > 2)
		return NC_FS_ERR_UNSUPPORTED;
	if (get_le32(sb + SB_LOG_CLUSTER_SIZE) != log)
		return NC_FS_ERR_UNSUPPORTED;
	fs->log_block = 10u + log;
	fs->block_bytes = 1024u << log;
	if (fs->cfg.dev.sector_bytes > fs->block_bytes)
		return NC_FS_ERR_UNSUPPORTED;
	fs->sectors_per_block = fs->block_bytes / fs->cfg.dev.sector_bytes;
	fs->ptrs_per_block = fs->block_bytes / 4u;
	fs->blocks_count = get_le32(sb + SB_BLOCKS_COUNT);
	fs->first_data_block = get_le32(sb + SB_FIRST_DATA_BLOCK);
	fs->blocks_per_group = get_le32(sb + SB_BLOCKS_PER_GROUP);
	fs->r_blocks_count = get_le32(sb + SB_R_BLOCKS_COUNT);
	if (fs->first_data_block != (fs->block_bytes == 1024u ? 1u : 0u))
		return NC_FS_ERR_BAD_SUPER;
	if (fs->blocks_per_group == 0 || fs->blocks_per_group > 8u * fs->block_bytes ||
	    fs->blocks_per_group % 8u || fs->blocks_count <= fs->first_data_block ||
	    fs->r_blocks_count > fs->blocks_count)
		return NC_FS_ERR_BAD_SUPER;
	if ((uint64_t)fs->blocks_count * fs->sectors_per_block > fs->cfg.dev.n_sectors)
		return NC_FS_ERR_DEVICE_SMALL;
	fs->n_groups = (fs->blocks_count - fs->first_data_block + fs->blocks_per_group - 1u) /
		       fs->blocks_per_group;
	fs->gdt_blocks = (fs->n_groups + fs->block_bytes / GD_BYTES - 1u) / (fs->block_bytes / GD_BYTES);
	fs->reserved_gdt = get_le16(sb + SB_RESERVED_GDT);
	if (fs->reserved_gdt > fs->block_bytes / 4u ||
	    1u + fs->gdt_blocks + fs->reserved_gdt >= group_n_blocks(fs, 0))
		return NC_FS_ERR_BAD_SUPER;
	uint64_t p = fs->ptrs_per_block;
	fs->max_lblk = INO_N_DIRECT + p + p * p + p * p * p;
	return NC_FS_OK;
}

static nc_fs_err_t parse_super(nc_fs_t *fs, const uint8_t *sb)
{
	if (get_le16(sb + SB_MAGIC) != SB_MAGIC_VALUE)
		return NC_FS_ERR_BAD_SUPER;
	fs->compat = get_le32(sb + SB_FEATURE_COMPAT);
	fs->incompat = get_le32(sb + SB_FEATURE_INCOMPAT);
	fs->ro_compat = get_le32(sb + SB_FEATURE_RO_COMPAT);
	nc_fs_err_t err = check_features(fs);
	if (!err)
		err = check_block_geometry(fs, sb);
	if (!err)
		err = check_inode_geometry(fs, sb);
	if (err)
		return err;
	fs->backup_bgs[0] = get_le32(sb + SB_BACKUP_BGS);
	fs->backup_bgs[1] = get_le32(sb + SB_BACKUP_BGS + 4);
	for (uint32_t i = 0; i < 4; i++)
		fs->hash_seed[i] = get_le32(sb + SB_HASH_SEED + 4 * i);
	fs->def_hash = sb[SB_DEF_HASH_VERSION];
	fs->hash_unsigned = (get_le32(sb + SB_FLAGS) & SB_FLAGS_UNSIGNED_HASH) ? DX_HASH_UNSIGNED_DELTA : 0;
	uint32_t jino = get_le32(sb + SB_JOURNAL_INUM);
	if ((fs->compat & FEAT_COMPAT_HAS_JOURNAL) && (jino == 0 || jino > fs->inodes_count))
		return NC_FS_ERR_BAD_SUPER;
	return NC_FS_OK;
}

/* A block of group g's own metadata must lie in g, after its superblock copy. */
static bool in_group(nc_fs_t *fs, uint32_t g, uint32_t blk, uint32_t n)
{
	uint32_t first = group_first_block(fs, g) + group_super_blocks(fs, g);
	uint32_t end = group_first_block(fs, g) + group_n_blocks(fs, g);
	return blk >= first && blk < end && n <= end - blk;
}

static nc_fs_err_t check_group(nc_fs_t *fs, uint32_t g)
{
	const uint8_t *gd = gd_ptr(fs, g);
	uint32_t bb = get_le32(gd + GD_BLOCK_BITMAP), ib = get_le32(gd + GD_INODE_BITMAP);
	uint32_t it = get_le32(gd + GD_INODE_TABLE);
	if (!in_group(fs, g, bb, 1) || !in_group(fs, g, ib, 1) || !in_group(fs, g, it, fs->itable_blocks))
		return NC_FS_ERR_BAD_GROUP;
	if (bb == ib || (bb >= it && bb - it < fs->itable_blocks) || (ib >= it && ib - it < fs->itable_blocks))
		return NC_FS_ERR_BAD_GROUP;
	if (get_le16(gd + GD_FREE_BLOCKS) > group_n_blocks(fs, g) ||
	    get_le16(gd + GD_FREE_INODES) > fs->inodes_per_group ||
	    get_le16(gd + GD_USED_DIRS) > fs->inodes_per_group)
		return NC_FS_ERR_BAD_GROUP;
	return NC_FS_OK;
}

/* The superblock's free counts are the descriptors' sums (as Linux computes them at mount). */
static void sum_free(nc_fs_t *fs)
{
	uint32_t blocks = 0, inodes = 0;
	for (uint32_t g = 0; g < fs->n_groups; g++) {
		blocks += get_le16(gd_ptr(fs, g) + GD_FREE_BLOCKS);
		inodes += get_le16(gd_ptr(fs, g) + GD_FREE_INODES);
	}
	put_le32(fs->sb + SB_FREE_BLOCKS, blocks);
	put_le32(fs->sb + SB_FREE_INODES, inodes);
}

nc_fs_err_t super_load(nc_fs_t *fs)
{
	uint8_t raw[SB_BYTES];
	nc_fs_err_t err = read_raw_super(fs, raw);
	if (!err)
		err = parse_super(fs, raw);
	if (err)
		return err;
	uint32_t sb_blk = SB_OFFSET / fs->block_bytes;
	err = buf_get(fs, sb_blk, &fs->sb_buf);
	if (err)
		return err;
	fs->sb = fs->sb_buf->data + SB_OFFSET % fs->block_bytes;
	fs->gdt = fs_zalloc(fs, fs->gdt_blocks * sizeof(fs_buf_t *));
	if (!fs->gdt)
		return NC_FS_ERR_NOMEM;
	for (uint32_t i = 0; i < fs->gdt_blocks; i++) {
		err = buf_get(fs, fs->first_data_block + 1u + i, &fs->gdt[i]);
		if (err)
			return err;
	}
	for (uint32_t g = 0; g < fs->n_groups; g++) {
		err = check_group(fs, g);
		if (err)
			return err;
	}
	sum_free(fs);
	return NC_FS_OK;
}

void super_unload(nc_fs_t *fs)
{
	if (fs->gdt) {
		for (uint32_t i = 0; i < fs->gdt_blocks; i++)
			buf_put(fs, fs->gdt[i]);
		fs_free(fs, fs->gdt, fs->gdt_blocks * sizeof(fs_buf_t *));
		fs->gdt = NULL;
	}
	buf_put(fs, fs->sb_buf);
	fs->sb_buf = NULL;
	fs->sb = NULL;
}

nc_fs_err_t super_write_direct(nc_fs_t *fs)
{
	if (fs->txn_count)
		return NC_FS_ERR_INVALID;
	return dev_write(fs, fs->sb_buf->blk, 1, fs->sb_buf->data);
}

nc_fs_err_t super_add_free(nc_fs_t *fs, int32_t blocks, int32_t inodes)
{
	nc_fs_err_t err = buf_modify(fs, fs->sb_buf);
	if (err)
		return err;
	put_le32(fs->sb + SB_FREE_BLOCKS, get_le32(fs->sb + SB_FREE_BLOCKS) + (uint32_t)blocks);
	put_le32(fs->sb + SB_FREE_INODES, get_le32(fs->sb + SB_FREE_INODES) + (uint32_t)inodes);
	return NC_FS_OK;
}
