/* The metadata block cache (after xv6's kernel/bio.c): superblock, group descriptors, bitmaps,
 * inode tables, indirect blocks, directory blocks. File data never comes here.
 *
 * Rules: buf_get returns a held buffer with the block's current content; buf_put drops the hold.
 * A caller changes b->data only after buf_modify (txn.c), which puts the buffer into the running
 * transaction; from then until the transaction's checkpoint the buffer is pinned in memory and
 * the disk's copy is stale. Unheld buffers outside a transaction sit on an LRU list and the oldest
 * are freed when there are more than cfg.cache_blocks of them. buf_get_new is for a block just
 * allocated: its old content is not read; it returns the buffer zeroed and already modified. */
#include "fs_int.h"

#define HASH_BUCKETS 4096u

static fs_buf_t *lookup(nc_fs_t *fs, uint32_t blk);

fs_buf_t *buf_peek(nc_fs_t *fs, uint32_t blk)
{
	return lookup(fs, blk);
}

static uint32_t bucket_of(const nc_fs_t *fs, uint32_t blk)
{
	return (blk * 2654435761u) & fs->hash_mask;
}

static fs_buf_t *lookup(nc_fs_t *fs, uint32_t blk)
{
	for (fs_buf_t *b = fs->hash[bucket_of(fs, blk)]; b; b = b->hnext)
		if (b->blk == blk)
			return b;
	return NULL;
}

static void lru_unlink(nc_fs_t *fs, fs_buf_t *b)
{
	if (b->lru_prev)
		b->lru_prev->lru_next = b->lru_next;
	else
		fs->lru_head = b->lru_next;
	if (b->lru_next)
		b->lru_next->lru_prev = b->lru_prev;
	else
		fs->lru_tail = b->lru_prev;
	b->lru_prev = b->lru_next = NULL;
	b->on_lru = false;
	fs->n_lru--;
}

static void lru_append(nc_fs_t *fs, fs_buf_t *b)
{
	b->lru_next = NULL;
	b->lru_prev = fs->lru_tail;
	if (fs->lru_tail)
		fs->lru_tail->lru_next = b;
	else
		fs->lru_head = b;
	fs->lru_tail = b;
	b->on_lru = true;
	fs->n_lru++;
}

nc_fs_err_t buf_cache_init(nc_fs_t *fs)
{
	fs->hash = fs_zalloc(fs, HASH_BUCKETS * sizeof(fs_buf_t *));
	if (!fs->hash)
		return NC_FS_ERR_NOMEM;
	fs->hash_mask = HASH_BUCKETS - 1u;
	return NC_FS_OK;
}

static void free_buf(nc_fs_t *fs, fs_buf_t *b)
{
	fs_free(fs, b->data, fs->block_bytes);
	fs_free(fs, b->undo, fs->block_bytes);
	fs_free(fs, b->frozen, fs->block_bytes);
	fs_free(fs, b, sizeof(*b));
}

void buf_forget(nc_fs_t *fs, fs_buf_t *b)
{
	if (b->on_lru)
		lru_unlink(fs, b);
	fs_buf_t **pp = &fs->hash[bucket_of(fs, b->blk)];
	while (*pp != b)
		pp = &(*pp)->hnext;
	*pp = b->hnext;
	free_buf(fs, b);
}

void buf_cache_fini(nc_fs_t *fs)
{
	if (!fs->hash)
		return;
	for (uint32_t i = 0; i <= fs->hash_mask; i++) {
		fs_buf_t *b = fs->hash[i];
		while (b) {
			fs_buf_t *next = b->hnext;
			free_buf(fs, b);
			b = next;
		}
	}
	fs_free(fs, fs->hash, HASH_BUCKETS * sizeof(fs_buf_t *));
	fs->hash = NULL;
	fs->lru_head = fs->lru_tail = NULL;
	fs->n_lru = 0;
}

static void trim(nc_fs_t *fs)
{
	while (fs->n_lru > fs->cfg.cache_blocks)
		buf_forget(fs, fs->lru_head);
}

void buf_drop_clean(nc_fs_t *fs)
{
	while (fs->lru_head)
		buf_forget(fs, fs->lru_head);
}

/* Find blk in the cache, or make an entry for it (reading it when read is set); held. */
static nc_fs_err_t get(nc_fs_t *fs, uint32_t blk, bool read, fs_buf_t **out, bool *created)
{
	if (blk >= fs->blocks_count)
		return NC_FS_ERR_BAD_BLOCK;
	fs_buf_t *b = lookup(fs, blk);
	*created = !b;
	if (b) {
		if (b->on_lru)
			lru_unlink(fs, b);
		b->refs++;
		*out = b;
		return NC_FS_OK;
	}
	b = fs_zalloc(fs, sizeof(*b));
	if (!b)
		return NC_FS_ERR_NOMEM;
	b->data = fs_alloc(fs, fs->block_bytes);
	if (!b->data) {
		fs_free(fs, b, sizeof(*b));
		return NC_FS_ERR_NOMEM;
	}
	b->blk = blk;
	nc_fs_err_t err = read ? dev_read(fs, blk, 1, b->data) : NC_FS_OK;
	if (err) {
		free_buf(fs, b);
		return err;
	}
	if (!read)
		nc_mem_set(b->data, 0, fs->block_bytes);
	uint32_t h = bucket_of(fs, blk);
	b->hnext = fs->hash[h];
	fs->hash[h] = b;
	b->refs = 1;
	trim(fs);
	*out = b;
	return NC_FS_OK;
}

nc_fs_err_t buf_get(nc_fs_t *fs, uint32_t blk, fs_buf_t **out)
{
	bool created;
	return get(fs, blk, true, out, &created);
}

nc_fs_err_t buf_get_new(nc_fs_t *fs, uint32_t blk, fs_buf_t **out)
{
	fs_buf_t *b;
	bool created;
	nc_fs_err_t err = get(fs, blk, false, &b, &created);
	if (err)
		return err;
	err = buf_modify(fs, b);
	if (err) {
		if (created) { /* its content was never read: it must not stay cached */
			b->refs = 0;
			buf_forget(fs, b);
		} else {
			buf_put(fs, b);
		}
		return err;
	}
	nc_mem_set(b->data, 0, fs->block_bytes);
	b->unread = b->unread || created;
	b->freed = false;
	*out = b;
	return NC_FS_OK;
}

void buf_put(nc_fs_t *fs, fs_buf_t *b)
{
	if (!b)
		return;
	b->refs--;
	buf_settle(fs, b);
}

void buf_settle(nc_fs_t *fs, fs_buf_t *b)
{
	if (b->refs == 0 && !b->in_txn && !b->on_lru) {
		lru_append(fs, b);
		trim(fs);
	}
}
