/* The journal's place and state: the journal inode's blocks (mapped once at mount into jmap, so
 * the log is addressed by journal block number), and its superblock (jbd2 v1 or v2), validated
 * here before replay.c or txn.c use a field of it. Only the internal journal of an ext3 file
 * system is handled; features that change the log's format beyond 64-bit block numbers (journal
 * checksums v1-v3, fast commits) give NC_FS_ERR_UNSUPPORTED. */
#include "fs_int.h"

#define JBD_COMPAT_CHECKSUM 0x1u

static nc_fs_err_t map_journal(nc_fs_t *fs, const fs_inode_t *in, uint32_t n)
{
	fs->jmap = fs_alloc(fs, (size_t)n * sizeof(uint32_t));
	if (!fs->jmap)
		return NC_FS_ERR_NOMEM;
	fs->jmap_len = n;
	for (uint32_t l = 0; l < n;) {
		uint32_t pblk, run;
		nc_fs_err_t err = bmap_get_run(fs, in, l, n - l, &pblk, &run);
		if (err)
			return err;
		if (pblk == 0)
			return NC_FS_ERR_BAD_JOURNAL; /* a hole in the journal */
		for (uint32_t i = 0; i < run; i++)
			fs->jmap[l + i] = pblk + i;
		l += run;
	}
	return NC_FS_OK;
}

static nc_fs_err_t check_jsb(nc_fs_t *fs, uint32_t n_blocks)
{
	const uint8_t *j = fs->jsb;
	uint32_t type = get_be32(j + JBD_H_BLOCKTYPE);
	if (get_be32(j + JBD_H_MAGIC) != JBD_MAGIC || (type != JBD_SUPERBLOCK_V1 && type != JBD_SUPERBLOCK_V2))
		return NC_FS_ERR_BAD_JOURNAL;
	uint32_t maxlen = get_be32(j + JSB_MAXLEN), first = get_be32(j + JSB_FIRST);
	uint32_t start = get_be32(j + JSB_START);
	if (get_be32(j + JSB_BLOCKSIZE) != fs->block_bytes || maxlen > n_blocks || maxlen < JBD_MIN_BLOCKS ||
	    first == 0 || first >= maxlen || (start && (start < first || start >= maxlen)))
		return NC_FS_ERR_BAD_JOURNAL;
	uint32_t incompat = 0;
	if (type == JBD_SUPERBLOCK_V2) {
		incompat = get_be32(j + JSB_FEATURE_INCOMPAT);
		if ((incompat & ~JBD_INCOMPAT_KNOWN) || (get_be32(j + JSB_FEATURE_COMPAT) & JBD_COMPAT_CHECKSUM))
			return NC_FS_ERR_UNSUPPORTED;
	}
	fs->jtag_bytes = (incompat & JBD_INCOMPAT_64BIT) ? JTAG_BYTES_64 : JTAG_BYTES;
	fs->jmaxlen = maxlen;
	fs->jfirst = first;
	fs->jseq = get_be32(j + JSB_SEQUENCE);
	fs->jhead = first;
	return NC_FS_OK;
}

nc_fs_err_t journal_open(nc_fs_t *fs)
{
	fs_inode_t in;
	nc_fs_err_t err = inode_read(fs, get_le32(fs->sb + SB_JOURNAL_INUM), &in);
	if (err)
		return err == NC_FS_ERR_IO || err == NC_FS_ERR_NOMEM ? err : NC_FS_ERR_BAD_JOURNAL;
	if ((in.mode & MODE_TYPE_MASK) != MODE_REG || in.size % fs->block_bytes ||
	    (in.size >> fs->log_block) < JBD_MIN_BLOCKS || (in.size >> fs->log_block) > fs->blocks_count)
		return NC_FS_ERR_BAD_JOURNAL;
	uint32_t n = (uint32_t)(in.size >> fs->log_block);
	err = map_journal(fs, &in, n);
	if (!err) {
		fs->jsb = fs_alloc(fs, fs->block_bytes);
		err = fs->jsb ? dev_read(fs, fs->jmap[0], 1, fs->jsb) : NC_FS_ERR_NOMEM;
	}
	if (!err)
		err = check_jsb(fs, n);
	if (!err)
		fs->txn_max = txn_limit(fs);
	return err;
}

void journal_close(nc_fs_t *fs)
{
	fs_free(fs, fs->jmap, (size_t)fs->jmap_len * sizeof(uint32_t));
	fs_free(fs, fs->jsb, fs->block_bytes);
	fs->jmap = NULL;
	fs->jsb = NULL;
}

nc_fs_err_t journal_set_start(nc_fs_t *fs, uint32_t start, uint32_t seq)
{
	put_be32(fs->jsb + JSB_START, start);
	put_be32(fs->jsb + JSB_SEQUENCE, seq);
	nc_fs_err_t err = dev_write(fs, fs->jmap[0], 1, fs->jsb);
	return err ? err : dev_flush(fs);
}

nc_fs_err_t journal_mark_clean(nc_fs_t *fs)
{
	fs->jhead = fs->jfirst;
	return journal_set_start(fs, 0, fs->jseq);
}
