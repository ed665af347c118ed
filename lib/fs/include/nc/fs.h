/* lib/fs: an ext3 file system -- the ext2 on-disk layout with a jbd2 journal in ordered data mode,
 * what `mke2fs -t ext3` makes -- readable and writable by Linux and e2fsprogs.
 *
 * The library is freestanding. The embedder supplies the block device (read, write and flush of
 * sectors: an image file on the host, the block service in NexaCore), the allocator and the clock;
 * the library never calls libc. docs/filesystem.md describes the format support, the journal and
 * what survives a power cut.
 *
 * Usage: fill an nc_fs_config_t, nc_fs_mount, then any of the calls below, nc_fs_sync to make
 * everything done so far durable, nc_fs_unmount. Paths are taken from the file system's root,
 * '/'-separated; empty components are skipped, "." and ".." are looked up as the entries every
 * directory has; a symbolic link inside a path is not followed (NC_FS_ERR_SYMLINK). Open files and
 * directories are named by an nc_fs_node_t (inode number and generation): a node whose inode was
 * deleted, even if the number was reused since, gives NC_FS_ERR_STALE.
 *
 * Every call that changes the file system is atomic: it happens completely or, when it returns an
 * error, not at all (a write or truncate of many blocks is made of atomic steps; see nc_fs_write).
 * Changes reach the disk in transactions of the journal: after a power cut at any moment, the next
 * mount replays the journal and finds the state after some completed transaction, and every change
 * made before the last nc_fs_sync that returned OK.
 *
 * Malformed images give a named error (NC_FS_ERR_BAD_*) at mount or when the operation meets the
 * malformed field, never a crash, and the library never reads or writes outside the device.
 * Not thread-safe: one caller at a time per nc_fs_t; separate nc_fs_t share nothing. */
#ifndef NC_FS_H
#define NC_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	NC_FS_OK = 0,
	/* the caller */
	NC_FS_ERR_INVALID,        /* bad argument: NULL, "." or ".." as a name, bad flags, ... */
	NC_FS_ERR_NOMEM,          /* the embedder's allocator returned NULL */
	NC_FS_ERR_IO,             /* the device reported a failure; the file system no longer writes */
	/* the image */
	NC_FS_ERR_DEVICE_SMALL,   /* the file system is larger than the device */
	NC_FS_ERR_UNSUPPORTED,    /* a feature or format this library does not handle */
	NC_FS_ERR_BAD_SUPER,      /* a superblock field is out of range or inconsistent */
	NC_FS_ERR_BAD_GROUP,      /* a group descriptor field is out of range */
	NC_FS_ERR_BAD_BITMAP,     /* a bitmap contradicts the descriptors or the operation */
	NC_FS_ERR_BAD_INODE,      /* an inode field is out of range */
	NC_FS_ERR_BAD_BLOCK,      /* a block number outside the data area (or in its metadata) */
	NC_FS_ERR_BAD_DIR,        /* a malformed directory entry, block or index */
	NC_FS_ERR_BAD_JOURNAL,    /* the journal superblock or log is malformed */
	NC_FS_ERR_BAD_XATTR,      /* an extended-attribute block is malformed */
	NC_FS_ERR_BAD_ORPHAN,     /* the orphan inode list is malformed */
	NC_FS_ERR_NEEDS_RECOVERY, /* read-only mount of a file system whose journal needs replay */
	/* the operation */
	NC_FS_ERR_READ_ONLY,      /* mounted read-only */
	NC_FS_ERR_NOT_FOUND,      /* no such name */
	NC_FS_ERR_EXISTS,         /* the name exists */
	NC_FS_ERR_NOT_DIR,        /* a path component or the target is not a directory */
	NC_FS_ERR_IS_DIR,         /* the operation needs a non-directory */
	NC_FS_ERR_NOT_EMPTY,      /* the directory has entries besides "." and ".." */
	NC_FS_ERR_NAME_TOO_LONG,  /* a component longer than NC_FS_NAME_MAX bytes */
	NC_FS_ERR_NO_SPACE,       /* no free block (or the directory index is full) */
	NC_FS_ERR_NO_INODES,      /* no free inode */
	NC_FS_ERR_TOO_BIG,        /* beyond the largest file size the format allows */
	NC_FS_ERR_TOO_MANY_LINKS, /* the link count would pass NC_FS_LINK_MAX */
	NC_FS_ERR_STALE,          /* the node names a deleted inode */
	NC_FS_ERR_SYMLINK,        /* a path component is a symbolic link */
	NC_FS_ERR_LOOP,           /* rename would move a directory below itself */
	NC_FS_ERR_BUSY,           /* the operation would remove or move the root */
	NC_FS_ERR_COUNT_
} nc_fs_err_t;

#define NC_FS_NAME_MAX 255u      /* bytes in one path component */
#define NC_FS_PATH_MAX 4096u     /* bytes in a path */
#define NC_FS_LINK_MAX 65000u    /* links to one inode (as ext3) */

/* The block device. read/write move n_sectors whole sectors between the device and buf; flush
 * returns when everything written before it is durable (survives a power cut). Each returns true
 * on success. The library calls them only with sector + n_sectors <= the n_sectors given here. */
typedef struct {
	void *ctx;                /* passed to every call */
	uint32_t sector_bytes;    /* 512, 1024, 2048 or 4096; at most the file system's block size */
	uint64_t n_sectors;       /* the device's size */
	bool (*read)(void *ctx, uint64_t sector, uint32_t n_sectors, void *buf);
	bool (*write)(void *ctx, uint64_t sector, uint32_t n_sectors, const void *buf);
	bool (*flush)(void *ctx);
} nc_fs_dev_t;

/* Allocator: new_bytes 0 frees ptr (returns NULL); otherwise (re)allocates ptr from old_bytes to
 * new_bytes (ptr NULL: allocate). Returns NULL when out of memory. */
typedef void *(*nc_fs_alloc_fn)(void *ud, void *ptr, size_t old_bytes, size_t new_bytes);
/* The wall clock: nanoseconds since 1970-01-01 UTC. */
typedef uint64_t (*nc_fs_clock_fn)(void *ud);

#define NC_FS_MOUNT_READ_ONLY 1u  /* never write; a journal that needs replay: NEEDS_RECOVERY */
#define NC_FS_TXN_DEFAULT_BLOCKS 1024u
#define NC_FS_TXN_MIN_BLOCKS 128u

typedef struct {
	nc_fs_dev_t dev;          /* required */
	nc_fs_alloc_fn alloc;     /* required */
	void *alloc_ud;
	nc_fs_clock_fn now_ns;    /* required */
	void *clock_ud;
	uint32_t flags;           /* NC_FS_MOUNT_* */
	uint32_t cache_blocks;    /* clean metadata blocks kept in memory; 0: 256 */
	uint32_t max_txn_blocks;  /* metadata blocks in one transaction: 0 for
				     NC_FS_TXN_DEFAULT_BLOCKS, at least NC_FS_TXN_MIN_BLOCKS; a
				     third of the journal bounds it too */
} nc_fs_config_t;

typedef struct nc_fs nc_fs_t;

typedef struct {
	uint32_t ino;             /* inode number, >= 1 */
	uint32_t generation;      /* the inode's generation when the node was looked up */
} nc_fs_node_t;

typedef enum {
	NC_FS_TYPE_FILE = 1,
	NC_FS_TYPE_DIR,
	NC_FS_TYPE_SYMLINK,
	NC_FS_TYPE_OTHER,         /* device, fifo or socket */
} nc_fs_type_t;

typedef struct {
	nc_fs_node_t node;
	nc_fs_type_t type;
	uint32_t mode;            /* permission bits (i_mode & 07777) */
	uint32_t n_links;
	uint32_t uid, gid;
	uint64_t size_bytes;
	uint64_t blocks_bytes;    /* space allocated, metadata blocks of the file included */
	uint64_t atime_ns, mtime_ns, ctime_ns; /* since 1970; 0 for times before 1970 */
} nc_fs_stat_t;

typedef struct {
	uint32_t block_bytes;
	uint64_t total_blocks;
	uint64_t free_blocks;
	uint64_t avail_blocks;    /* free_blocks minus those reserved for the administrator */
	uint64_t total_inodes;
	uint64_t free_inodes;
	uint32_t name_max;        /* NC_FS_NAME_MAX */
	bool read_only;           /* mounted read-only, or writing stopped after a device error */
} nc_fs_statfs_t;

typedef struct {
	uint32_t ino;
	nc_fs_type_t type;        /* from the entry; NC_FS_TYPE_OTHER when the image has no types */
	uint32_t name_len;
	char name[NC_FS_NAME_MAX + 1]; /* NUL-terminated */
} nc_fs_dirent_t;

/* Mount the file system on cfg->dev. Replays the journal if it needs it (unless read-only) and, in
 * a writable mount, completes the deletions and truncations a power cut interrupted (the orphan
 * list). cfg is copied. On OK *out is the mounted file system; release it with nc_fs_unmount.
 * Errors: INVALID (cfg incomplete, sector size), NOMEM, IO, DEVICE_SMALL, UNSUPPORTED (block size
 * other than 1, 2 or 4 KiB; an incompatible feature; a writable mount without a journal or with a
 * read-only-compatible feature this library does not maintain), BAD_SUPER, BAD_GROUP, BAD_INODE,
 * BAD_BLOCK, BAD_JOURNAL, BAD_ORPHAN, NEEDS_RECOVERY. */
nc_fs_err_t nc_fs_mount(const nc_fs_config_t *cfg, nc_fs_t **out);

/* Make everything durable, mark the file system clean and release fs (also on error; fs is gone
 * after the call). Errors: IO (the device failed; the journal keeps what was committed). */
nc_fs_err_t nc_fs_unmount(nc_fs_t *fs);

/* Make every change made so far durable: when this returns OK it survives a power cut.
 * Errors: IO, READ_ONLY is never returned (a read-only mount has nothing to sync: OK). */
nc_fs_err_t nc_fs_sync(nc_fs_t *fs);

/* Resolve path (path_len bytes, not necessarily NUL-terminated). Errors: INVALID (path_len >
 * NC_FS_PATH_MAX), NOT_FOUND, NOT_DIR, SYMLINK, NAME_TOO_LONG, IO, BAD_*. */
nc_fs_err_t nc_fs_lookup(nc_fs_t *fs, const char *path, size_t path_len, nc_fs_node_t *out);

/* Resolve one name (name_len bytes, no '/') in the directory dir; a symbolic link is the
 * result, not followed. Errors: STALE, NOT_DIR, NOT_FOUND, NAME_TOO_LONG, INVALID (a '/' or NUL
 * in name, or an empty name), IO, BAD_*. */
nc_fs_err_t nc_fs_lookup_at(nc_fs_t *fs, nc_fs_node_t dir, const char *name, size_t name_len,
			    nc_fs_node_t *out);

/* Describe a node. Errors: STALE, IO, BAD_INODE. */
nc_fs_err_t nc_fs_stat(nc_fs_t *fs, nc_fs_node_t node, nc_fs_stat_t *out);

/* Set the access and modification times of a node (ctime becomes now). Errors: READ_ONLY, STALE,
 * IO, BAD_INODE. */
nc_fs_err_t nc_fs_set_times(nc_fs_t *fs, nc_fs_node_t node, uint64_t atime_ns, uint64_t mtime_ns);

/* Figures of the whole file system. Never fails on a mounted fs. */
nc_fs_err_t nc_fs_statfs(nc_fs_t *fs, nc_fs_statfs_t *out);

#define NC_FS_CREATE_EXCLUSIVE 1u /* fail with EXISTS when the name exists */

/* Create a regular file with permission bits mode (& 07777) at path, or, without
 * NC_FS_CREATE_EXCLUSIVE, open the regular file that is already there. *out names the file.
 * Errors: INVALID (last component "." or "..", or empty path), READ_ONLY, EXISTS, IS_DIR (the name
 * is a directory), NOT_DIR, NOT_FOUND (a parent is missing), SYMLINK, NAME_TOO_LONG, NO_SPACE,
 * NO_INODES, IO, BAD_*. */
nc_fs_err_t nc_fs_create(nc_fs_t *fs, const char *path, size_t path_len, uint32_t mode,
			 uint32_t flags, nc_fs_node_t *out);

/* Create a directory. Errors: as nc_fs_create (EXISTS whatever the name is), TOO_MANY_LINKS. */
nc_fs_err_t nc_fs_mkdir(nc_fs_t *fs, const char *path, size_t path_len, uint32_t mode,
			nc_fs_node_t *out);

/* Remove a name of a non-directory; the inode and its blocks are freed with its last name, in
 * steps after the name is gone (the orphan list keeps that safe): when a step fails (NOMEM, IO,
 * BAD_*), the call returns its error with the name already removed, and the next unmount or
 * mount finishes the freeing. Errors: INVALID, READ_ONLY, NOT_FOUND, IS_DIR, NOT_DIR, SYMLINK, IO,
 * NOMEM, BAD_*. */
nc_fs_err_t nc_fs_unlink(nc_fs_t *fs, const char *path, size_t path_len);

/* Remove an empty directory (freed as nc_fs_unlink frees). Errors: INVALID, BUSY (the root),
 * READ_ONLY, NOT_FOUND, NOT_DIR, NOT_EMPTY, SYMLINK, IO, NOMEM, BAD_*. */
nc_fs_err_t nc_fs_rmdir(nc_fs_t *fs, const char *path, size_t path_len);

/* Rename from to to. An existing non-directory at to is replaced by a non-directory, an existing
 * empty directory by a directory; renaming a name to another name of the same inode does nothing.
 * Errors: INVALID, BUSY (the root), READ_ONLY, NOT_FOUND, EXISTS (never: replaced), IS_DIR (a
 * file over a directory), NOT_DIR (a directory over a file), NOT_EMPTY, LOOP, TOO_MANY_LINKS,
 * SYMLINK, NAME_TOO_LONG, NO_SPACE, IO, BAD_*. */
nc_fs_err_t nc_fs_rename(nc_fs_t *fs, const char *from, size_t from_len, const char *to,
			 size_t to_len);

/* Make to a second name (hard link) of the non-directory from. Errors: INVALID, READ_ONLY,
 * NOT_FOUND, EXISTS, IS_DIR (from is a directory), TOO_MANY_LINKS, NOT_DIR, SYMLINK,
 * NAME_TOO_LONG, NO_SPACE, IO, BAD_*. */
nc_fs_err_t nc_fs_link(nc_fs_t *fs, const char *from, size_t from_len, const char *to,
		       size_t to_len);

/* Read up to len bytes at offset of a regular file into buf; *n_read is the count (0 at or past
 * the end). Holes read as zeros. Errors: STALE, IS_DIR, INVALID (not a regular file), IO,
 * BAD_INODE, BAD_BLOCK. */
nc_fs_err_t nc_fs_read(nc_fs_t *fs, nc_fs_node_t node, uint64_t offset, void *buf, size_t len,
		       size_t *n_read);

/* Write len bytes of buf at offset of a regular file, extending it if needed (a gap reads as
 * zeros). The write is made of atomic steps of a few blocks each: *n_written is the count that
 * was written, also when an error is returned (NO_SPACE after a partial write, ...). mtime and
 * ctime become now. Errors: READ_ONLY, STALE, IS_DIR, INVALID, TOO_BIG, NO_SPACE, IO, BAD_*. */
nc_fs_err_t nc_fs_write(nc_fs_t *fs, nc_fs_node_t node, uint64_t offset, const void *buf,
			size_t len, size_t *n_written);

/* nc_fs_write at the file's end. */
nc_fs_err_t nc_fs_append(nc_fs_t *fs, nc_fs_node_t node, const void *buf, size_t len,
			 size_t *n_written);

/* Set the size of a regular file; bytes past the old end read as zeros, blocks past the new end
 * are freed (in steps after the new size is set, as nc_fs_unlink frees). Errors: READ_ONLY,
 * STALE, IS_DIR, INVALID, TOO_BIG, NO_SPACE, IO, NOMEM, BAD_*. */
nc_fs_err_t nc_fs_truncate(nc_fs_t *fs, nc_fs_node_t node, uint64_t size_bytes);

/* Read the directory entry at *cookie (start with 0) into *out and advance *cookie; *end is true,
 * and *out untouched, when there is none left. "." and ".." are listed. An entry added or removed
 * while listing may be seen or not. Errors: STALE, NOT_DIR, INVALID (a cookie not from this call),
 * IO, BAD_DIR, BAD_INODE, BAD_BLOCK. */
nc_fs_err_t nc_fs_read_dir(nc_fs_t *fs, nc_fs_node_t dir, uint64_t *cookie, nc_fs_dirent_t *out,
			   bool *end);

/* Copy the target of a symbolic link into buf (not terminated); *len is its length, which may be
 * more than cap_bytes (then only cap_bytes are copied). Errors: STALE, INVALID (not a symlink),
 * IO, BAD_INODE, BAD_BLOCK. */
nc_fs_err_t nc_fs_read_link(nc_fs_t *fs, nc_fs_node_t node, char *buf, size_t cap_bytes,
			    size_t *len);

/* A short constant name for err ("ok", "not-found", ...). */
const char *nc_fs_err_name(nc_fs_err_t err);

#endif
