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

/* Run the shell command cmd (which makes out.tar) in a fresh temp dir and read
 * out.tar into a malloc'ed buffer; NULL on failure. */
static unsigned char *tar_archive(const char *cmd, size_t *len)
{
	char dir[] = "/tmp/nc_initrd_XXXXXX";
	if (!mkdtemp(dir))
		return NULL;
	char line[1024];
	snprintf(line, sizeof line, "cd %s && %s", dir, cmd);
	unsigned char *buf = NULL;
	FILE *f = NULL;
	if (system(line) == 0) {
		snprintf(line, sizeof line, "%s/out.tar", dir);
		f = fopen(line, "rb");
	}
	if (f) {
		fseek(f, 0, SEEK_END);
		*len = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc(*len);
		if (buf && fread(buf, 1, *len, f) != *len) {
			free(buf);
			buf = NULL;
		}
		fclose(f);
	}
	snprintf(line, sizeof line, "rm -rf %s", dir);
	if (system(line) != 0) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/* Build once: dir/a.txt "alpha\n", b.bin (1000 bytes of 'b'), an empty file and a long path. */
static int make_archive(void)
{
	if (!archive)
		archive = tar_archive(
			"mkdir -p src/dir src/deep/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"
			"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb && printf 'alpha\\n' > src/dir/a.txt && "
			"head -c 1000 /dev/zero | tr '\\0' b > src/b.bin && : > src/empty && "
			"echo deep > src/deep/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"
			"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/f.txt && "
			"tar --format=ustar -cf out.tar -C src . ", &archive_len);
	return archive ? 0 : -1;
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

/* The longest ustar path: a 155-byte prefix, "/", a 100-byte name (256 bytes)
 * and its NUL must all fit in the entry's name. */
NC_TEST(initrd, longest_ustar_path_fits)
{
	char dir[156], file[101], path[258];
	memset(dir, 'p', 155);
	dir[51] = dir[103] = '/'; /* three components: the prefix is split at a slash */
	dir[155] = 0;
	memset(file, 'f', 100);
	file[100] = 0;
	snprintf(path, sizeof path, "%s/%s", dir, file);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "mkdir -p src/%s && echo x > src/%s && tar --format=ustar -cf out.tar -C src %s",
		 dir, path, path);
	size_t len = 0;
	unsigned char *tar = tar_archive(cmd, &len);
	NC_CHECK(tar != NULL);
	NC_CHECK_EQ(strnlen((const char *)tar + 345, 155), 155); /* tar filled the prefix... */
	NC_CHECK_EQ(strnlen((const char *)tar, 100), 100);      /* ...and the name field */
	nc_initrd_entry_t e;
	nc_initrd_iter_t it;
	nc_initrd_iter_init(&it, tar, len);
	nc_initrd_err_t err = nc_initrd_next(&it, &e);
	free(tar);
	NC_CHECK_EQ(err, NC_INITRD_OK);
	NC_CHECK(strnlen(e.name, sizeof e.name) < sizeof e.name); /* NUL inside name[] */
	NC_CHECK_STR(e.name, path);
	NC_CHECK_EQ(e.size_bytes, 2);
}

/* Names are reported without a leading "./" or "/" in any mix (found by
 * initrd_fuzz: "/./x" came out as "./x"). GNU tar keeps such names with -P. */
NC_TEST(initrd, leading_dot_slash_mixes_are_stripped)
{
	size_t len = 0;
	unsigned char *tar = tar_archive("echo hi > x && echo ho > y && tar --format=ustar -P "
					 "--transform 's,^x$,/./x,;s,^y$,.//./y,' -cf out.tar x y", &len);
	NC_CHECK(tar != NULL);
	NC_CHECK(memcmp(tar, "/./x", 5) == 0); /* tar kept the name as given */
	nc_initrd_iter_t it;
	nc_initrd_entry_t x, y, end;
	nc_initrd_iter_init(&it, tar, len);
	nc_initrd_err_t ex = nc_initrd_next(&it, &x), ey = nc_initrd_next(&it, &y);
	nc_initrd_err_t ee = nc_initrd_next(&it, &end);
	free(tar);
	NC_CHECK(ex == NC_INITRD_OK && ey == NC_INITRD_OK && ee == NC_INITRD_END);
	NC_CHECK_STR(x.name, "x");
	NC_CHECK_STR(y.name, "y");
}
