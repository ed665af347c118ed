/* Journal replay of transactions written by e2fsprogs (`debugfs jo/jw/jc`, its jbd2 writer):
 * committed transactions are replayed in order (a block starting with the jbd2 magic number
 * included, which the writer escapes), an uncommitted one is not, a revoke record keeps an
 * older transaction's block from being replayed, and a read-only mount refuses to skip replay. */
#include "nc_test.h"
#include "fs_test_util.h"

#include <stdlib.h>
#include <string.h>

#define BLK 1024u
#define FIRST 3000u

typedef struct {
	char *dir;
	char img[TMP_PATH_CAP];
	uint8_t data[5][BLK];
} jt_t;

/* An empty 1 KiB-block image and five blocks of random data, one starting with the magic. */
static int setup(jt_t *t, uint64_t seed)
{
	t->dir = tmp_with("img", t->img, NULL);
	if (!t->dir)
		return -1;
	rng_t r = { seed };
	rng_fill(&r, t->data, sizeof t->data);
	memcpy(t->data[2], "\xc0\x3b\x39\x98", 4);
	for (int i = 0; i < 5; i++) {
		char path[600];
		snprintf(path, sizeof path, "%s/b%d", t->dir, i);
		if (write_host_file(path, t->data[i], BLK))
			return -1;
	}
	return make_image(t->img, BLK, 8192, NULL);
}

/* Run debugfs -w with the journal commands in cmds (one per line, %s = the temp dir). */
static int journal_cmds(jt_t *t, const char *cmds)
{
	char path[600], text[2048];
	snprintf(path, sizeof path, "%s/cmds", t->dir);
	snprintf(text, sizeof text, cmds, t->dir, t->dir, t->dir, t->dir, t->dir);
	if (write_host_file(path, text, strlen(text)))
		return -1;
	char out[4096];
	return run(out, sizeof out, "debugfs -w -f '%s' '%s'", path, t->img);
}

static bool block_is(jt_t *t, uint32_t blk, const uint8_t *want)
{
	size_t len;
	uint8_t *img = read_host_file(t->img, &len);
	bool same = img && (uint64_t)(blk + 1) * BLK <= len && memcmp(img + (size_t)blk * BLK, want, BLK) == 0;
	free(img);
	return same;
}

static nc_fs_err_t mount_and_unmount(jt_t *t, uint32_t flags)
{
	mounted_t m;
	nc_fs_err_t err = mount_file(&m, t->img, flags);
	return err ? err : unmount_file(&m);
}

static const uint8_t zero[BLK];

NC_TEST(fs_journal, replays_committed_transactions_in_order)
{
	jt_t t;
	NC_CHECK_EQ(setup(&t, 1), 0);
	/* each jw is a transaction: 3000 <- b0, 3001 <- b1, 3002 <- b2, 3001 <- b3 (the later one
	 * wins), then 3003 <- b4 without its commit block */
	NC_CHECK_EQ(journal_cmds(&t, "jo\njw -b 3000 %s/b0\njw -b 3001 %s/b1\njw -b 3002 %s/b2\njc\n"
				     "jo\njw -b 3001 %s/b3\njc\njo\njw -b 3003 -c %s/b4\njc\n"), 0);
	char out[8192];
	NC_CHECK_EQ(run(out, sizeof out, "debugfs -R logdump '%s' 2>/dev/null | grep -c 'commit block'", t.img), 0);
	if (atoi(out) != 4)
		nc_test_note("logdump: %s", out);
	NC_CHECK(atoi(out) == 4);
	NC_CHECK(block_is(&t, FIRST, zero));
	NC_CHECK_EQ(mount_and_unmount(&t, 0), NC_FS_OK);
	NC_CHECK(block_is(&t, FIRST, t.data[0]));
	NC_CHECK(block_is(&t, FIRST + 1, t.data[3]));
	NC_CHECK(block_is(&t, FIRST + 2, t.data[2]));
	NC_CHECK(block_is(&t, FIRST + 3, zero));
	bool clean = fsck_clean(t.img, out, sizeof out);
	if (!clean)
		nc_test_note("%s", out);
	NC_CHECK(clean);
	tmp_remove(t.dir);
}

NC_TEST(fs_journal, revoke_record_stops_older_block)
{
	jt_t t;
	NC_CHECK_EQ(setup(&t, 2), 0);
	char pair[600];
	snprintf(pair, sizeof pair, "%s/pair", t.dir);
	NC_CHECK_EQ(write_host_file(pair, t.data, 2 * BLK), 0);
	/* 3000 <- b0 and 3001 <- b1 in one transaction; the next one revokes 3000 */
	NC_CHECK_EQ(journal_cmds(&t, "jo\njw -b 3000,3001 %s/pair\njc\njo\njw -r 3000 /dev/null\njc\n"), 0);
	NC_CHECK_EQ(mount_and_unmount(&t, 0), NC_FS_OK);
	NC_CHECK(block_is(&t, FIRST, zero));
	NC_CHECK(block_is(&t, FIRST + 1, t.data[1]));
	char out[8192];
	NC_CHECK(fsck_clean(t.img, out, sizeof out));
	tmp_remove(t.dir);
}

NC_TEST(fs_journal, read_only_mount_needs_recovery)
{
	jt_t t;
	NC_CHECK_EQ(setup(&t, 3), 0);
	NC_CHECK_EQ(journal_cmds(&t, "jo\njw -b 3000 %s/b0\njc\n"), 0);
	NC_CHECK_EQ(mount_and_unmount(&t, NC_FS_MOUNT_READ_ONLY), NC_FS_ERR_NEEDS_RECOVERY);
	NC_CHECK(block_is(&t, FIRST, zero));
	NC_CHECK_EQ(mount_and_unmount(&t, 0), NC_FS_OK);
	NC_CHECK(block_is(&t, FIRST, t.data[0]));
	NC_CHECK_EQ(mount_and_unmount(&t, NC_FS_MOUNT_READ_ONLY), NC_FS_OK);
	tmp_remove(t.dir);
}
