/* The ext2 block map: i_block[0..11] point at the first data blocks, i_block[12], [13] and [14]
 * at single, double and triple indirect blocks of block_bytes/4 pointers each. A zero pointer is
 * a hole (reads as zeros). Every pointer read from an indirect block is checked with
 * block_is_data before it is followed; i_blocks counts data and indirect blocks in 512-byte units.
 *
 * bmap_free_from frees every block at or past a logical block in a bounded number of steps
 * (*budget): blocks are freed from the end backwards and each freed block's pointer is cleared
 * in the same operation, so the tree is valid whenever the budget runs out. */
#include "fs_int.h"

typedef struct {
	uint32_t depth;             /* indirect levels below i_block[slot]: 0..3 */
	uint32_t slot;              /* index into i_block */
	uint32_t idx[3];            /* index into the indirect block at each level */
} path_t;

static bool make_path(const nc_fs_t *fs, uint64_t lblk, path_t *p)
{
	uint64_t n = fs->ptrs_per_block;
	if (lblk < INO_N_DIRECT) {
		*p = (path_t){ .depth = 0, .slot = (uint32_t)lblk };
		return true;
	}
	lblk -= INO_N_DIRECT;
	if (lblk < n) {
		*p = (path_t){ .depth = 1, .slot = INO_IND, .idx = { (uint32_t)lblk } };
		return true;
	}
	lblk -= n;
	if (lblk < n * n) {
		*p = (path_t){ .depth = 2, .slot = INO_DIND, .idx = { (uint32_t)(lblk / n), (uint32_t)(lblk % n) } };
		return true;
	}
	lblk -= n * n;
	if (lblk < n * n * n) {
		*p = (path_t){ .depth = 3, .slot = INO_TIND,
			       .idx = { (uint32_t)(lblk / (n * n)), (uint32_t)(lblk / n % n), (uint32_t)(lblk % n) } };
		return true;
	}
	return false;
}

static nc_fs_err_t read_ptr(nc_fs_t *fs, uint32_t blk, uint32_t idx, uint32_t *out)
{
	fs_buf_t *b;
	nc_fs_err_t err = buf_get(fs, blk, &b);
	if (err)
		return err;
	*out = get_le32(b->data + 4u * idx);
	buf_put(fs, b);
	return *out && !block_is_data(fs, *out) ? NC_FS_ERR_BAD_BLOCK : NC_FS_OK;
}

nc_fs_err_t bmap_get(nc_fs_t *fs, const fs_inode_t *in, uint64_t lblk, uint32_t *pblk)
{
	path_t p;
	*pblk = 0;
	if (!make_path(fs, lblk, &p))
		return NC_FS_OK;
	uint32_t b = in->block[p.slot];
	for (uint32_t l = 0; l < p.depth && b; l++) {
		nc_fs_err_t err = read_ptr(fs, b, p.idx[l], &b);
		if (err)
			return err;
	}
	*pblk = b;
	return NC_FS_OK;
}

/* Blocks from the path's position to the end of the subtree a missing pointer at level l (0:
 * the i_block slot) would have mapped: the length of the hole. */
static uint64_t hole_len(const nc_fs_t *fs, const path_t *p, uint32_t l)
{
	uint64_t span = 1, pos = 0;
	for (uint32_t k = p->depth; k-- > l;) {
		pos += p->idx[k] * span;
		span *= fs->ptrs_per_block;
	}
	return span - pos;
}

nc_fs_err_t bmap_get_run(nc_fs_t *fs, const fs_inode_t *in, uint64_t lblk, uint32_t max,
			 uint32_t *pblk, uint32_t *n)
{
	path_t p;
	*pblk = 0;
	*n = 1;
	if (!make_path(fs, lblk, &p))
		return NC_FS_OK;
	uint32_t b = in->block[p.slot], at = p.slot, end = INO_N_DIRECT;
	fs_buf_t *leaf = NULL;
	if (p.depth) {
		for (uint32_t l = 0; l + 1u < p.depth && b; l++) {
			nc_fs_err_t err = read_ptr(fs, b, p.idx[l], &b);
			if (err)
				return err;
			if (!b) {
				uint64_t h = hole_len(fs, &p, l + 1u);
				*n = h < max ? (uint32_t)h : max;
				return NC_FS_OK;
			}
		}
		if (!b) {
			uint64_t h = hole_len(fs, &p, 0);
			*n = h < max ? (uint32_t)h : max;
			return NC_FS_OK;
		}
		nc_fs_err_t err = buf_get(fs, b, &leaf);
		if (err)
			return err;
		at = p.idx[p.depth - 1u];
		end = fs->ptrs_per_block;
	}
	nc_fs_err_t err = NC_FS_OK;
	uint32_t first = leaf ? get_le32(leaf->data + 4u * at) : in->block[at], k = 1;
	if (first && !block_is_data(fs, first))
		err = NC_FS_ERR_BAD_BLOCK;
	while (!err && k < max && at + k < end) {
		uint32_t e = leaf ? get_le32(leaf->data + 4u * (at + k)) : in->block[at + k];
		if (first ? e != first + k || !block_is_data(fs, e) : e != 0)
			break;
		k++;
	}
	buf_put(fs, leaf);
	*pblk = first;
	*n = k;
	return err;
}

uint32_t bmap_goal(nc_fs_t *fs, const fs_inode_t *in, uint64_t lblk)
{
	uint32_t prev = 0;
	if (lblk > 0 && bmap_get(fs, in, lblk - 1u, &prev) == NC_FS_OK && prev)
		return prev + 1u;
	uint32_t g = (in->ino - 1u) / fs->inodes_per_group;
	return get_le32(gd_ptr(fs, g) + GD_INODE_TABLE) + fs->itable_blocks;
}

static nc_fs_err_t charge(nc_fs_t *fs, fs_inode_t *in, int32_t n_blocks)
{
	int64_t v = (int64_t)in->blocks + (int64_t)n_blocks * (int32_t)(fs->block_bytes / 512u);
	if (v > (int64_t)UINT32_MAX)
		return NC_FS_ERR_TOO_BIG;
	if (v < 0)
		return NC_FS_ERR_BAD_INODE;
	in->blocks = (uint32_t)v;
	return NC_FS_OK;
}

/* Allocate one block near *goal for in: an indirect block (zeroed, in the transaction) unless
 * data is set. */
static nc_fs_err_t new_block(nc_fs_t *fs, fs_inode_t *in, uint32_t *goal, bool data, uint32_t *out)
{
	nc_fs_err_t err = charge(fs, in, 1);
	if (!err)
		err = block_alloc(fs, *goal, out);
	if (err)
		return err;
	*goal = *out + 1u;
	if (data)
		return NC_FS_OK;
	fs_buf_t *b;
	err = buf_get_new(fs, *out, &b);
	buf_put(fs, err ? NULL : b);
	return err;
}

nc_fs_err_t bmap_alloc(nc_fs_t *fs, fs_inode_t *in, uint64_t lblk, uint32_t goal, uint32_t *pblk,
		       bool *fresh)
{
	path_t p;
	*fresh = false;
	if (!make_path(fs, lblk, &p))
		return NC_FS_ERR_TOO_BIG;
	nc_fs_err_t err;
	if (!in->block[p.slot]) {
		err = new_block(fs, in, &goal, p.depth == 0, &in->block[p.slot]);
		if (err)
			return err;
		*fresh = p.depth == 0;
	}
	uint32_t b = in->block[p.slot];
	for (uint32_t l = 0; l < p.depth; l++) {
		fs_buf_t *ind;
		err = buf_get(fs, b, &ind);
		if (err)
			return err;
		uint32_t next = get_le32(ind->data + 4u * p.idx[l]);
		if (next && !block_is_data(fs, next))
			err = NC_FS_ERR_BAD_BLOCK;
		if (!err && !next) {
			bool leaf = l + 1u == p.depth;
			err = buf_modify(fs, ind);
			if (!err)
				err = new_block(fs, in, &goal, leaf, &next);
			if (!err)
				put_le32(ind->data + 4u * p.idx[l], next);
			*fresh = leaf;
		}
		buf_put(fs, ind);
		if (err)
			return err;
		b = next;
	}
	*pblk = b;
	return NC_FS_OK;
}

typedef struct {
	nc_fs_t *fs;
	fs_inode_t *in;
	uint64_t first;             /* free blocks at logical index >= first */
	uint32_t budget;            /* blocks still to free in this step */
} free_ctx_t;

static nc_fs_err_t free_one(free_ctx_t *c, uint32_t blk)
{
	nc_fs_err_t err = block_free(c->fs, blk);
	if (!err)
		err = charge(c->fs, c->in, -1);
	if (c->budget)
		c->budget--;
	return err;
}

static uint64_t span_of(const nc_fs_t *fs, uint32_t depth)
{
	uint64_t s = 1;
	while (depth--)
		s *= fs->ptrs_per_block;
	return s;
}

/* Free what lies at or past c->first below blk, an indirect block of the given depth mapping
 * logical blocks from base. *whole: blk itself was freed (its parent must clear the pointer). */
static nc_fs_err_t free_tree(free_ctx_t *c, uint32_t blk, uint32_t depth, uint64_t base, bool *whole)
{
	nc_fs_t *fs = c->fs;
	uint64_t child_span = span_of(fs, depth - 1u);
	fs_buf_t *ind;
	nc_fs_err_t err = buf_get(fs, blk, &ind);
	if (err)
		return err;
	uint32_t lo = fs->ptrs_per_block; /* entries [lo, end) are freed or were holes */
	bool partial = false;
	for (uint32_t i = fs->ptrs_per_block; i-- > 0;) {
		uint64_t child_base = base + i * child_span;
		if (child_base + child_span <= c->first)
			break;
		if (c->budget == 0) {
			partial = true;
			break;
		}
		uint32_t e = get_le32(ind->data + 4u * i);
		bool child_whole = true;
		if (e && !block_is_data(fs, e))
			err = NC_FS_ERR_BAD_BLOCK;
		else if (e && depth == 1u)
			err = free_one(c, e);
		else if (e)
			err = free_tree(c, e, depth - 1u, child_base, &child_whole);
		if (err || !child_whole) {
			partial = true;
			break;
		}
		lo = i;
	}
	*whole = !err && !partial && lo == 0;
	if (!err && !*whole && lo < fs->ptrs_per_block) {
		err = buf_modify(fs, ind);
		if (!err)
			nc_mem_set(ind->data + 4u * lo, 0, 4u * (fs->ptrs_per_block - lo));
	}
	buf_put(fs, ind);
	if (!err && *whole)
		err = free_one(c, blk);
	return err;
}

nc_fs_err_t bmap_free_from(nc_fs_t *fs, fs_inode_t *in, uint64_t first_lblk, uint32_t *budget)
{
	free_ctx_t c = { .fs = fs, .in = in, .first = first_lblk, .budget = *budget };
	uint64_t n = fs->ptrs_per_block;
	const uint64_t base[INO_N_BLOCK - INO_N_DIRECT] = { INO_N_DIRECT, INO_N_DIRECT + n,
							   INO_N_DIRECT + n + n * n };
	nc_fs_err_t err = NC_FS_OK;
	for (uint32_t s = INO_N_BLOCK; s-- > 0 && c.budget && !err;) {
		uint32_t b = in->block[s];
		if (!b)
			continue;
		if (s < INO_N_DIRECT) {
			if (s < first_lblk)
				break;
			err = free_one(&c, b);
			if (!err)
				in->block[s] = 0;
			continue;
		}
		uint32_t depth = s - INO_N_DIRECT + 1u;
		if (base[s - INO_N_DIRECT] + span_of(fs, depth) <= first_lblk)
			break;
		bool whole;
		err = free_tree(&c, b, depth, base[s - INO_N_DIRECT], &whole);
		if (!err && whole)
			in->block[s] = 0;
	}
	*budget = c.budget;
	return err;
}
