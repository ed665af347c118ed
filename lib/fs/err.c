/* Names of nc_fs_err_t values, for logs and tools. */
#include "fs_int.h"

static const char *const names[NC_FS_ERR_COUNT_] = {
	[NC_FS_OK] = "ok",
	[NC_FS_ERR_INVALID] = "invalid",
	[NC_FS_ERR_NOMEM] = "out-of-memory",
	[NC_FS_ERR_IO] = "io",
	[NC_FS_ERR_DEVICE_SMALL] = "device-too-small",
	[NC_FS_ERR_UNSUPPORTED] = "unsupported",
	[NC_FS_ERR_BAD_SUPER] = "bad-superblock",
	[NC_FS_ERR_BAD_GROUP] = "bad-group-descriptor",
	[NC_FS_ERR_BAD_BITMAP] = "bad-bitmap",
	[NC_FS_ERR_BAD_INODE] = "bad-inode",
	[NC_FS_ERR_BAD_BLOCK] = "bad-block-number",
	[NC_FS_ERR_BAD_DIR] = "bad-directory",
	[NC_FS_ERR_BAD_JOURNAL] = "bad-journal",
	[NC_FS_ERR_BAD_XATTR] = "bad-xattr-block",
	[NC_FS_ERR_BAD_ORPHAN] = "bad-orphan-list",
	[NC_FS_ERR_NEEDS_RECOVERY] = "needs-recovery",
	[NC_FS_ERR_READ_ONLY] = "read-only",
	[NC_FS_ERR_NOT_FOUND] = "not-found",
	[NC_FS_ERR_EXISTS] = "exists",
	[NC_FS_ERR_NOT_DIR] = "not-a-directory",
	[NC_FS_ERR_IS_DIR] = "is-a-directory",
	[NC_FS_ERR_NOT_EMPTY] = "not-empty",
	[NC_FS_ERR_NAME_TOO_LONG] = "name-too-long",
	[NC_FS_ERR_NO_SPACE] = "no-space",
	[NC_FS_ERR_NO_INODES] = "no-inodes",
	[NC_FS_ERR_TOO_BIG] = "too-big",
	[NC_FS_ERR_TOO_MANY_LINKS] = "too-many-links",
	[NC_FS_ERR_STALE] = "stale",
	[NC_FS_ERR_SYMLINK] = "symlink-in-path",
	[NC_FS_ERR_LOOP] = "loop",
	[NC_FS_ERR_BUSY] = "busy",
};

const char *nc_fs_err_name(nc_fs_err_t err)
{
	if ((unsigned)err >= NC_FS_ERR_COUNT_ || !names[err])
		return "unknown";
	return names[err];
}
