/* Indexed directories (dir_index, "htree"), read and kept valid the way Linux's ext3/ext4
 * namei.c does: block 0 is the root ("." and ".." entries, then dx_root_info and the root's
 * {hash, block} entries), optionally one level of interior nodes, and leaf blocks of ordinary
 * entries. Entry i of an index covers the names whose hash is >= its hash (entry 0: from 0) and
 * below entry i+1's; a leaf split between equal hashes marks the new block's hash with the low
 * bit (continuation), and lookups then go on into the next leaf.
 *
 * dx_add: probe to the leaf; insert if it has room; otherwise make room in the index (a second
 * level when the root is full, or split the full interior node), split the leaf by size after
 * sorting its entries by hash, and insert into the half the hash belongs to. Index and leaf
 * blocks are appended at the directory's end. A full two-level index gives NO_SPACE, as Linux. */
#include "fs_int.h"

typedef struct {
	fs_buf_t *b;
	uint32_t lblk;
	uint32_t off;               /* the {limit, count} header inside b->data */
	uint32_t count, limit;
	uint32_t at;                /* the entry followed */
} frame_t;

typedef struct {
	frame_t f[DX_MAX_LEVELS];
	uint32_t levels;            /* frames in use: 1 + indirect levels */
	uint32_t version;           /* DX_HASH_* of this directory, unsigned variant applied */
	uint32_t hash, minor;
	uint32_t nblocks;
} probe_t;

static uint8_t *ent(const frame_t *f, uint32_t i)
{
	return f->b->data + f->off + DX_ENTRY_BYTES * i;
}

static uint32_t ent_hash(const frame_t *f, uint32_t i) { return i ? get_le32(ent(f, i)) : 0u; }
static uint32_t ent_block(const frame_t *f, uint32_t i) { return get_le32(ent(f, i) + 4); }

static uint32_t root_limit(const nc_fs_t *fs)
{
	return (fs->block_bytes - DX_ROOT_ENTRIES) / DX_ENTRY_BYTES;
}

static uint32_t node_limit(const nc_fs_t *fs)
{
	return (fs->block_bytes - DX_NODE_ENTRIES) / DX_ENTRY_BYTES;
}

static void set_count(frame_t *f, uint32_t count)
{
	f->count = count;
	put_le16(f->b->data + f->off + 2, (uint16_t)count);
}

static void release(nc_fs_t *fs, probe_t *p)
{
	for (uint32_t i = 0; i < p->levels; i++)
		buf_put(fs, p->f[i].b);
	p->levels = 0;
}

static bool is_name(const dir_entry_t *e, const char *name, uint32_t len)
{
	return e->name_len == len && nc_mem_compare(e->name, name, len) == 0;
}

/* Read index block lblk: the root (block 0) or an interior node. */
static nc_fs_err_t read_frame(nc_fs_t *fs, const fs_inode_t *dir, uint32_t lblk, frame_t *f)
{
	nc_fs_err_t err = dir_read_block(fs, dir, lblk, &f->b);
	if (err)
		return err;
	dir_entry_t e0, e1;
	uint32_t limit;
	dir_entry_at(fs, f->b->data, 0, &e0);
	if (lblk == 0) {
		bool ok = e0.rec_len == DE_REC_LEN_FOR(1) && is_name(&e0, ".", 1) &&
			  dir_entry_at(fs, f->b->data, e0.rec_len, &e1) == NC_FS_OK && is_name(&e1, "..", 2) &&
			  e1.rec_len == fs->block_bytes - DE_REC_LEN_FOR(1);
		err = ok ? NC_FS_OK : NC_FS_ERR_BAD_DIR;
		f->off = DX_ROOT_ENTRIES;
		limit = root_limit(fs);
	} else {
		err = e0.ino == 0 && e0.rec_len == fs->block_bytes ? NC_FS_OK : NC_FS_ERR_BAD_DIR;
		f->off = DX_NODE_ENTRIES;
		limit = node_limit(fs);
	}
	f->lblk = lblk;
	f->limit = get_le16(f->b->data + f->off);
	f->count = get_le16(f->b->data + f->off + 2);
	f->at = 0;
	if (!err && (f->limit != limit || f->count == 0 || f->count > f->limit))
		err = NC_FS_ERR_BAD_DIR;
	if (err)
		buf_put(fs, f->b);
	return err;
}

/* Last entry of f whose hash is <= hash (binary search, as dx_probe). */
static uint32_t search(const frame_t *f, uint32_t hash)
{
	uint32_t lo = 1, hi = f->count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2u;
		if (ent_hash(f, mid) > hash)
			hi = mid;
		else
			lo = mid + 1u;
	}
	return lo - 1u;
}

static nc_fs_err_t child_of(const probe_t *p, const frame_t *f, uint32_t *out)
{
	*out = ent_block(f, f->at);
	return *out == 0 || *out >= p->nblocks ? NC_FS_ERR_BAD_DIR : NC_FS_OK;
}

static nc_fs_err_t probe(nc_fs_t *fs, const fs_inode_t *dir, const char *name, uint32_t len,
			 probe_t *p)
{
	p->levels = 0;
	p->nblocks = (uint32_t)(dir->size >> fs->log_block);
	nc_fs_err_t err = read_frame(fs, dir, 0, &p->f[0]);
	if (err)
		return err;
	p->levels = 1;
	const uint8_t *info = p->f[0].b->data + DX_ROOT_INFO;
	uint32_t version = info[DX_INFO_HASH_VERSION], depth = info[DX_INFO_LEVELS];
	if (get_le32(info + DX_INFO_RESERVED) || version > DX_HASH_TEA ||
	    info[DX_INFO_LENGTH] != DX_INFO_BYTES || depth >= DX_MAX_LEVELS) {
		release(fs, p);
		return NC_FS_ERR_BAD_DIR;
	}
	p->version = version + fs->hash_unsigned;
	dx_hash_with(p->version, fs->hash_seed, name, len, &p->hash, &p->minor);
	for (uint32_t l = 0;; l++) {
		frame_t *f = &p->f[l];
		f->at = search(f, p->hash);
		if (l == depth)
			return NC_FS_OK;
		uint32_t child;
		err = child_of(p, f, &child);
		if (!err)
			err = read_frame(fs, dir, child, &p->f[l + 1u]);
		if (err) {
			release(fs, p);
			return err;
		}
		p->levels++;
	}
}

/* Move to the next leaf; false when the next one cannot hold the hash (htree_next_block). */
static nc_fs_err_t next_leaf(nc_fs_t *fs, const fs_inode_t *dir, probe_t *p, bool *more)
{
	uint32_t l = p->levels;
	*more = false;
	while (l-- > 0 && p->f[l].at + 1u >= p->f[l].count)
		;
	if (l >= p->levels)
		return NC_FS_OK;
	frame_t *f = &p->f[l];
	f->at++;
	if ((ent_hash(f, f->at) & ~1u) != p->hash)
		return NC_FS_OK;
	uint32_t depth = p->levels;
	while (p->levels > l + 1u)
		buf_put(fs, p->f[--p->levels].b);
	while (p->levels < depth) {
		uint32_t child;
		nc_fs_err_t err = child_of(p, &p->f[p->levels - 1u], &child);
		if (!err)
			err = read_frame(fs, dir, child, &p->f[p->levels]);
		if (err)
			return err;
		p->levels++;
	}
	*more = true;
	return NC_FS_OK;
}

nc_fs_err_t dx_lookup(nc_fs_t *fs, const fs_inode_t *dir, const char *name, uint32_t len,
		      uint32_t *ino, uint32_t *lblk)
{
	probe_t p;
	nc_fs_err_t err = probe(fs, dir, name, len, &p);
	if (err)
		return err;
	err = NC_FS_ERR_NOT_FOUND;
	bool more = true;
	for (uint32_t n = 0; n < p.nblocks && more; n++) {
		uint32_t leaf, off, prev;
		fs_buf_t *b;
		bool found = false;
		err = child_of(&p, &p.f[p.levels - 1u], &leaf);
		if (!err)
			err = dir_read_block(fs, dir, leaf, &b);
		if (err)
			break;
		err = dir_block_find(fs, b->data, name, len, &off, &prev, &found);
		if (found) {
			*ino = get_le32(b->data + off + DE_INODE);
			*lblk = leaf;
		}
		buf_put(fs, b);
		if (err || found)
			break;
		err = next_leaf(fs, dir, &p, &more);
		if (!err)
			err = NC_FS_ERR_NOT_FOUND;
	}
	release(fs, &p);
	return err;
}

/* Insert {hash, block} after f->at (the frame has room). */
static nc_fs_err_t insert_entry(nc_fs_t *fs, frame_t *f, uint32_t hash, uint32_t block)
{
	nc_fs_err_t err = buf_modify(fs, f->b);
	if (err)
		return err;
	uint8_t *at = ent(f, f->at + 1u);
	nc_mem_move(at + DX_ENTRY_BYTES, at, DX_ENTRY_BYTES * (f->count - f->at - 1u));
	put_le32(at, hash);
	put_le32(at + 4, block);
	set_count(f, f->count + 1u);
	return NC_FS_OK;
}

/* A new interior node appended to the directory, holding entries [from, to) of src. */
static nc_fs_err_t new_node(nc_fs_t *fs, fs_inode_t *dir, const frame_t *src, uint32_t from,
			    uint32_t to, frame_t *out)
{
	nc_fs_err_t err = dir_append_block(fs, dir, &out->lblk, &out->b);
	if (err)
		return err;
	out->off = DX_NODE_ENTRIES;
	nc_mem_copy(ent(out, 0), ent(src, from), DX_ENTRY_BYTES * (to - from));
	out->limit = node_limit(fs);
	put_le16(out->b->data + out->off, (uint16_t)out->limit);
	set_count(out, to - from);
	out->at = 0;
	return NC_FS_OK;
}

/* The root is full and alone: its entries move to a new node below it. */
static nc_fs_err_t add_level(nc_fs_t *fs, fs_inode_t *dir, probe_t *p)
{
	frame_t *root = &p->f[0], node;
	nc_fs_err_t err = buf_modify(fs, root->b);
	if (!err)
		err = new_node(fs, dir, root, 0, root->count, &node);
	if (err)
		return err;
	node.at = root->at;
	put_le32(ent(root, 0) + 4, node.lblk);
	set_count(root, 1);
	root->at = 0;
	root->b->data[DX_ROOT_INFO + DX_INFO_LEVELS] = 1;
	p->f[1] = node;
	p->levels = 2;
	return NC_FS_OK;
}

/* The interior node is full: its upper half moves to a new node the root points at. */
static nc_fs_err_t split_node(nc_fs_t *fs, fs_inode_t *dir, probe_t *p)
{
	frame_t *root = &p->f[0], *node = &p->f[1], upper;
	uint32_t half = node->count / 2u;
	uint32_t sep = ent_hash(node, half);
	nc_fs_err_t err = buf_modify(fs, node->b);
	if (!err)
		err = new_node(fs, dir, node, half, node->count, &upper);
	if (err)
		return err;
	err = insert_entry(fs, root, sep, upper.lblk);
	if (err) {
		buf_put(fs, upper.b);
		return err;
	}
	set_count(node, half);
	if (node->at >= half) {
		upper.at = node->at - half;
		buf_put(fs, node->b);
		*node = upper;
		root->at++;
	} else {
		buf_put(fs, upper.b);
	}
	return NC_FS_OK;
}

typedef struct {
	uint32_t hash;
	uint16_t off;
	uint16_t size;
} map_t;

/* Write entries map[0..n) of src into dst, packed, the last one reaching the block's end. */
static void pack(nc_fs_t *fs, uint8_t *dst, const uint8_t *src, const map_t *map, uint32_t n)
{
	uint32_t o = 0;
	nc_mem_set(dst, 0, fs->block_bytes);
	put_le16(dst + DE_REC_LEN, (uint16_t)fs->block_bytes);
	for (uint32_t i = 0; i < n; i++) {
		nc_mem_copy(dst + o, src + map[i].off, map[i].size);
		uint32_t rec = i + 1u == n ? fs->block_bytes - o : map[i].size;
		put_le16(dst + o + DE_REC_LEN, (uint16_t)rec);
		o += map[i].size;
	}
}

/* The live entries of blk (skipping "." and ".." when skip_dots), hashed and sorted by hash. */
static uint32_t collect(nc_fs_t *fs, const uint8_t *blk, uint32_t version, bool skip_dots, map_t *map)
{
	uint32_t n = 0;
	dir_entry_t e;
	for (uint32_t o = 0; o < fs->block_bytes; o += e.rec_len) {
		dir_entry_at(fs, blk, o, &e);
		if (!e.ino || (skip_dots && (is_name(&e, ".", 1) || is_name(&e, "..", 2))))
			continue;
		uint32_t minor;
		map[n].off = (uint16_t)o;
		map[n].size = (uint16_t)DE_REC_LEN_FOR(e.name_len);
		dx_hash_with(version, fs->hash_seed, (const char *)e.name, e.name_len, &map[n].hash, &minor);
		uint32_t i = n++;
		while (i > 0 && map[i - 1u].hash > map[i].hash) {
			map_t t = map[i - 1u];
			map[i - 1u] = map[i];
			map[i] = t;
			i--;
		}
	}
	return n;
}

/* Split the full leaf lb by size; *into is the leaf the hash now belongs to (held). */
static nc_fs_err_t split_leaf(nc_fs_t *fs, fs_inode_t *dir, probe_t *p, fs_buf_t *lb, fs_buf_t **into,
			      map_t *map, uint8_t *tmp)
{
	uint32_t n = collect(fs, lb->data, p->version, false, map), moved = 0, size = 0;
	if (n < 2u)
		return NC_FS_ERR_NO_SPACE;
	while (moved < n - 1u) {
		uint32_t s = map[n - 1u - moved].size;
		if (size + s / 2u > fs->block_bytes / 2u)
			break;
		size += s;
		moved++;
	}
	if (moved == 0)
		return NC_FS_ERR_NO_SPACE;
	uint32_t split = n - moved;
	uint32_t hash2 = map[split].hash, continued = hash2 == map[split - 1u].hash ? 1u : 0u;
	fs_buf_t *nb;
	uint32_t nlblk;
	nc_fs_err_t err = dir_append_block(fs, dir, &nlblk, &nb);
	if (!err)
		err = buf_modify(fs, lb);
	if (!err)
		err = insert_entry(fs, &p->f[p->levels - 1u], hash2 | continued, nlblk);
	if (err) {
		buf_put(fs, nb);
		return err;
	}
	pack(fs, nb->data, lb->data, map + split, moved);
	pack(fs, tmp, lb->data, map, split);
	nc_mem_copy(lb->data, tmp, fs->block_bytes);
	if (p->hash >= hash2) {
		*into = nb;
	} else {
		*into = lb;
		lb->refs++;
		buf_put(fs, nb);
	}
	return NC_FS_OK;
}

/* Make room for one more entry in the deepest index block. */
static nc_fs_err_t room_in_index(nc_fs_t *fs, fs_inode_t *dir, probe_t *p)
{
	frame_t *deep = &p->f[p->levels - 1u];
	if (deep->count < deep->limit)
		return NC_FS_OK;
	if (p->levels == 1u)
		return add_level(fs, dir, p);
	if (p->f[0].count >= p->f[0].limit)
		return NC_FS_ERR_NO_SPACE; /* the index is full */
	return split_node(fs, dir, p);
}

static nc_fs_err_t add_once(nc_fs_t *fs, fs_inode_t *dir, probe_t *p, const char *name, uint32_t len,
			    uint32_t ino, uint8_t ftype, bool *done, map_t *map, uint8_t *tmp)
{
	uint32_t leaf;
	fs_buf_t *lb, *into = NULL;
	nc_fs_err_t err = child_of(p, &p->f[p->levels - 1u], &leaf);
	if (!err)
		err = dir_read_block(fs, dir, leaf, &lb);
	if (err)
		return err;
	*done = dir_block_room(fs, lb->data, len);
	if (*done) {
		err = buf_modify(fs, lb);
		if (!err)
			dir_block_insert(fs, lb->data, name, len, ino, ftype);
		buf_put(fs, lb);
		return err;
	}
	err = room_in_index(fs, dir, p);
	if (!err)
		err = split_leaf(fs, dir, p, lb, &into, map, tmp);
	buf_put(fs, lb);
	if (err)
		return err;
	*done = dir_block_room(fs, into->data, len);
	if (*done)
		dir_block_insert(fs, into->data, name, len, ino, ftype);
	buf_put(fs, into);
	return NC_FS_OK;
}

nc_fs_err_t dx_add(nc_fs_t *fs, fs_inode_t *dir, const char *name, uint32_t len, uint32_t ino,
		   uint8_t ftype, bool *unusable)
{
	uint32_t max = fs->block_bytes / DE_REC_LEN_FOR(1);
	map_t *map = fs_alloc(fs, max * sizeof(map_t));
	uint8_t *tmp = fs_alloc(fs, fs->block_bytes);
	nc_fs_err_t err = map && tmp ? NC_FS_OK : NC_FS_ERR_NOMEM;
	bool done = false;
	*unusable = false;
	for (uint32_t attempt = 0; !err && !done && attempt < 3u; attempt++) {
		probe_t p;
		err = probe(fs, dir, name, len, &p);
		if (err) {
			*unusable = attempt == 0 && err == NC_FS_ERR_BAD_DIR;
			break;
		}
		err = add_once(fs, dir, &p, name, len, ino, ftype, &done, map, tmp);
		release(fs, &p);
	}
	fs_free(fs, map, max * sizeof(map_t));
	fs_free(fs, tmp, fs->block_bytes);
	return err ? err : done ? NC_FS_OK : NC_FS_ERR_NO_SPACE;
}

nc_fs_err_t dx_make_indexed(nc_fs_t *fs, fs_inode_t *dir)
{
	fs_buf_t *root, *leaf;
	nc_fs_err_t err = dir_read_block(fs, dir, 0, &root);
	if (err)
		return err;
	dir_entry_t dot, dotdot;
	dir_entry_at(fs, root->data, 0, &dot);
	if (!is_name(&dot, ".", 1) || dot.rec_len >= fs->block_bytes ||
	    dir_entry_at(fs, root->data, dot.rec_len, &dotdot) || !is_name(&dotdot, "..", 2)) {
		buf_put(fs, root);
		return NC_FS_ERR_BAD_DIR;
	}
	uint32_t max = fs->block_bytes / DE_REC_LEN_FOR(1), lblk;
	map_t *map = fs_alloc(fs, max * sizeof(map_t));
	err = map ? buf_modify(fs, root) : NC_FS_ERR_NOMEM;
	if (!err)
		err = dir_append_block(fs, dir, &lblk, &leaf);
	if (!err) {
		uint32_t n = collect(fs, root->data, fs->def_hash + fs->hash_unsigned, true, map);
		pack(fs, leaf->data, root->data, map, n);
		buf_put(fs, leaf);
		uint32_t parent = dotdot.ino;
		uint8_t *d = root->data;
		nc_mem_set(d, 0, fs->block_bytes);
		dir_put_entry(fs, d, dir->ino, DE_REC_LEN_FOR(1), ".", 1, FT_DIR);
		dir_put_entry(fs, d + DE_REC_LEN_FOR(1), parent, fs->block_bytes - DE_REC_LEN_FOR(1),
			      "..", 2, FT_DIR);
		d[DX_ROOT_INFO + DX_INFO_HASH_VERSION] = (uint8_t)fs->def_hash;
		d[DX_ROOT_INFO + DX_INFO_LENGTH] = DX_INFO_BYTES;
		put_le16(d + DX_ROOT_ENTRIES, (uint16_t)root_limit(fs));
		put_le16(d + DX_ROOT_ENTRIES + 2, 1);
		put_le32(d + DX_ROOT_ENTRIES + 4, lblk);
		dir->flags |= INO_FL_INDEX;
	}
	fs_free(fs, map, max * sizeof(map_t));
	buf_put(fs, root);
	return err;
}
