/* lib/fs internals shared by its files. Layering, bottom up:
 *   env.c     device I/O (bounds checked), memory, clock             buf.c    metadata block cache
 *   txn.c     operations, transactions, commit            replay.c journal recovery at mount
 *   super.c   superblock, group descriptors, geometry     alloc.c  block and inode bitmaps
 *   inode.c   inode read/validate/write                   bmap.c   logical -> physical blocks
 *   shrink.c  freeing blocks past a size, orphans         dir.c    directory blocks (linear)
 *   hash.c    htree name hashes                           htree.c  indexed directories
 *   namei.c   path walk                                   file.c   read/write/truncate
 *   ops.c     create, mkdir, unlink, rmdir, rename, link  mount.c  mount/unmount/sync/statfs
 *
 * Every change of metadata happens inside an operation (op_begin .. op_end) and through a buffer
 * marked with buf_modify first; op_end with an error restores every buffer the operation changed,
 * so a failed call leaves no trace. File data never goes through the cache or the journal: it is
 * written straight to its blocks before the transaction that points at them commits (ordered
 * mode). Block numbers are 32-bit (ext3 has no 64bit feature). */
#ifndef NC_FS_INT_H
#define NC_FS_INT_H

#include <nc/fs.h>
#include <nc/mem.h>

#include "disk.h"

typedef struct fs_buf {
	uint32_t blk;
	uint32_t refs;              /* holders; a held buffer is never evicted */
	uint8_t *data;              /* block_bytes */
	uint8_t *undo;              /* the content before the running operation changed it */
	uint8_t *frozen;            /* a block bitmap in the transaction: its committed content */
	bool in_txn;                /* changed by the running transaction: pinned until checkpoint */
	bool joined_in_op;          /* in_txn since the running operation */
	bool in_op;                 /* on the running operation's list */
	bool is_bitmap;             /* a block bitmap (gets a frozen copy when it joins) */
	bool on_lru;
	bool unread;                /* made by buf_get_new: the content never came from the disk */
	bool freed;                 /* the block was freed in the transaction: never written back */
	bool undo_freed;            /* freed before the running operation */
	struct fs_buf *hnext;       /* hash chain */
	struct fs_buf *lru_prev, *lru_next; /* clean unheld buffers, least recently used first */
	struct fs_buf *txn_next;    /* the transaction's buffers */
	struct fs_buf *op_next;     /* the running operation's buffers */
} fs_buf_t;

/* An inode decoded from its table slot. Times are the 32-bit seconds fields and the "extra"
 * words (nanoseconds << 2 | epoch bits) when the inode is large enough to hold them. */
typedef struct {
	uint32_t ino;
	uint16_t mode;
	uint16_t links;
	uint32_t uid, gid;
	uint64_t size;
	uint32_t atime, ctime, mtime, dtime;
	uint32_t atime_x, ctime_x, mtime_x;
	uint32_t blocks;            /* i_blocks: 512-byte units */
	uint32_t flags;
	uint32_t block[INO_N_BLOCK];
	uint32_t generation;
	uint32_t file_acl;
	uint16_t extra_isize;
	bool fresh;                 /* a new inode: inode_write zeroes its slot first */
} fs_inode_t;

struct nc_fs {
	nc_fs_config_t cfg;
	/* geometry (super.c) */
	uint32_t block_bytes, log_block;   /* log2(block_bytes) */
	uint32_t sectors_per_block;
	uint32_t blocks_count, first_data_block, blocks_per_group, n_groups;
	uint32_t inodes_count, inodes_per_group, inode_bytes, inodes_per_block, itable_blocks;
	uint32_t first_ino, gdt_blocks, reserved_gdt, ptrs_per_block;
	uint32_t r_blocks_count;
	uint32_t compat, incompat, ro_compat;
	uint32_t backup_bgs[2];            /* sparse_super2 */
	uint32_t hash_seed[4];
	uint32_t def_hash;                 /* DX_HASH_* stored in new indexes */
	uint32_t hash_unsigned;            /* 0, or DX_HASH_UNSIGNED_DELTA (s_flags) */
	uint16_t new_extra_isize;          /* i_extra_isize of new inodes */
	uint64_t max_lblk;                 /* logical blocks the indirect tree can map */
	bool read_only;
	nc_fs_err_t failed;                /* sticky: after a device failure nothing more is written */
	/* pinned metadata */
	fs_buf_t *sb_buf;
	uint8_t *sb;                       /* the superblock inside sb_buf */
	fs_buf_t **gdt;                    /* gdt_blocks buffers */
	/* buffer cache (buf.c) */
	fs_buf_t **hash;
	uint32_t hash_mask;
	fs_buf_t *lru_head, *lru_tail;
	uint32_t n_lru;
	/* journal (txn.c, replay.c) */
	uint32_t *jmap;                    /* journal block -> device block, jmap_len entries */
	uint32_t jmap_len;
	uint32_t jmaxlen, jfirst;
	uint32_t jtag_bytes;               /* 8, or 12 with the 64bit feature */
	uint8_t *jsb;                      /* the journal superblock, block_bytes */
	uint32_t jseq;                     /* sequence of the running transaction */
	uint32_t jhead;                    /* where the running transaction will be written */
	uint32_t txn_max;                  /* metadata blocks one transaction may hold */
	/* the running transaction and operation */
	fs_buf_t *txn_head;
	uint32_t txn_count;
	fs_buf_t *op_head;
	bool op_active;
	uint32_t op_credits, op_joined;
	/* allocation hints (alloc.c) */
	uint32_t next_generation;
	uint32_t last_group_dir;
};

/* memory and clock */
void *fs_alloc(nc_fs_t *fs, size_t bytes);
void *fs_zalloc(nc_fs_t *fs, size_t bytes);
void fs_free(nc_fs_t *fs, void *p, size_t bytes);
uint64_t fs_now_ns(nc_fs_t *fs);

/* dev.c: whole blocks of the file system; checks blk + n <= blocks_count and the device size. */
nc_fs_err_t dev_read(nc_fs_t *fs, uint32_t blk, uint32_t n, void *buf);
nc_fs_err_t dev_write(nc_fs_t *fs, uint32_t blk, uint32_t n, const void *buf);
nc_fs_err_t dev_flush(nc_fs_t *fs);

/* buf.c */
nc_fs_err_t buf_cache_init(nc_fs_t *fs);
void buf_cache_fini(nc_fs_t *fs);
nc_fs_err_t buf_get(nc_fs_t *fs, uint32_t blk, fs_buf_t **out);  /* read (cached) and hold */
nc_fs_err_t buf_get_new(nc_fs_t *fs, uint32_t blk, fs_buf_t **out); /* zeroed, held, modified */
void buf_put(nc_fs_t *fs, fs_buf_t *b);                          /* drop a hold */
void buf_settle(nc_fs_t *fs, fs_buf_t *b);  /* onto the LRU if unheld and out of transactions */
void buf_drop_clean(nc_fs_t *fs);                                 /* forget every clean buffer */
void buf_forget(nc_fs_t *fs, fs_buf_t *b);                        /* unhash and free (unheld) */
fs_buf_t *buf_peek(nc_fs_t *fs, uint32_t blk);                    /* cached or NULL; not held */

/* txn.c */
/* Credits: the most buffers one operation may add to the transaction. The largest (a write of
 * WRITE_CHUNK blocks, file.c) stays below NC_FS_TXN_MIN_BLOCKS. */
#define CREDITS_NAMESPACE 64u   /* any directory operation, its inodes and one allocation path */
#define CREDITS_PER_BLOCK 3u    /* one allocated or freed block: bitmap, descriptor, indirect */
#define CREDITS_BASE 16u
nc_fs_err_t op_begin(nc_fs_t *fs, uint32_t credits);
nc_fs_err_t op_end(nc_fs_t *fs, nc_fs_err_t err);
nc_fs_err_t buf_modify(nc_fs_t *fs, fs_buf_t *b);
nc_fs_err_t txn_commit(nc_fs_t *fs);
uint32_t txn_limit(const nc_fs_t *fs);
nc_fs_err_t writable(nc_fs_t *fs);
nc_fs_err_t journal_open(nc_fs_t *fs);
void journal_close(nc_fs_t *fs);
nc_fs_err_t journal_mark_clean(nc_fs_t *fs);
nc_fs_err_t journal_set_start(nc_fs_t *fs, uint32_t start, uint32_t seq); /* written, flushed */

/* replay.c */
nc_fs_err_t journal_needs_replay(nc_fs_t *fs, bool *needs);
nc_fs_err_t journal_replay(nc_fs_t *fs);

/* super.c */
nc_fs_err_t super_load(nc_fs_t *fs);
void super_unload(nc_fs_t *fs);
uint8_t *gd_ptr(nc_fs_t *fs, uint32_t group);
fs_buf_t *gd_buf(nc_fs_t *fs, uint32_t group);
uint32_t group_first_block(nc_fs_t *fs, uint32_t group);
uint32_t group_n_blocks(nc_fs_t *fs, uint32_t group);
bool block_is_data(nc_fs_t *fs, uint32_t blk);
nc_fs_err_t super_write_direct(nc_fs_t *fs);
nc_fs_err_t super_add_free(nc_fs_t *fs, int32_t blocks, int32_t inodes);

/* alloc.c */
nc_fs_err_t block_alloc(nc_fs_t *fs, uint32_t goal, uint32_t *out);
nc_fs_err_t block_free(nc_fs_t *fs, uint32_t blk);
nc_fs_err_t inode_alloc(nc_fs_t *fs, uint32_t parent_ino, bool is_dir, uint32_t *out);
nc_fs_err_t inode_free(nc_fs_t *fs, uint32_t ino, bool is_dir);

/* inode.c */
nc_fs_err_t inode_read(nc_fs_t *fs, uint32_t ino, fs_inode_t *out);
nc_fs_err_t inode_get(nc_fs_t *fs, nc_fs_node_t node, fs_inode_t *out); /* STALE check */
nc_fs_err_t inode_write(nc_fs_t *fs, const fs_inode_t *in);
void inode_init_new(nc_fs_t *fs, fs_inode_t *in, uint32_t ino, uint16_t mode);
void inode_touch(nc_fs_t *fs, fs_inode_t *in, bool data);
bool inode_has_blocks(nc_fs_t *fs, const fs_inode_t *in);   /* i_block[] holds block numbers */
nc_fs_type_t inode_type(const fs_inode_t *in);
uint8_t inode_ftype(const fs_inode_t *in);
nc_fs_node_t inode_node(const fs_inode_t *in);
void inode_stat(const fs_inode_t *in, nc_fs_stat_t *out);
void inode_set_time(fs_inode_t *in, bool atime, uint64_t ns);

/* bmap.c */
nc_fs_err_t bmap_get(nc_fs_t *fs, const fs_inode_t *in, uint64_t lblk, uint32_t *pblk);
/* The run at lblk: *n (1..max) blocks contiguous on the disk from *pblk, or a hole of *n blocks
 * when *pblk is 0. */
nc_fs_err_t bmap_get_run(nc_fs_t *fs, const fs_inode_t *in, uint64_t lblk, uint32_t max,
			 uint32_t *pblk, uint32_t *n);
nc_fs_err_t bmap_alloc(nc_fs_t *fs, fs_inode_t *in, uint64_t lblk, uint32_t goal, uint32_t *pblk,
		       bool *fresh);
nc_fs_err_t bmap_free_from(nc_fs_t *fs, fs_inode_t *in, uint64_t first_lblk, uint32_t *budget);
uint32_t bmap_goal(nc_fs_t *fs, const fs_inode_t *in, uint64_t lblk);

/* shrink.c */
nc_fs_err_t shrink_inode(nc_fs_t *fs, uint32_t ino);     /* free past i_size; inode if unlinked */
nc_fs_err_t orphan_add(nc_fs_t *fs, fs_inode_t *in);
nc_fs_err_t orphan_recover(nc_fs_t *fs);
nc_fs_err_t drop_link(nc_fs_t *fs, fs_inode_t *in, bool *release);

/* dir.c */
typedef struct {
	uint32_t ino;
	uint8_t ftype;
	uint32_t name_len;
	const uint8_t *name;        /* points into a buffer */
	uint32_t rec_len;
} dir_entry_t;
nc_fs_err_t dir_entry_at(nc_fs_t *fs, const uint8_t *blk, uint32_t off, dir_entry_t *out);
nc_fs_err_t dir_lookup(nc_fs_t *fs, const fs_inode_t *dir, const char *name, uint32_t len,
		       uint32_t *ino);
nc_fs_err_t dir_add(nc_fs_t *fs, fs_inode_t *dir, const char *name, uint32_t len, uint32_t ino,
		    uint8_t ftype);
nc_fs_err_t dir_remove(nc_fs_t *fs, fs_inode_t *dir, const char *name, uint32_t len);
nc_fs_err_t dir_set_entry(nc_fs_t *fs, fs_inode_t *dir, const char *name, uint32_t len,
			  uint32_t ino, uint8_t ftype);
nc_fs_err_t dir_is_empty(nc_fs_t *fs, const fs_inode_t *dir, bool *empty);
nc_fs_err_t dir_init(nc_fs_t *fs, fs_inode_t *dir, uint32_t parent_ino);
nc_fs_err_t dir_set_dotdot(nc_fs_t *fs, fs_inode_t *dir, uint32_t parent_ino);
nc_fs_err_t dir_read_block(nc_fs_t *fs, const fs_inode_t *dir, uint32_t lblk, fs_buf_t **out);
nc_fs_err_t dir_append_block(nc_fs_t *fs, fs_inode_t *dir, uint32_t *lblk, fs_buf_t **out);
bool dir_block_room(nc_fs_t *fs, const uint8_t *blk, uint32_t len);
bool dir_block_insert(nc_fs_t *fs, uint8_t *blk, const char *name, uint32_t len, uint32_t ino,
		      uint8_t ftype);
nc_fs_err_t dir_block_find(nc_fs_t *fs, const uint8_t *blk, const char *name, uint32_t len,
			   uint32_t *off, uint32_t *prev_off, bool *found);
void dir_block_delete(nc_fs_t *fs, uint8_t *blk, uint32_t off, uint32_t prev_off);
void dir_put_entry(nc_fs_t *fs, uint8_t *p, uint32_t ino, uint32_t rec_len, const char *name,
		   uint32_t len, uint8_t ftype);
nc_fs_err_t dir_check_block(nc_fs_t *fs, const uint8_t *blk);

/* hash.c */
void dx_hash(const nc_fs_t *fs, const char *name, uint32_t len, uint32_t *hash, uint32_t *minor);
void dx_hash_with(uint32_t version, const uint32_t seed[4], const char *name, uint32_t len,
		  uint32_t *hash, uint32_t *minor);

/* htree.c. dx_lookup returns NC_FS_ERR_BAD_DIR when the index is unusable (the caller then
 * searches linearly, as Linux does); dx_add sets *unusable in that case, before changing
 * anything (the caller then drops the index flag and adds linearly); dx_make_indexed turns a
 * one-block directory into an indexed one (BAD_DIR, unchanged, when block 0 does not start with
 * "." and ".."). */
nc_fs_err_t dx_lookup(nc_fs_t *fs, const fs_inode_t *dir, const char *name, uint32_t len,
		      uint32_t *ino, uint32_t *lblk);
nc_fs_err_t dx_add(nc_fs_t *fs, fs_inode_t *dir, const char *name, uint32_t len, uint32_t ino,
		   uint8_t ftype, bool *unusable);
nc_fs_err_t dx_make_indexed(nc_fs_t *fs, fs_inode_t *dir);

/* namei.c */
typedef struct {
	fs_inode_t parent;          /* the directory holding the last component */
	const char *name;           /* the last component, inside the caller's path */
	uint32_t name_len;
	bool found;
	uint32_t ino;               /* when found */
} walk_t;
nc_fs_err_t walk_parent(nc_fs_t *fs, const char *path, size_t len, walk_t *out);
nc_fs_err_t walk_path(nc_fs_t *fs, const char *path, size_t len, fs_inode_t *out);
/* The inode that name (one component) names in dir; NOT_DIR when dir is none. */
nc_fs_err_t walk_step(nc_fs_t *fs, const fs_inode_t *dir, const char *name, size_t len, fs_inode_t *out);

#endif
