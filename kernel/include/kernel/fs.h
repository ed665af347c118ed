/* The read-only file system over the boot initrd: absolute paths ("/" is the
 * archive root, "/motd" its file motd), files and directories as kernel
 * objects for FsOpen/FdRead/FsListDir. A directory is the root, a directory
 * entry of the archive, or a prefix of some file's path. SMP-safe; nothing
 * sleeps. */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include <stddef.h>
#include <stdint.h>
#include <kernel/handle.h>

struct quota;
#include <nc/abi.h>

typedef struct {
	kobj_t obj;                     /* NC_SYS_HANDLE_FILE */
	struct quota *quota;            /* charged for it: the opener's */
	const uint8_t *data;            /* in the initrd, which lives for ever */
	uint64_t size_bytes;
	uint64_t pos;                   /* atomic; shared by duplicated handles */
} kfile_t;

typedef struct {
	kobj_t obj;                     /* NC_SYS_HANDLE_DIR */
	struct quota *quota;            /* charged for it: the opener's */
	uint32_t path_len;
	char path[NC_SYS_PATH_MAX + 1]; /* absolute, normalised */
} kdir_t;

/* Make path[0..len) absolute (relative ones start at cwd) and normalise it
 * into out (NC_SYS_PATH_MAX + 1 bytes). Errors: INVALID (empty, a control byte,
 * ".." above the root, too long). */
nc_sys_err_t fs_resolve(const char *cwd, const char *path, size_t len, char *out, size_t *out_len);
/* Describe the absolute normalised path. Errors: NOT_FOUND. */
nc_sys_err_t fs_stat(const char *abs, size_t len, nc_sys_stat_t *st);
/* A new file or directory object for abs (one reference, the caller's),
 * charged to the caller's quota. Errors: NOT_FOUND, WRONG_TYPE (a file
 * opened as a directory or the reverse), LIMIT, NO_MEMORY. */
nc_sys_err_t fs_open(const char *abs, size_t len, bool dir, kobj_t **out);
/* Entry number index of directory d. Errors: NOT_FOUND (past the last; then
 * *n_entries gets how many entries d has). */
nc_sys_err_t fs_dir_entry(const kdir_t *d, uint64_t index, nc_sys_dirent_t *out, uint64_t *n_entries);

#endif
