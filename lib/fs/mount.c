/* Mount, unmount, sync and the file-system-wide figures.
 *
 * Mount: validate the superblock and descriptors (super.c), open the journal and replay it when
 * it holds committed transactions, then load everything again from the replayed disk. A writable
 * mount sets the needs_recovery flag on disk before its first transaction (Linux and e2fsck only
 * replay a journal when that flag is set) and finishes the orphan list. Unmount finishes the
 * orphan list too (a deletion whose freeing failed), commits, empties the journal and clears the
 * flag. */
#include "fs_int.h"

#define DEFAULT_CACHE_BLOCKS 256u

static bool config_ok(const nc_fs_config_t *cfg)
{
	uint32_t s = cfg->dev.sector_bytes;
	return cfg->dev.read && cfg->dev.write && cfg->dev.flush && cfg->alloc && cfg->now_ns &&
	       (s == 512u || s == 1024u || s == 2048u || s == 4096u) && cfg->dev.n_sectors &&
	       !(cfg->flags & ~NC_FS_MOUNT_READ_ONLY);
}

static void release(nc_fs_t *fs)
{
	super_unload(fs);
	journal_close(fs);
	buf_cache_fini(fs);
	fs_free(fs, fs, sizeof(*fs));
}

/* Superblock, descriptors and journal, replaying the journal first when it needs it. */
static nc_fs_err_t load(nc_fs_t *fs)
{
	nc_fs_err_t err = super_load(fs);
	if (err || !(fs->compat & FEAT_COMPAT_HAS_JOURNAL))
		return err;
	err = journal_open(fs);
	bool needs = false;
	if (!err)
		err = journal_needs_replay(fs, &needs);
	if (err || !needs)
		return err;
	if (fs->read_only)
		return NC_FS_ERR_NEEDS_RECOVERY;
	err = journal_replay(fs);
	if (err)
		return err;
	super_unload(fs);
	journal_close(fs);
	buf_drop_clean(fs);
	err = super_load(fs);
	return err ? err : journal_open(fs);
}

/* Orphans left by a power cut. A malformed list refuses the mount; an inode on it whose blocks
 * are malformed stays on the list (e2fsck's business) rather than making the file system
 * unmountable. */
static nc_fs_err_t finish_orphans(nc_fs_t *fs)
{
	nc_fs_err_t err = orphan_recover(fs);
	bool fatal = err == NC_FS_ERR_IO || err == NC_FS_ERR_NOMEM || err == NC_FS_ERR_BAD_ORPHAN;
	return fatal ? err : NC_FS_OK;
}

static nc_fs_err_t start_writing(nc_fs_t *fs)
{
	uint64_t now = fs_now_ns(fs) / 1000000000u;
	put_le32(fs->sb + SB_FEATURE_INCOMPAT, get_le32(fs->sb + SB_FEATURE_INCOMPAT) | FEAT_INCOMPAT_RECOVER);
	put_le16(fs->sb + SB_MNT_COUNT, (uint16_t)(get_le16(fs->sb + SB_MNT_COUNT) + 1u));
	put_le32(fs->sb + SB_MTIME, (uint32_t)now);
	put_le32(fs->sb + SB_WTIME, (uint32_t)now);
	nc_fs_err_t err = super_write_direct(fs);
	if (!err)
		err = dev_flush(fs);
	return err ? err : finish_orphans(fs);
}

nc_fs_err_t nc_fs_mount(const nc_fs_config_t *cfg, nc_fs_t **out)
{
	if (!cfg || !out || !config_ok(cfg))
		return NC_FS_ERR_INVALID;
	nc_fs_t *fs = cfg->alloc(cfg->alloc_ud, NULL, 0, sizeof(*fs));
	if (!fs)
		return NC_FS_ERR_NOMEM;
	nc_mem_set(fs, 0, sizeof(*fs));
	fs->cfg = *cfg;
	if (!fs->cfg.cache_blocks)
		fs->cfg.cache_blocks = DEFAULT_CACHE_BLOCKS;
	fs->read_only = cfg->flags & NC_FS_MOUNT_READ_ONLY;
	uint64_t now = fs_now_ns(fs);
	fs->next_generation = (uint32_t)(now ^ (now >> 32));
	nc_fs_err_t err = buf_cache_init(fs);
	if (!err)
		err = load(fs);
	if (!err && !fs->read_only)
		err = start_writing(fs);
	if (err) {
		release(fs);
		return err;
	}
	*out = fs;
	return NC_FS_OK;
}

nc_fs_err_t nc_fs_unmount(nc_fs_t *fs)
{
	if (!fs)
		return NC_FS_ERR_INVALID;
	nc_fs_err_t err = NC_FS_OK;
	if (!fs->read_only) {
		err = finish_orphans(fs); /* deletions a failed call left half done */
		if (!err)
			err = txn_commit(fs);
		if (!err)
			err = journal_mark_clean(fs);
		if (!err) {
			uint32_t incompat = get_le32(fs->sb + SB_FEATURE_INCOMPAT) & ~FEAT_INCOMPAT_RECOVER;
			put_le32(fs->sb + SB_FEATURE_INCOMPAT, incompat);
			put_le32(fs->sb + SB_WTIME, (uint32_t)(fs_now_ns(fs) / 1000000000u));
			err = super_write_direct(fs);
		}
		if (!err)
			err = dev_flush(fs);
	}
	release(fs);
	return err;
}

nc_fs_err_t nc_fs_sync(nc_fs_t *fs)
{
	if (!fs)
		return NC_FS_ERR_INVALID;
	return fs->read_only ? NC_FS_OK : txn_commit(fs);
}

nc_fs_err_t nc_fs_statfs(nc_fs_t *fs, nc_fs_statfs_t *out)
{
	if (!fs || !out)
		return NC_FS_ERR_INVALID;
	uint32_t free_blocks = get_le32(fs->sb + SB_FREE_BLOCKS);
	*out = (nc_fs_statfs_t){
		.block_bytes = fs->block_bytes,
		.total_blocks = fs->blocks_count,
		.free_blocks = free_blocks,
		.avail_blocks = free_blocks > fs->r_blocks_count ? free_blocks - fs->r_blocks_count : 0u,
		.total_inodes = fs->inodes_count,
		.free_inodes = get_le32(fs->sb + SB_FREE_INODES),
		.name_max = NC_FS_NAME_MAX,
		.read_only = fs->read_only || fs->failed,
	};
	return NC_FS_OK;
}
