/* Operations and transactions (the handle/transaction split of jbd2, single-threaded).
 *
 * An operation (op_begin .. op_end) is one atomic change: every metadata buffer it changes goes
 * through buf_modify, which saves the buffer's content before the operation's first change (the
 * undo copy) and puts it into the running transaction. op_end with an error copies every undo
 * back and takes the buffers that joined in this operation out of the transaction again, so the
 * operation leaves no trace. Operations accumulate in the running transaction until it is
 * committed: by nc_fs_sync, at unmount, or by op_begin when the operation's credits (the most
 * buffers it may add) would overflow the transaction.
 *
 * Commit (ordered mode, as ext3's default): file data was already written in place before, then
 *   1. the journal superblock points at this transaction (when it did not already), the
 *      descriptor blocks and copies of every buffer are written to the log; flush;
 *   2. the commit block; flush -- from here a power cut replays the transaction;
 *   3. checkpoint: every buffer to its home location; flush.
 * Each transaction is checkpointed before the next one is written, so the log only ever holds
 * the last one, and the journal superblock on disk always names a transaction that is complete
 * or whose replay is harmless (docs/filesystem.md works through the cases). A transaction never
 * holds more than a third of the log, so the next one never overwrites the one the journal
 * superblock still names.
 *
 * Blocks freed by the running transaction are not reallocated before it commits (alloc.c checks
 * the frozen copy of each block bitmap): a freed directory or indirect block reused for file data
 * would otherwise be overwritten in place while the old, committed metadata still points at it.
 * A block both allocated and freed by the running transaction may be reused at once; if it was
 * metadata, its buffer is marked freed and never written (it would overwrite the new owner's
 * data at checkpoint). */
#include "fs_int.h"

nc_fs_err_t writable(nc_fs_t *fs)
{
	if (fs->read_only)
		return NC_FS_ERR_READ_ONLY;
	return fs->failed;
}

nc_fs_err_t op_begin(nc_fs_t *fs, uint32_t credits)
{
	nc_fs_err_t err = writable(fs);
	if (err)
		return err;
	if (credits > fs->txn_max)
		credits = fs->txn_max;
	if (fs->txn_count + credits > fs->txn_max) {
		err = txn_commit(fs);
		if (err)
			return err;
	}
	fs->op_active = true;
	fs->op_credits = credits;
	fs->op_joined = 0;
	fs->op_head = NULL;
	return NC_FS_OK;
}

nc_fs_err_t buf_modify(nc_fs_t *fs, fs_buf_t *b)
{
	if (!fs->op_active)
		return NC_FS_ERR_INVALID;
	if (!b->in_txn && fs->txn_count >= fs->txn_max)
		return NC_FS_ERR_NO_SPACE;
	if (!b->in_op) {
		b->undo = fs_alloc(fs, fs->block_bytes);
		if (!b->undo)
			return NC_FS_ERR_NOMEM;
		nc_mem_copy(b->undo, b->data, fs->block_bytes);
		b->undo_freed = b->freed;
		b->in_op = true;
		b->op_next = fs->op_head;
		fs->op_head = b;
	}
	if (b->in_txn)
		return NC_FS_OK;
	if (b->is_bitmap) {
		b->frozen = fs_alloc(fs, fs->block_bytes);
		if (!b->frozen)
			return NC_FS_ERR_NOMEM;
		nc_mem_copy(b->frozen, b->data, fs->block_bytes);
	}
	b->in_txn = true;
	b->joined_in_op = true;
	b->txn_next = fs->txn_head;
	fs->txn_head = b;
	fs->txn_count++;
	fs->op_joined++;
	return NC_FS_OK;
}

/* Take b out of the running transaction (it joined in the operation being rolled back). */
static void leave_txn(nc_fs_t *fs, fs_buf_t *b)
{
	fs_buf_t **pp = &fs->txn_head;
	while (*pp != b)
		pp = &(*pp)->txn_next;
	*pp = b->txn_next;
	b->txn_next = NULL;
	b->in_txn = false;
	fs->txn_count--;
	fs_free(fs, b->frozen, fs->block_bytes);
	b->frozen = NULL;
}

nc_fs_err_t op_end(nc_fs_t *fs, nc_fs_err_t err)
{
	fs_buf_t *b = fs->op_head;
	while (b) {
		fs_buf_t *next = b->op_next;
		bool forget = false;
		if (err) {
			nc_mem_copy(b->data, b->undo, fs->block_bytes);
			b->freed = b->undo_freed;
			if (b->joined_in_op) {
				leave_txn(fs, b);
				forget = b->unread && b->refs == 0;
			}
		}
		fs_free(fs, b->undo, fs->block_bytes);
		b->undo = NULL;
		b->in_op = b->joined_in_op = false;
		b->op_next = NULL;
		if (forget)
			buf_forget(fs, b);
		else
			buf_settle(fs, b);
		b = next;
	}
	fs->op_head = NULL;
	fs->op_active = false;
	return err;
}

/* Tags of one descriptor block: after the header, the first tag carries the UUID. */
static uint32_t tags_per_descriptor(const nc_fs_t *fs)
{
	return (fs->block_bytes - JBD_HEADER_BYTES - JSB_UUID_BYTES) / fs->jtag_bytes;
}

uint32_t txn_limit(const nc_fs_t *fs)
{
	uint32_t third = (fs->jmaxlen - fs->jfirst) / 3u;
	uint32_t per = tags_per_descriptor(fs);
	uint32_t n = third - 2u - third / per;
	uint32_t cap = fs->cfg.max_txn_blocks ? fs->cfg.max_txn_blocks : NC_FS_TXN_DEFAULT_BLOCKS;
	if (cap < NC_FS_TXN_MIN_BLOCKS)
		cap = NC_FS_TXN_MIN_BLOCKS; /* every operation's credits must fit (fs_int.h) */
	return n < cap ? n : cap;
}

static void put_header(uint8_t *blk, uint32_t type, uint32_t seq)
{
	put_be32(blk + JBD_H_MAGIC, JBD_MAGIC);
	put_be32(blk + JBD_H_BLOCKTYPE, type);
	put_be32(blk + JBD_H_SEQUENCE, seq);
}

static nc_fs_err_t log_write(nc_fs_t *fs, uint32_t pos, const uint8_t *data)
{
	return dev_write(fs, fs->jmap[pos], 1, data);
}

/* Write the journal superblock when (start, sequence) differ from what the disk holds. */
static nc_fs_err_t jsb_point(nc_fs_t *fs, uint32_t start, uint32_t seq)
{
	if (get_be32(fs->jsb + JSB_START) == start && get_be32(fs->jsb + JSB_SEQUENCE) == seq)
		return NC_FS_OK;
	put_be32(fs->jsb + JSB_START, start);
	put_be32(fs->jsb + JSB_SEQUENCE, seq);
	return log_write(fs, 0, fs->jsb);
}

static fs_buf_t *live(fs_buf_t *b)
{
	while (b && b->freed)
		b = b->txn_next;
	return b;
}

/* Step 1: descriptor blocks, each followed by the blocks it tags (not the freed ones). */
static nc_fs_err_t write_log(nc_fs_t *fs, uint8_t *desc, uint8_t *copy, uint32_t *pos)
{
	uint32_t per = tags_per_descriptor(fs);
	fs_buf_t *b = live(fs->txn_head);
	while (b) {
		nc_mem_set(desc, 0, fs->block_bytes);
		put_header(desc, JBD_DESCRIPTOR, fs->jseq);
		uint32_t desc_pos = (*pos)++;
		uint32_t off = JBD_HEADER_BYTES;
		uint8_t *last_tag = NULL;
		for (uint32_t i = 0; i < per && b; i++, b = live(b->txn_next)) {
			const uint8_t *data = b->data;
			uint16_t flags = i ? JTAG_FL_SAME_UUID : 0;
			if (get_be32(b->data) == JBD_MAGIC) {
				nc_mem_copy(copy, b->data, fs->block_bytes);
				nc_mem_set(copy, 0, 4);
				data = copy;
				flags |= JTAG_FL_ESCAPE;
			}
			last_tag = desc + off;
			put_be32(last_tag + JTAG_BLOCKNR, b->blk);
			put_be16(last_tag + JTAG_FLAGS, flags);
			off += fs->jtag_bytes;
			if (i == 0) {
				nc_mem_copy(desc + off, fs->jsb + JSB_UUID, JSB_UUID_BYTES);
				off += JSB_UUID_BYTES;
			}
			nc_fs_err_t err = log_write(fs, (*pos)++, data);
			if (err)
				return err;
		}
		put_be16(last_tag + JTAG_FLAGS, (uint16_t)(get_be16(last_tag + JTAG_FLAGS) | JTAG_FL_LAST));
		nc_fs_err_t err = log_write(fs, desc_pos, desc);
		if (err)
			return err;
	}
	return NC_FS_OK;
}

static nc_fs_err_t write_commit(nc_fs_t *fs, uint8_t *blk, uint32_t pos)
{
	uint64_t ns = fs_now_ns(fs);
	uint64_t sec = ns / 1000000000u;
	nc_mem_set(blk, 0, fs->block_bytes);
	put_header(blk, JBD_COMMIT, fs->jseq);
	put_be32(blk + JCOMMIT_SEC, (uint32_t)(sec >> 32));
	put_be32(blk + JCOMMIT_SEC + 4, (uint32_t)sec);
	put_be32(blk + JCOMMIT_NSEC, (uint32_t)(ns % 1000000000u));
	return log_write(fs, pos, blk);
}

static nc_fs_err_t checkpoint(nc_fs_t *fs)
{
	for (fs_buf_t *b = live(fs->txn_head); b; b = live(b->txn_next)) {
		nc_fs_err_t err = dev_write(fs, b->blk, 1, b->data);
		if (err)
			return err;
	}
	nc_fs_err_t err = dev_flush(fs);
	if (err)
		return err;
	fs_buf_t *b = fs->txn_head;
	while (b) {
		fs_buf_t *next = b->txn_next;
		b->txn_next = NULL;
		b->in_txn = false;
		b->unread = false;
		fs_free(fs, b->frozen, fs->block_bytes);
		b->frozen = NULL;
		if (b->freed && b->refs == 0)
			buf_forget(fs, b); /* it no longer matches the disk */
		else
			buf_settle(fs, b);
		b = next;
	}
	fs->txn_head = NULL;
	fs->txn_count = 0;
	return NC_FS_OK;
}

nc_fs_err_t txn_commit(nc_fs_t *fs)
{
	if (fs->failed)
		return fs->failed;
	if (fs->txn_count == 0)
		return fs->read_only ? NC_FS_OK : dev_flush(fs);
	uint32_t per = tags_per_descriptor(fs);
	uint32_t total = fs->txn_count + (fs->txn_count + per - 1u) / per + 1u;
	uint32_t pos = fs->jhead;
	if (pos + total > fs->jmaxlen)
		pos = fs->jfirst;
	uint8_t *desc = fs_alloc(fs, fs->block_bytes);
	uint8_t *copy = fs_alloc(fs, fs->block_bytes);
	nc_fs_err_t err = desc && copy ? NC_FS_OK : NC_FS_ERR_NOMEM;
	if (!err)
		err = jsb_point(fs, pos, fs->jseq);
	if (!err)
		err = write_log(fs, desc, copy, &pos);
	if (!err)
		err = dev_flush(fs);
	if (!err)
		err = write_commit(fs, desc, pos++);
	if (!err)
		err = dev_flush(fs);
	if (!err)
		err = checkpoint(fs);
	fs_free(fs, desc, fs->block_bytes);
	fs_free(fs, copy, fs->block_bytes);
	if (err)
		return err;
	fs->jhead = pos;
	fs->jseq++;
	return NC_FS_OK;
}
