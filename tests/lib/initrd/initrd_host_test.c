#define _DEFAULT_SOURCE /* mkdtemp */
/* lib/initrd against archives written by GNU tar (an independent writer),
 * then corrupted one field at a time. Host only: runs tar in a temp dir. */
#include "nc_test.h"
#include <nc/initrd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *archive;
static size_t archive_len;

/* Build once: dir/a.txt "alpha\n", b.bin (1000 bytes of 'b'), an empty file and a long path. */
static int make_archive(void)
{
	if (archive)
		return 0;
	char dir[] = "/tmp/nc_initrd_XXXXXX";
	if (!mkdtemp(dir))
		return -1;
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "cd %s && mkdir -p src/dir src/deep/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb && printf 'alpha\\n' > src/dir/a.txt && "
		 "head -c 1000 /dev/zero | tr '\\0' b > src/b.bin && : > src/empty && "
		 "echo deep > src/deep/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/f.txt && "
		 "tar --format=ustar -cf out.tar -C src . ", dir);
	if (system(cmd) != 0)
		return -1;
	snprintf(cmd, sizeof cmd, "%s/out.tar", dir);
	FILE *f = fopen(cmd, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	archive_len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	archive = malloc(archive_len);
	size_t got = fread(archive, 1, archive_len, f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0 || got != archive_len)
		return -1;
	return 0;
}

NC_TEST(initrd, finds_files_written_by_tar)
{
	NC_CHECK_EQ(make_archive(), 0);
	nc_initrd_entry_t e;
	NC_CHECK_EQ(nc_initrd_find(archive, archive_len, "dir/a.txt", &e), NC_INITRD_OK);
	NC_CHECK_EQ(e.size_bytes, 6);
	NC_CHECK(memcmp(e.data, "alpha\n", 6) == 0);
	NC_CHECK_EQ(nc_initrd_find(archive, archive_len, "b.bin", &e), NC_INITRD_OK);
	NC_CHECK_EQ(e.size_bytes, 1000);
	NC_CHECK(e.data[0] == 'b' && e.data[999] == 'b');
	NC_CHECK_EQ(nc_initrd_find(archive, archive_len, "empty", &e), NC_INITRD_OK);
	NC_CHECK_EQ(e.size_bytes, 0);
	NC_CHECK_EQ(nc_initrd_find(archive, archive_len,
				   "deep/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"
				   "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/f.txt", &e),
		    NC_INITRD_OK);
	NC_CHECK_EQ(nc_initrd_find(archive, archive_len, "dir", &e), NC_INITRD_ERR_NOT_FOUND);
	NC_CHECK_EQ(nc_initrd_find(archive, archive_len, "nope", &e), NC_INITRD_ERR_NOT_FOUND);
}

NC_TEST(initrd, iteration_lists_dirs_and_files)
{
	NC_CHECK_EQ(make_archive(), 0);
	nc_initrd_iter_t it;
	nc_initrd_entry_t e;
	int files = 0, dirs = 0;
	nc_initrd_iter_init(&it, archive, archive_len);
	nc_initrd_err_t err;
	while ((err = nc_initrd_next(&it, &e)) == NC_INITRD_OK)
		e.kind == NC_INITRD_DIR ? dirs++ : files++;
	NC_CHECK_EQ(err, NC_INITRD_END);
	NC_CHECK_EQ(files, 4);
	NC_CHECK_EQ(dirs, 5); /* ".", dir, deep, deep/a..., deep/a.../b... */
}

NC_TEST(initrd, corruption_is_reported)
{
	NC_CHECK_EQ(make_archive(), 0);
	unsigned char *copy = malloc(archive_len);
	nc_initrd_entry_t e;
	memcpy(copy, archive, archive_len);
	copy[0] ^= 1; /* name byte: checksum no longer matches */
	NC_CHECK_EQ(nc_initrd_find(copy, archive_len, "b.bin", &e), NC_INITRD_ERR_CHECKSUM);
	memcpy(copy, archive, archive_len);
	memcpy(copy + 257, "xxxxx", 5);
	NC_CHECK_EQ(nc_initrd_find(copy, archive_len, "b.bin", &e), NC_INITRD_ERR_FORMAT);
	/* cut inside the last file's data: every prefix is either fine or reports truncation */
	int truncated = 0;
	for (size_t cut = 1; cut < archive_len; cut += 97) {
		nc_initrd_err_t err = nc_initrd_find(archive, cut, "zzz", &e);
		NC_CHECK(err == NC_INITRD_ERR_NOT_FOUND || err == NC_INITRD_ERR_TRUNCATED);
		truncated += err == NC_INITRD_ERR_TRUNCATED;
	}
	NC_CHECK(truncated > 0);
	free(copy);
}
