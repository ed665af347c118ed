/* Inodes: where each lives in its group's table, decoding with validation, encoding back.
 *
 * inode_read validates every field lib/fs uses before returning (type, extra size, flags of
 * formats this library does not handle, sizes, and each block number in i_block[] when the inode
 * holds block numbers). inode_get additionally checks that a node still names a live inode.
 * inode_write re-encodes only the fields the decoded struct carries; the other bytes of the slot
 * (osd fields, in-inode extended attributes) stay as they were, except for a new inode, whose slot
 * is zeroed first. */
#include "fs_int.h"

static nc_fs_err_t slot(nc_fs_t *fs, uint32_t ino, fs_buf_t **b, uint32_t *off)
{
	if (ino == 0 || ino > fs->inodes_count)
		return NC_FS_ERR_BAD_INODE;
	uint32_t g = (ino - 1u) / fs->inodes_per_group;
	uint32_t idx = (ino - 1u) % fs->inodes_per_group;
	uint32_t blk = get_le32(gd_ptr(fs, g) + GD_INODE_TABLE) + idx / fs->inodes_per_block;
	*off = (idx % fs->inodes_per_block) * fs->inode_bytes;
	return buf_get(fs, blk, b);
}

/* True when the extra part of the inode reaches byte field + 4 of the slot. */
static bool has_extra(const fs_inode_t *in, uint32_t field)
{
	return (uint32_t)in->extra_isize + INO_GOOD_OLD_BYTES >= field + 4u;
}

static void decode(nc_fs_t *fs, const uint8_t *p, uint32_t ino, fs_inode_t *in)
{
	nc_mem_set(in, 0, sizeof(*in));
	in->ino = ino;
	in->mode = get_le16(p + INO_MODE);
	in->uid = get_le16(p + INO_UID) | (uint32_t)get_le16(p + INO_UID_HIGH) << 16;
	in->gid = get_le16(p + INO_GID) | (uint32_t)get_le16(p + INO_GID_HIGH) << 16;
	in->size = get_le32(p + INO_SIZE);
	if ((in->mode & MODE_TYPE_MASK) == MODE_REG)
		in->size |= (uint64_t)get_le32(p + INO_SIZE_HIGH) << 32;
	in->atime = get_le32(p + INO_ATIME);
	in->ctime = get_le32(p + INO_CTIME);
	in->mtime = get_le32(p + INO_MTIME);
	in->dtime = get_le32(p + INO_DTIME);
	in->links = get_le16(p + INO_LINKS);
	in->blocks = get_le32(p + INO_BLOCKS);
	in->flags = get_le32(p + INO_FLAGS);
	for (uint32_t i = 0; i < INO_N_BLOCK; i++)
		in->block[i] = get_le32(p + INO_BLOCK + 4 * i);
	in->generation = get_le32(p + INO_GENERATION);
	in->file_acl = get_le32(p + INO_FILE_ACL);
	if (fs->inode_bytes <= INO_GOOD_OLD_BYTES)
		return;
	in->extra_isize = get_le16(p + INO_EXTRA_ISIZE);
	if (in->extra_isize > fs->inode_bytes - INO_GOOD_OLD_BYTES)
		return; /* validate rejects it */
	if (has_extra(in, INO_CTIME_EXTRA))
		in->ctime_x = get_le32(p + INO_CTIME_EXTRA);
	if (has_extra(in, INO_MTIME_EXTRA))
		in->mtime_x = get_le32(p + INO_MTIME_EXTRA);
	if (has_extra(in, INO_ATIME_EXTRA))
		in->atime_x = get_le32(p + INO_ATIME_EXTRA);
}

static nc_fs_err_t validate(nc_fs_t *fs, const fs_inode_t *in)
{
	uint16_t type = in->mode & MODE_TYPE_MASK;
	if (type != MODE_REG && type != MODE_DIR && type != MODE_LNK && type != MODE_CHR &&
	    type != MODE_BLK && type != MODE_FIFO && type != MODE_SOCK)
		return NC_FS_ERR_BAD_INODE;
	if (fs->inode_bytes > INO_GOOD_OLD_BYTES &&
	    (in->extra_isize % 4u || in->extra_isize > fs->inode_bytes - INO_GOOD_OLD_BYTES))
		return NC_FS_ERR_BAD_INODE;
	if (in->flags & INO_FL_UNSUPPORTED)
		return NC_FS_ERR_UNSUPPORTED;
	if (type == MODE_REG && in->size > fs->max_lblk << fs->log_block)
		return NC_FS_ERR_BAD_INODE;
	if (type == MODE_DIR && in->size % fs->block_bytes)
		return NC_FS_ERR_BAD_INODE;
	if (in->file_acl && !block_is_data(fs, in->file_acl))
		return NC_FS_ERR_BAD_BLOCK;
	if (inode_has_blocks(fs, in))
		for (uint32_t i = 0; i < INO_N_BLOCK; i++)
			if (in->block[i] && !block_is_data(fs, in->block[i]))
				return NC_FS_ERR_BAD_BLOCK;
	return NC_FS_OK;
}

nc_fs_err_t inode_read(nc_fs_t *fs, uint32_t ino, fs_inode_t *out)
{
	fs_buf_t *b;
	uint32_t off;
	nc_fs_err_t err = slot(fs, ino, &b, &off);
	if (err)
		return err;
	decode(fs, b->data + off, ino, out);
	buf_put(fs, b);
	return validate(fs, out);
}

nc_fs_err_t inode_get(nc_fs_t *fs, nc_fs_node_t node, fs_inode_t *out)
{
	if (node.ino == 0 || node.ino > fs->inodes_count)
		return NC_FS_ERR_STALE;
	nc_fs_err_t err = inode_read(fs, node.ino, out);
	if (err)
		return err;
	if (out->mode == 0 || out->links == 0 || out->generation != node.generation)
		return NC_FS_ERR_STALE;
	return NC_FS_OK;
}

static void encode(nc_fs_t *fs, uint8_t *p, const fs_inode_t *in)
{
	put_le16(p + INO_MODE, in->mode);
	put_le16(p + INO_UID, (uint16_t)in->uid);
	put_le16(p + INO_UID_HIGH, (uint16_t)(in->uid >> 16));
	put_le16(p + INO_GID, (uint16_t)in->gid);
	put_le16(p + INO_GID_HIGH, (uint16_t)(in->gid >> 16));
	put_le32(p + INO_SIZE, (uint32_t)in->size);
	if ((in->mode & MODE_TYPE_MASK) == MODE_REG)
		put_le32(p + INO_SIZE_HIGH, (uint32_t)(in->size >> 32));
	put_le32(p + INO_ATIME, in->atime);
	put_le32(p + INO_CTIME, in->ctime);
	put_le32(p + INO_MTIME, in->mtime);
	put_le32(p + INO_DTIME, in->dtime);
	put_le16(p + INO_LINKS, in->links);
	put_le32(p + INO_BLOCKS, in->blocks);
	put_le32(p + INO_FLAGS, in->flags);
	for (uint32_t i = 0; i < INO_N_BLOCK; i++)
		put_le32(p + INO_BLOCK + 4 * i, in->block[i]);
	put_le32(p + INO_GENERATION, in->generation);
	put_le32(p + INO_FILE_ACL, in->file_acl);
	if (fs->inode_bytes <= INO_GOOD_OLD_BYTES)
		return;
	put_le16(p + INO_EXTRA_ISIZE, in->extra_isize);
	if (has_extra(in, INO_CTIME_EXTRA))
		put_le32(p + INO_CTIME_EXTRA, in->ctime_x);
	if (has_extra(in, INO_MTIME_EXTRA))
		put_le32(p + INO_MTIME_EXTRA, in->mtime_x);
	if (has_extra(in, INO_ATIME_EXTRA))
		put_le32(p + INO_ATIME_EXTRA, in->atime_x);
}

nc_fs_err_t inode_write(nc_fs_t *fs, const fs_inode_t *in)
{
	fs_buf_t *b;
	uint32_t off;
	nc_fs_err_t err = slot(fs, in->ino, &b, &off);
	if (!err)
		err = buf_modify(fs, b);
	if (!err) {
		if (in->fresh)
			nc_mem_set(b->data + off, 0, fs->inode_bytes);
		encode(fs, b->data + off, in);
	}
	buf_put(fs, b);
	return err;
}

void inode_init_new(nc_fs_t *fs, fs_inode_t *in, uint32_t ino, uint16_t mode)
{
	nc_mem_set(in, 0, sizeof(*in));
	in->ino = ino;
	in->mode = mode;
	in->generation = fs->next_generation++;
	in->extra_isize = fs->new_extra_isize;
	in->fresh = true;
	inode_touch(fs, in, true);
	in->atime = in->mtime;
	in->atime_x = in->mtime_x;
}

/* ext4's extended timestamps: the 32-bit field holds the seconds as a signed number, the extra
 * word nanoseconds << 2 and the epoch bits that extend the seconds past 2038. */
static void time_encode(uint64_t ns, uint32_t *sec, uint32_t *extra)
{
	int64_t s = (int64_t)(ns / 1000000000u);
	int64_t epoch = (s - (int64_t)(int32_t)(uint32_t)s) >> 32;
	*sec = (uint32_t)s;
	*extra = (uint32_t)((ns % 1000000000u) << 2) | ((uint32_t)epoch & 3u);
}

void inode_touch(nc_fs_t *fs, fs_inode_t *in, bool data)
{
	time_encode(fs_now_ns(fs), &in->ctime, &in->ctime_x);
	if (data) {
		in->mtime = in->ctime;
		in->mtime_x = in->ctime_x;
	}
}

bool inode_has_blocks(nc_fs_t *fs, const fs_inode_t *in)
{
	(void)fs;
	uint16_t type = in->mode & MODE_TYPE_MASK;
	if (type == MODE_LNK) /* a fast symlink keeps its target in i_block (e2fsprogs' rule) */
		return in->size >= INO_N_BLOCK * 4u;
	return type == MODE_REG || type == MODE_DIR;
}

nc_fs_type_t inode_type(const fs_inode_t *in)
{
	switch (in->mode & MODE_TYPE_MASK) {
	case MODE_REG: return NC_FS_TYPE_FILE;
	case MODE_DIR: return NC_FS_TYPE_DIR;
	case MODE_LNK: return NC_FS_TYPE_SYMLINK;
	default: return NC_FS_TYPE_OTHER;
	}
}

uint8_t inode_ftype(const fs_inode_t *in)
{
	switch (in->mode & MODE_TYPE_MASK) {
	case MODE_REG: return FT_REG;
	case MODE_DIR: return FT_DIR;
	case MODE_LNK: return FT_SYMLINK;
	case MODE_CHR: return FT_CHR;
	case MODE_BLK: return FT_BLK;
	case MODE_FIFO: return FT_FIFO;
	default: return FT_SOCK;
	}
}

nc_fs_node_t inode_node(const fs_inode_t *in)
{
	return (nc_fs_node_t){ .ino = in->ino, .generation = in->generation };
}

static uint64_t time_ns(uint32_t sec, uint32_t extra, bool extended)
{
	int64_t s = (int32_t)sec;
	uint64_t ns = 0;
	if (extended) {
		s += (int64_t)(extra & 3u) << 32;
		ns = extra >> 2;
		if (ns >= 1000000000u)
			ns = 0;
	}
	return s < 0 ? 0 : (uint64_t)s * 1000000000u + ns;
}

void inode_stat(const fs_inode_t *in, nc_fs_stat_t *out)
{
	nc_mem_set(out, 0, sizeof(*out));
	out->node = inode_node(in);
	out->type = inode_type(in);
	out->mode = in->mode & MODE_PERM_MASK;
	out->n_links = in->links;
	out->uid = in->uid;
	out->gid = in->gid;
	out->size_bytes = in->size;
	out->blocks_bytes = (uint64_t)in->blocks * 512u;
	out->atime_ns = time_ns(in->atime, in->atime_x, has_extra(in, INO_ATIME_EXTRA));
	out->mtime_ns = time_ns(in->mtime, in->mtime_x, has_extra(in, INO_MTIME_EXTRA));
	out->ctime_ns = time_ns(in->ctime, in->ctime_x, has_extra(in, INO_CTIME_EXTRA));
}

void inode_set_time(fs_inode_t *in, bool atime, uint64_t ns)
{
	if (atime)
		time_encode(ns, &in->atime, &in->atime_x);
	else
		time_encode(ns, &in->mtime, &in->mtime_x);
}
