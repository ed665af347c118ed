/* nc-fs: inspect and change an ext3 image on the host with lib/fs.
 *
 *   nc-fs [-r] IMAGE ls PATH          entries: type, inode, size, name
 *   nc-fs [-r] IMAGE stat PATH        the inode's figures
 *   nc-fs [-r] IMAGE cat PATH         the file's bytes on stdout
 *   nc-fs [-r] IMAGE df               block and inode counts
 *   nc-fs IMAGE put HOSTFILE PATH     create or replace PATH with HOSTFILE's bytes
 *   nc-fs IMAGE append HOSTFILE PATH  add HOSTFILE's bytes at PATH's end
 *   nc-fs IMAGE mkdir PATH | rmdir PATH | rm PATH | truncate PATH SIZE
 *   nc-fs IMAGE mv FROM TO | ln FROM TO
 *
 * -r mounts read-only. Exit status 0 on success, 1 with "nc-fs: <error name>" otherwise. */
#include "host_dev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	nc_fs_t *fs;
	int argc;
	char **argv;
} cmd_t;

static size_t slen(const char *s) { return strlen(s); }

static nc_fs_err_t lookup(cmd_t *c, int i, nc_fs_node_t *n)
{
	return nc_fs_lookup(c->fs, c->argv[i], slen(c->argv[i]), n);
}

static const char *type_name(nc_fs_type_t t)
{
	switch (t) {
	case NC_FS_TYPE_FILE: return "file";
	case NC_FS_TYPE_DIR: return "dir";
	case NC_FS_TYPE_SYMLINK: return "symlink";
	default: return "other";
	}
}

static nc_fs_err_t cmd_ls(cmd_t *c)
{
	nc_fs_node_t dir;
	nc_fs_err_t err = lookup(c, 0, &dir);
	uint64_t cookie = 0;
	bool end = false;
	while (!err) {
		nc_fs_dirent_t e;
		err = nc_fs_read_dir(c->fs, dir, &cookie, &e, &end);
		if (err || end)
			break;
		printf("%-7s %8u %s\n", type_name(e.type), e.ino, e.name);
	}
	return err;
}

static nc_fs_err_t cmd_stat(cmd_t *c)
{
	nc_fs_node_t n;
	nc_fs_stat_t st;
	nc_fs_err_t err = lookup(c, 0, &n);
	if (!err)
		err = nc_fs_stat(c->fs, n, &st);
	if (!err)
		printf("inode %u\ntype %s\nmode %04o\nlinks %u\nuid %u\ngid %u\nsize %llu\nblocks_bytes %llu\n"
		       "atime_ns %llu\nmtime_ns %llu\nctime_ns %llu\n",
		       st.node.ino, type_name(st.type), st.mode, st.n_links, st.uid, st.gid,
		       (unsigned long long)st.size_bytes, (unsigned long long)st.blocks_bytes,
		       (unsigned long long)st.atime_ns, (unsigned long long)st.mtime_ns,
		       (unsigned long long)st.ctime_ns);
	return err;
}

static nc_fs_err_t cmd_cat(cmd_t *c)
{
	nc_fs_node_t n;
	nc_fs_err_t err = lookup(c, 0, &n);
	static char buf[1 << 16];
	for (uint64_t off = 0; !err;) {
		size_t got;
		err = nc_fs_read(c->fs, n, off, buf, sizeof(buf), &got);
		if (err || got == 0)
			break;
		fwrite(buf, 1, got, stdout);
		off += got;
	}
	return err;
}

static nc_fs_err_t cmd_df(cmd_t *c)
{
	nc_fs_statfs_t s;
	nc_fs_err_t err = nc_fs_statfs(c->fs, &s);
	if (!err)
		printf("block_bytes %u\nblocks %llu\nfree_blocks %llu\navail_blocks %llu\ninodes %llu\n"
		       "free_inodes %llu\n", s.block_bytes, (unsigned long long)s.total_blocks,
		       (unsigned long long)s.free_blocks, (unsigned long long)s.avail_blocks,
		       (unsigned long long)s.total_inodes, (unsigned long long)s.free_inodes);
	return err;
}

/* Copy the host file argv[0] into argv[1], replacing it (put) or at its end (append). */
static nc_fs_err_t copy_in(cmd_t *c, bool append)
{
	FILE *f = fopen(c->argv[0], "rb");
	if (!f) {
		perror(c->argv[0]);
		return NC_FS_ERR_INVALID;
	}
	nc_fs_node_t n;
	nc_fs_err_t err = nc_fs_create(c->fs, c->argv[1], slen(c->argv[1]), 0644, 0, &n);
	if (!err && !append)
		err = nc_fs_truncate(c->fs, n, 0);
	static char buf[1 << 16];
	size_t got;
	while (!err && (got = fread(buf, 1, sizeof(buf), f)) > 0) {
		size_t put;
		err = nc_fs_append(c->fs, n, buf, got, &put);
	}
	fclose(f);
	return err;
}

static nc_fs_err_t cmd_put(cmd_t *c) { return copy_in(c, false); }
static nc_fs_err_t cmd_append(cmd_t *c) { return copy_in(c, true); }

static nc_fs_err_t cmd_mkdir(cmd_t *c)
{
	return nc_fs_mkdir(c->fs, c->argv[0], slen(c->argv[0]), 0755, NULL);
}

static nc_fs_err_t cmd_rmdir(cmd_t *c) { return nc_fs_rmdir(c->fs, c->argv[0], slen(c->argv[0])); }
static nc_fs_err_t cmd_rm(cmd_t *c) { return nc_fs_unlink(c->fs, c->argv[0], slen(c->argv[0])); }

static nc_fs_err_t cmd_mv(cmd_t *c)
{
	return nc_fs_rename(c->fs, c->argv[0], slen(c->argv[0]), c->argv[1], slen(c->argv[1]));
}

static nc_fs_err_t cmd_ln(cmd_t *c)
{
	return nc_fs_link(c->fs, c->argv[0], slen(c->argv[0]), c->argv[1], slen(c->argv[1]));
}

static nc_fs_err_t cmd_truncate(cmd_t *c)
{
	nc_fs_node_t n;
	nc_fs_err_t err = lookup(c, 0, &n);
	return err ? err : nc_fs_truncate(c->fs, n, strtoull(c->argv[1], NULL, 0));
}

static const struct {
	const char *name;
	int n_args;
	bool writes;
	nc_fs_err_t (*fn)(cmd_t *c);
} commands[] = {
	{ "ls", 1, false, cmd_ls },       { "stat", 1, false, cmd_stat },   { "cat", 1, false, cmd_cat },
	{ "df", 0, false, cmd_df },       { "put", 2, true, cmd_put },      { "append", 2, true, cmd_append },
	{ "mkdir", 1, true, cmd_mkdir },  { "rmdir", 1, true, cmd_rmdir },  { "rm", 1, true, cmd_rm },
	{ "mv", 2, true, cmd_mv },        { "ln", 2, true, cmd_ln },        { "truncate", 2, true, cmd_truncate },
};

static int usage(void)
{
	fprintf(stderr, "usage: nc-fs [-r] IMAGE ls|stat|cat PATH | df | put|append HOSTFILE PATH | "
			"mkdir|rmdir|rm PATH | mv|ln FROM TO | truncate PATH SIZE\n");
	return 2;
}

int main(int argc, char **argv)
{
	bool read_only = argc > 1 && strcmp(argv[1], "-r") == 0;
	int a = read_only ? 2 : 1;
	if (argc - a < 2)
		return usage();
	const char *image = argv[a], *name = argv[a + 1];
	int i = 0, n = (int)(sizeof(commands) / sizeof(commands[0]));
	while (i < n && strcmp(commands[i].name, name) != 0)
		i++;
	if (i == n || argc - a - 2 != commands[i].n_args || (read_only && commands[i].writes))
		return usage();
	host_dev_t dev;
	if (!host_dev_open(&dev, image, read_only, 512)) {
		perror(image);
		return 1;
	}
	host_alloc_t alloc = { .fail_after = -1 };
	nc_fs_config_t cfg = host_fs_config(&dev, &alloc, read_only ? NC_FS_MOUNT_READ_ONLY : 0);
	cmd_t c = { .argc = argc - a - 2, .argv = argv + a + 2 };
	nc_fs_err_t err = nc_fs_mount(&cfg, &c.fs);
	if (!err) {
		err = commands[i].fn(&c);
		nc_fs_err_t uerr = nc_fs_unmount(c.fs);
		if (!err)
			err = uerr;
	}
	host_dev_close(&dev);
	if (err) {
		fprintf(stderr, "nc-fs: %s\n", nc_fs_err_name(err));
		return 1;
	}
	return 0;
}
