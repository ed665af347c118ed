#define _GNU_SOURCE
/* lib/fs against an in-memory model: 5,000 random operations (create, write at any offset,
 * append, truncate, unlink, mkdir, rmdir, rename also over existing names, link, sync, remount)
 * on images made by mke2fs, every result checked against the model's expectation, the whole tree
 * compared with the model every few hundred operations; then `e2fsck -fn` must find nothing to
 * fix and `debugfs rdump` must produce the model's tree byte for byte. */
#include "nc_test.h"
#include "fs_model.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool compare_all(model_t *md)
{
	nc_fs_err_t err;
	char *got = manifest_fs(md->fs, MANIFEST_LINKS | MANIFEST_INO, &err);
	char *want = model_manifest(md, MANIFEST_LINKS | MANIFEST_INO);
	bool same = err == NC_FS_OK && strcmp(got, want) == 0;
	if (!same)
		nc_test_note("op %u: tree differs (%s): %s", md->n_ops, nc_fs_err_name(err), manifest_diff(want, got));
	free(got);
	free(want);
	return same;
}

typedef struct {
	mem_dev_t dev;              /* the image, in memory (no flush costs) */
	host_alloc_t alloc;
} env_t;

static nc_fs_err_t mount_mem(model_t *md)
{
	env_t *env = md->ctx;
	nc_fs_config_t cfg = mem_fs_config(&env->dev, &env->alloc, 0);
	return nc_fs_mount(&cfg, &md->fs);
}

static nc_fs_err_t remount(model_t *md)
{
	nc_fs_err_t err = nc_fs_unmount(md->fs);
	md->fs = NULL;
	return err ? err : mount_mem(md);
}

static void run_model(uint32_t block_bytes, uint32_t size_kib, uint64_t seed)
{
	char img[TMP_PATH_CAP], out[16384], dump[TMP_PATH_CAP];
	char *dir = tmp_with("img", img, "dump", dump, NULL);
	NC_CHECK(dir);
	NC_CHECK_EQ(make_image(img, block_bytes, size_kib, NULL), 0);
	env_t env = { .alloc = { .fail_after = -1 } };
	model_t md = { .rng = { seed }, .max_data_bytes = 6u << 20, .remount = remount, .ctx = &env };
	NC_CHECK_EQ(mem_dev_load(&env.dev, img, 512), 0);
	NC_CHECK_EQ(mount_mem(&md), NC_FS_OK);
	bool ok = true;
	for (md.n_ops = 0; ok && md.n_ops < 5000; md.n_ops++) {
		ok = model_step(&md);
		if (ok && getenv("NC_FS_MODEL_FSCK_EACH")) { /* debugging aid: e2fsck after each step */
			NC_CHECK_EQ(nc_fs_sync(md.fs), NC_FS_OK);
			NC_CHECK_EQ(mem_dev_save(&env.dev, img), 0);
			ok = fsck_clean(img, out, sizeof out);
			if (!ok)
				nc_test_note("op %u: e2fsck: %s", md.n_ops, out);
		}
		if (ok && md.n_ops % 500 == 499)
			ok = compare_all(&md);
	}
	NC_CHECK(ok);
	NC_CHECK(compare_all(&md));
	NC_CHECK_EQ(nc_fs_unmount(md.fs), NC_FS_OK);
	NC_CHECK_EQ(env.alloc.live_bytes, 0);
	NC_CHECK_EQ(mem_dev_save(&env.dev, img), 0);
	mem_dev_free(&env.dev);
	bool clean = fsck_clean(img, out, sizeof out);
	if (!clean)
		nc_test_note("e2fsck: %s", out);
	NC_CHECK(clean);
	NC_CHECK_EQ(run(out, sizeof out, "mkdir %s && debugfs -R 'rdump / %s' %s", dump, dump, img), 0);
	char *got = manifest_host(dump, 0), *want = model_manifest(&md, 0);
	if (strcmp(got, want))
		nc_test_note("debugfs: %s", manifest_diff(want, got));
	NC_CHECK(strcmp(got, want) == 0);
	nc_test_note("%zu names, %zu bytes of data at the end", md.n, md.total_bytes);
	free(got);
	free(want);
	model_free(&md);
	tmp_remove(dir);
}

NC_TEST(fs_model, random_ops_1k) { run_model(1024, 32768, 11); }
NC_TEST(fs_model, random_ops_4k) { run_model(4096, 65536, 12); }
