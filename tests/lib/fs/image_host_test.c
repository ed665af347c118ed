/* lib/fs reading images that e2fsprogs wrote: a seeded tree copied in by `mke2fs -t ext3 -d`
 * (1 KiB and 4 KiB blocks) reads back equal to the source, file by file, also after
 * `e2fsck -fD` has turned its large directories into htree indexes. */
#include "nc_test.h"
#include "fs_test_util.h"

#include <stdlib.h>
#include <string.h>

static void check_reads(uint32_t block_bytes, uint64_t seed, uint64_t sparse_at)
{
	char src[TMP_PATH_CAP], img[TMP_PATH_CAP], out[8192];
	char *dir = tmp_with("src", src, "img", img, NULL);
	NC_CHECK(dir);
	NC_CHECK_EQ(run(NULL, 0, "mkdir -p '%s'", src), 0);
	gen_tree(src, seed, 40, sparse_at);
	NC_CHECK_EQ(make_image(img, block_bytes, 16384, src), 0);
	char *want = manifest_host(src, MANIFEST_LINKS);
	for (int indexed = 0; indexed < 2; indexed++) {
		if (indexed) {
			NC_CHECK(run(out, sizeof out, "e2fsck -fyD '%s'", img) <= 1);
			NC_CHECK_EQ(run(out, sizeof out, "debugfs -R 'htree /many' '%s' | grep -c 'Entry #'", img), 0);
		}
		mounted_t m;
		NC_CHECK_EQ(mount_file(&m, img, NC_FS_MOUNT_READ_ONLY), NC_FS_OK);
		nc_fs_err_t err;
		char *got = manifest_fs(m.fs, MANIFEST_LINKS, &err);
		NC_CHECK_EQ(unmount_file(&m), NC_FS_OK);
		NC_CHECK_EQ(err, NC_FS_OK);
		if (strcmp(want, got) != 0)
			nc_test_note("%s", manifest_diff(want, got));
		NC_CHECK(strcmp(want, got) == 0);
		free(got);
	}
	free(want);
	tmp_remove(dir);
}

/* 1 KiB: the sparse file's tail needs the triple indirect block (past 12 + 256 + 65536 blocks);
 * 4 KiB: the double indirect one (past 12 + 1024 blocks). */
NC_TEST(fs_image, mke2fs_tree_reads_back_1k) { check_reads(1024, 1, 66ull << 20); }
NC_TEST(fs_image, mke2fs_tree_reads_back_4k) { check_reads(4096, 2, 5ull << 20); }
