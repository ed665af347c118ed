/* Journal recovery at mount, the three passes of jbd2's recovery.c: scan from the journal
 * superblock's s_start for the last transaction that has its commit block; collect the revoke
 * records of the committed transactions (a block revoked by transaction R is not replayed from a
 * transaction older than or equal to R); write every other logged block of the committed
 * transactions to its home, in log order. Then the log is marked empty with the next sequence
 * past the last one seen (so stale blocks of an unfinished transaction are never taken for new
 * ones). Every tag's target is checked against the file system's size before it is written. */
#include "fs_int.h"

typedef struct {
	uint32_t blk;
	uint32_t seq;
} revoke_t;

typedef struct {
	nc_fs_t *fs;
	uint8_t *blk;               /* one log block */
	uint8_t *data;              /* one logged block, unescaped */
	revoke_t *rev;
	uint32_t n_rev, cap_rev;
	uint32_t end_seq;           /* first sequence without a commit block */
	uint32_t desc_pos, desc_seq;/* the descriptor whose tags are being replayed */
} replay_t;

static uint32_t wrap(const nc_fs_t *fs, uint32_t pos)
{
	return pos >= fs->jmaxlen ? pos - (fs->jmaxlen - fs->jfirst) : pos;
}

static nc_fs_err_t read_log(nc_fs_t *fs, uint32_t pos, uint8_t *buf)
{
	return dev_read(fs, fs->jmap[pos], 1, buf);
}

/* Tags of a descriptor block: calls fn for each (target block, flags) in order; *n counts them. */
typedef nc_fs_err_t (*tag_fn)(replay_t *r, uint32_t index, uint32_t target, uint32_t flags);

static nc_fs_err_t each_tag(replay_t *r, const uint8_t *desc, tag_fn fn, uint32_t *n)
{
	nc_fs_t *fs = r->fs;
	uint32_t off = JBD_HEADER_BYTES;
	*n = 0;
	while (off + fs->jtag_bytes <= fs->block_bytes) {
		const uint8_t *t = desc + off;
		uint32_t flags = get_be16(t + JTAG_FLAGS);
		uint32_t target = get_be32(t + JTAG_BLOCKNR);
		if (fs->jtag_bytes == JTAG_BYTES_64 && get_be32(t + JTAG_BYTES))
			return NC_FS_ERR_BAD_JOURNAL; /* above 2^32: past any ext3 */
		nc_fs_err_t err = fn ? fn(r, *n, target, flags) : NC_FS_OK;
		if (err)
			return err;
		(*n)++;
		off += fs->jtag_bytes + ((flags & JTAG_FL_SAME_UUID) ? 0u : JSB_UUID_BYTES);
		if (flags & JTAG_FL_LAST)
			break;
	}
	return *n ? NC_FS_OK : NC_FS_ERR_BAD_JOURNAL;
}

static bool header_is(const uint8_t *b, uint32_t seq)
{
	return get_be32(b + JBD_H_MAGIC) == JBD_MAGIC && get_be32(b + JBD_H_SEQUENCE) == seq;
}

static nc_fs_err_t add_revoke(replay_t *r, uint32_t blk, uint32_t seq)
{
	for (uint32_t i = 0; i < r->n_rev; i++)
		if (r->rev[i].blk == blk) {
			if (seq > r->rev[i].seq)
				r->rev[i].seq = seq;
			return NC_FS_OK;
		}
	if (r->n_rev == r->cap_rev) {
		uint32_t cap = r->cap_rev ? 2u * r->cap_rev : 64u;
		revoke_t *n = r->fs->cfg.alloc(r->fs->cfg.alloc_ud, r->rev, r->cap_rev * sizeof(revoke_t),
					       cap * sizeof(revoke_t));
		if (!n)
			return NC_FS_ERR_NOMEM;
		r->rev = n;
		r->cap_rev = cap;
	}
	r->rev[r->n_rev++] = (revoke_t){ blk, seq };
	return NC_FS_OK;
}

static bool revoked(const replay_t *r, uint32_t blk, uint32_t seq)
{
	for (uint32_t i = 0; i < r->n_rev; i++)
		if (r->rev[i].blk == blk)
			return r->rev[i].seq >= seq;
	return false;
}

static nc_fs_err_t take_revokes(replay_t *r, uint32_t seq)
{
	nc_fs_t *fs = r->fs;
	uint32_t used = get_be32(r->blk + JREVOKE_COUNT);
	uint32_t rec = fs->jtag_bytes == JTAG_BYTES_64 ? 8u : 4u;
	if (used < JREVOKE_RECORDS || used > fs->block_bytes)
		return NC_FS_ERR_BAD_JOURNAL;
	for (uint32_t off = JREVOKE_RECORDS; off + rec <= used; off += rec) {
		if (rec == 8u && get_be32(r->blk + off))
			return NC_FS_ERR_BAD_JOURNAL;
		nc_fs_err_t err = add_revoke(r, get_be32(r->blk + off + rec - 4u), seq);
		if (err)
			return err;
	}
	return NC_FS_OK;
}

static nc_fs_err_t replay_tag(replay_t *r, uint32_t index, uint32_t target, uint32_t flags)
{
	nc_fs_t *fs = r->fs;
	if (target >= fs->blocks_count)
		return NC_FS_ERR_BAD_JOURNAL;
	if (revoked(r, target, r->desc_seq))
		return NC_FS_OK;
	nc_fs_err_t err = read_log(fs, wrap(fs, r->desc_pos + 1u + index), r->data);
	if (err)
		return err;
	if (flags & JTAG_FL_ESCAPE)
		put_be32(r->data, JBD_MAGIC);
	return dev_write(fs, target, 1, r->data);
}

/* Walk the log from s_start; pass 0 finds end_seq, pass 1 takes revokes, pass 2 replays. */
static nc_fs_err_t walk(replay_t *r, uint32_t pass)
{
	nc_fs_t *fs = r->fs;
	uint32_t pos = get_be32(fs->jsb + JSB_START), seq = get_be32(fs->jsb + JSB_SEQUENCE);
	uint32_t budget = fs->jmaxlen - fs->jfirst; /* log blocks: a walk never reads more */
	while (budget) {
		if (pass && seq == r->end_seq)
			return NC_FS_OK;
		nc_fs_err_t err = read_log(fs, pos, r->blk);
		if (err)
			return err;
		if (!header_is(r->blk, seq))
			break;
		uint32_t type = get_be32(r->blk + JBD_H_BLOCKTYPE), n = 0;
		if (type == JBD_DESCRIPTOR) {
			r->desc_pos = pos;
			r->desc_seq = seq;
			err = each_tag(r, r->blk, pass == 2u ? replay_tag : NULL, &n);
		} else if (type == JBD_REVOKE) {
			err = pass == 1u ? take_revokes(r, seq) : NC_FS_OK;
		} else if (type == JBD_COMMIT) {
			seq++;
		} else {
			break;
		}
		if (err)
			return err;
		if (n + 1u > budget)
			return NC_FS_ERR_BAD_JOURNAL;
		budget -= n + 1u;
		pos = wrap(fs, pos + n + 1u);
	}
	if (pass)
		return NC_FS_ERR_BAD_JOURNAL; /* the log changed between passes */
	r->end_seq = seq;
	return NC_FS_OK;
}

nc_fs_err_t journal_needs_replay(nc_fs_t *fs, bool *needs)
{
	*needs = get_be32(fs->jsb + JSB_START) != 0;
	return NC_FS_OK;
}

nc_fs_err_t journal_replay(nc_fs_t *fs)
{
	replay_t r = { .fs = fs };
	r.blk = fs_alloc(fs, fs->block_bytes);
	r.data = fs_alloc(fs, fs->block_bytes);
	nc_fs_err_t err = r.blk && r.data ? NC_FS_OK : NC_FS_ERR_NOMEM;
	for (uint32_t pass = 0; pass < 3u && !err; pass++)
		err = walk(&r, pass);
	if (!err)
		err = dev_flush(fs);
	if (!err) {
		fs->jseq = r.end_seq + 1u;
		err = journal_mark_clean(fs);
	}
	fs_free(fs, r.blk, fs->block_bytes);
	fs_free(fs, r.data, fs->block_bytes);
	fs_free(fs, r.rev, r.cap_rev * sizeof(revoke_t));
	return err;
}
