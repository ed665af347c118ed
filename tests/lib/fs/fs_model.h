/* An in-memory model of a file system tree driven by random operations, each run on lib/fs
 * too and its result checked against what the model expects (tests/lib/fs: the 5,000-operation
 * test and the crash test share it). Files are nodes (data, links, inode number) that several
 * paths may name (hard links). Host only. */
#ifndef NC_FS_MODEL_H
#define NC_FS_MODEL_H

#include "fs_test_util.h"

typedef struct {
	bool is_dir;
	uint8_t *data;
	size_t size;
	uint32_t links;
	uint32_t ino;               /* lib/fs's inode number for it */
} mnode_t;

typedef struct {
	char *path;                 /* "/a/b" */
	mnode_t *n;
} mentry_t;

/* During operation op, inode ino's content changed or the inode was freed. */
typedef struct {
	uint32_t op;
	uint32_t ino;
} mevent_t;

typedef struct model {
	mentry_t *e;
	size_t n, cap;
	size_t total_bytes;
	size_t max_data_bytes;      /* writes that would pass it are skipped */
	size_t max_write_bytes;     /* 0: no limit but the model's (400 KiB) */
	rng_t rng;
	nc_fs_t *fs;
	uint32_t n_ops;             /* the operation being run */
	/* unmount and mount again (the test knows the device); NULL: no remounts */
	nc_fs_err_t (*remount)(struct model *md);
	void *ctx;
	mevent_t *ev;
	size_t n_ev, cap_ev;
	bool last_was_sync;         /* the last model_step was a sync that returned OK */
} model_t;

/* One random operation on md->fs and the model; false (with a note) when lib/fs disagreed. */
bool model_step(model_t *md);
/* The model's manifest (fs_test_util.h), MANIFEST_* flags. */
char *model_manifest(model_t *md, uint32_t flags);
void model_free(model_t *md);

#endif
