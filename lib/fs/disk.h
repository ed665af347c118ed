/* The on-disk formats lib/fs reads and writes: byte offsets of the fields it uses and the flag
 * values, as laid out by e2fsprogs and Linux (the ext4 wiki's "Ext4 Disk Layout" page names every
 * field; ext2/ext3 use the subset below). ext2 structures are little-endian, the jbd2 journal's
 * are big-endian. Fields are read and written through the accessors at the end, never through C
 * structs, so alignment and padding never matter. */
#ifndef NC_FS_DISK_H
#define NC_FS_DISK_H

#include <stdint.h>

/* Superblock: 1024 bytes at byte 1024 of the device. */
#define SB_OFFSET 1024u
#define SB_BYTES 1024u
#define SB_INODES_COUNT 0
#define SB_BLOCKS_COUNT 4
#define SB_R_BLOCKS_COUNT 8
#define SB_FREE_BLOCKS 12
#define SB_FREE_INODES 16
#define SB_FIRST_DATA_BLOCK 20
#define SB_LOG_BLOCK_SIZE 24
#define SB_LOG_CLUSTER_SIZE 28
#define SB_BLOCKS_PER_GROUP 32
#define SB_CLUSTERS_PER_GROUP 36
#define SB_INODES_PER_GROUP 40
#define SB_MTIME 44
#define SB_WTIME 48
#define SB_MNT_COUNT 52
#define SB_MAGIC 56
#define SB_STATE 58
#define SB_REV_LEVEL 76
#define SB_FIRST_INO 84
#define SB_INODE_SIZE 88
#define SB_FEATURE_COMPAT 92
#define SB_FEATURE_INCOMPAT 96
#define SB_FEATURE_RO_COMPAT 100
#define SB_RESERVED_GDT 206
#define SB_JOURNAL_INUM 224
#define SB_LAST_ORPHAN 232
#define SB_HASH_SEED 236
#define SB_DEF_HASH_VERSION 252
#define SB_DESC_SIZE 254
#define SB_BLOCKS_COUNT_HI 336
#define SB_WANT_EXTRA_ISIZE 350
#define SB_FLAGS 352
#define SB_BACKUP_BGS 588

#define SB_MAGIC_VALUE 0xEF53u
#define SB_FLAGS_UNSIGNED_HASH 0x2u /* s_flags: the directory hash reads names as unsigned char */

#define FEAT_COMPAT_HAS_JOURNAL 0x4u
#define FEAT_COMPAT_DIR_INDEX 0x20u
#define FEAT_COMPAT_SPARSE_SUPER2 0x200u
#define FEAT_INCOMPAT_FILETYPE 0x2u
#define FEAT_INCOMPAT_RECOVER 0x4u
#define FEAT_RO_SPARSE_SUPER 0x1u
#define FEAT_RO_LARGE_FILE 0x2u
#define FEAT_RO_BTREE_DIR 0x4u
#define FEAT_RO_EXTRA_ISIZE 0x40u
/* What a mount reads (incompat) and what a writable mount keeps valid (ro_compat). */
#define FEAT_INCOMPAT_KNOWN (FEAT_INCOMPAT_FILETYPE | FEAT_INCOMPAT_RECOVER)
#define FEAT_RO_WRITABLE (FEAT_RO_SPARSE_SUPER | FEAT_RO_LARGE_FILE | FEAT_RO_BTREE_DIR | \
			  FEAT_RO_EXTRA_ISIZE)

/* Group descriptor: 32 bytes each, in the blocks after the superblock's. */
#define GD_BYTES 32u
#define GD_BLOCK_BITMAP 0
#define GD_INODE_BITMAP 4
#define GD_INODE_TABLE 8
#define GD_FREE_BLOCKS 12
#define GD_FREE_INODES 14
#define GD_USED_DIRS 16

/* Inode: s_inode_size bytes (128 in revision 0). */
#define INO_MODE 0
#define INO_UID 2
#define INO_SIZE 4
#define INO_ATIME 8
#define INO_CTIME 12
#define INO_MTIME 16
#define INO_DTIME 20
#define INO_GID 24
#define INO_LINKS 26
#define INO_BLOCKS 28
#define INO_FLAGS 32
#define INO_BLOCK 40
#define INO_GENERATION 100
#define INO_FILE_ACL 104
#define INO_SIZE_HIGH 108
#define INO_UID_HIGH 120
#define INO_GID_HIGH 122
#define INO_EXTRA_ISIZE 128
#define INO_CTIME_EXTRA 132
#define INO_MTIME_EXTRA 136
#define INO_ATIME_EXTRA 140
#define INO_CRTIME 144
#define INO_CRTIME_EXTRA 148
#define INO_GOOD_OLD_BYTES 128u
#define INO_EXTRA_DEFAULT 32u   /* i_extra_isize Linux gives new inodes: every field to i_projid */

#define INO_N_BLOCK 15u         /* i_block[]: 12 direct, single, double, triple indirect */
#define INO_N_DIRECT 12u
#define INO_IND 12u
#define INO_DIND 13u
#define INO_TIND 14u

#define MODE_TYPE_MASK 0xF000u
#define MODE_FIFO 0x1000u
#define MODE_CHR 0x2000u
#define MODE_DIR 0x4000u
#define MODE_BLK 0x6000u
#define MODE_REG 0x8000u
#define MODE_LNK 0xA000u
#define MODE_SOCK 0xC000u
#define MODE_PERM_MASK 07777u

#define INO_FL_INDEX 0x1000u        /* directory has an htree index */
#define INO_FL_HUGE_FILE 0x40000u
#define INO_FL_EXTENTS 0x80000u
#define INO_FL_EA_INODE 0x200000u
#define INO_FL_INLINE_DATA 0x10000000u
#define INO_FL_UNSUPPORTED (INO_FL_HUGE_FILE | INO_FL_EXTENTS | INO_FL_EA_INODE | INO_FL_INLINE_DATA)

#define INO_ROOT 2u
#define INO_RESIZE 7u
#define INO_JOURNAL 8u
#define INO_FIRST_GOOD_OLD 11u

/* Directory entry (ext2_dir_entry_2): inode, rec_len, name_len, file_type, name. */
#define DE_INODE 0
#define DE_REC_LEN 4
#define DE_NAME_LEN 6
#define DE_FILE_TYPE 7
#define DE_NAME 8
#define DE_HEADER 8u
#define DE_REC_LEN_FOR(name_len) ((DE_HEADER + (uint32_t)(name_len) + 3u) & ~3u)

#define FT_UNKNOWN 0
#define FT_REG 1
#define FT_DIR 2
#define FT_CHR 3
#define FT_BLK 4
#define FT_FIFO 5
#define FT_SOCK 6
#define FT_SYMLINK 7

/* htree (dir_index): block 0 holds "." (12 bytes), ".." (rec_len to the block end), then the
 * root info and the root's entries; interior blocks hold one empty entry over the whole block,
 * then entries. An entry list starts with {limit u16, count u16, block u32}, then {hash, block}. */
#define DX_ROOT_INFO 24u            /* offset of dx_root_info in block 0 */
#define DX_INFO_RESERVED 0
#define DX_INFO_HASH_VERSION 4
#define DX_INFO_LENGTH 5
#define DX_INFO_LEVELS 6
#define DX_INFO_BYTES 8u
#define DX_ROOT_ENTRIES (DX_ROOT_INFO + DX_INFO_BYTES)
#define DX_NODE_ENTRIES 8u
#define DX_ENTRY_BYTES 8u
#define DX_MAX_LEVELS 2u            /* root plus one level of interior nodes (no largedir) */

#define DX_HASH_LEGACY 0u
#define DX_HASH_HALF_MD4 1u
#define DX_HASH_TEA 2u
#define DX_HASH_UNSIGNED_DELTA 3u   /* the *_UNSIGNED variants follow the signed ones */

/* Extended attribute block header (the part freeing an inode touches). */
#define XATTR_MAGIC 0xEA020000u
#define XATTR_H_MAGIC 0
#define XATTR_H_REFCOUNT 4
#define XATTR_H_BLOCKS 8

/* jbd2 (big-endian). Every journal metadata block starts with the 12-byte header. */
#define JBD_MAGIC 0xC03B3998u
#define JBD_H_MAGIC 0
#define JBD_H_BLOCKTYPE 4
#define JBD_H_SEQUENCE 8
#define JBD_HEADER_BYTES 12u
#define JBD_DESCRIPTOR 1u
#define JBD_COMMIT 2u
#define JBD_SUPERBLOCK_V1 3u
#define JBD_SUPERBLOCK_V2 4u
#define JBD_REVOKE 5u

#define JSB_BLOCKSIZE 12
#define JSB_MAXLEN 16
#define JSB_FIRST 20
#define JSB_SEQUENCE 24
#define JSB_START 28
#define JSB_ERRNO 32
#define JSB_FEATURE_COMPAT 36
#define JSB_FEATURE_INCOMPAT 40
#define JSB_FEATURE_RO_COMPAT 44
#define JSB_UUID 48
#define JSB_UUID_BYTES 16u

#define JBD_INCOMPAT_REVOKE 0x1u
#define JBD_INCOMPAT_64BIT 0x2u
#define JBD_INCOMPAT_ASYNC_COMMIT 0x4u
#define JBD_INCOMPAT_KNOWN (JBD_INCOMPAT_REVOKE | JBD_INCOMPAT_64BIT | JBD_INCOMPAT_ASYNC_COMMIT)
#define JBD_MIN_BLOCKS 1024u        /* JBD2_MIN_JOURNAL_BLOCKS */

/* Descriptor tags: {blocknr be32, checksum be16, flags be16[, blocknr_high be32]}, each but
 * the ones flagged SAME_UUID followed by the 16-byte UUID. */
#define JTAG_BLOCKNR 0
#define JTAG_FLAGS 6
#define JTAG_BYTES 8u
#define JTAG_BYTES_64 12u
#define JTAG_FL_ESCAPE 0x1u
#define JTAG_FL_SAME_UUID 0x2u
#define JTAG_FL_DELETED 0x4u
#define JTAG_FL_LAST 0x8u

#define JREVOKE_COUNT 12            /* bytes used in the revoke block, header included */
#define JREVOKE_RECORDS 16u

#define JCOMMIT_SEC 48              /* be64 */
#define JCOMMIT_NSEC 56             /* be32 */

static inline uint16_t get_le16(const uint8_t *p) { return (uint16_t)(p[0] | (uint16_t)p[1] << 8); }
static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void put_le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline uint16_t get_be16(const uint8_t *p) { return (uint16_t)((uint16_t)p[0] << 8 | p[1]); }
static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}
static inline void put_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#endif
