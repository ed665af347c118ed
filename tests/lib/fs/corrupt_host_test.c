/* Malformed images: one field at a time is broken in an image made by mke2fs (with debugfs's
 * set_super_value, set_inode_field, set_bg, freeb, or a raw byte patch), and lib/fs must give the
 * named error at mount or at the operation that meets the field -- and leave the image as it was
 * when the operation fails. */
#include "nc_test.h"
#include "fs_test_util.h"

#include <stdlib.h>
#include <string.h>

typedef enum { OP_MOUNT, OP_MOUNT_RO, OP_READ, OP_UNLINK, OP_CREATE } op_t;

typedef struct {
	const char *name;
	const char *debugfs;        /* debugfs -w command (NULL: none) */
	const char *patch_of;       /* "FILE BLOCK OFFSET BYTES": raw patch of FILE's logical BLOCK */
	op_t op;
	const char *path;
	nc_fs_err_t want;
} case_t;

static const case_t cases[] = {
	{ "bad magic", NULL, "@ 1 56 0000", OP_MOUNT, NULL, NC_FS_ERR_BAD_SUPER },
	{ "8 KiB blocks", "ssv log_block_size 3", NULL, OP_MOUNT, NULL, NC_FS_ERR_UNSUPPORTED },
	{ "absurd block size", "ssv log_block_size 9", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_SUPER },
	{ "no inodes per group", "ssv inodes_per_group 0", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_SUPER },
	{ "first data block", "ssv first_data_block 0", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_SUPER },
	{ "blocks past the device", "ssv blocks_count 9999999", NULL, OP_MOUNT, NULL, NC_FS_ERR_DEVICE_SMALL },
	{ "inode size", "ssv inode_size 100", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_SUPER },
	{ "reserved gdt", "ssv reserved_gdt_blocks 5000", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_SUPER },
	{ "extents", "feature extent", NULL, OP_MOUNT, NULL, NC_FS_ERR_UNSUPPORTED },
	{ "64bit", "feature 64bit", NULL, OP_MOUNT, NULL, NC_FS_ERR_UNSUPPORTED },
	{ "metadata_csum rw", "feature metadata_csum", NULL, OP_MOUNT, NULL, NC_FS_ERR_UNSUPPORTED },
	{ "metadata_csum ro", "feature metadata_csum", NULL, OP_MOUNT_RO, NULL, NC_FS_OK },
	{ "inode table outside", "set_bg 0 inode_table 99999", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_GROUP },
	{ "bitmap on inode table", "set_bg 0 block_bitmap 40", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_GROUP },
	{ "free blocks count", "set_bg 0 free_blocks_count 60000", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_GROUP },
	{ "journal not a file", "sif <8> mode 040755", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_JOURNAL },
	{ "journal too small", "sif <8> size 4096", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_JOURNAL },
	{ "journal hole", "sif <8> block[3] 0", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_JOURNAL },
	{ "journal magic", NULL, "<8> 0 0 00000000", OP_MOUNT, NULL, NC_FS_ERR_BAD_JOURNAL },
	{ "journal block size", NULL, "<8> 0 12 00000800", OP_MOUNT, NULL, NC_FS_ERR_BAD_JOURNAL },
	{ "journal start past end", NULL, "<8> 0 28 7fffffff", OP_MOUNT, NULL, NC_FS_ERR_BAD_JOURNAL },
	{ "journal csum v3", NULL, "<8> 0 40 00000010", OP_MOUNT, NULL, NC_FS_ERR_UNSUPPORTED },
	{ "orphan list head", "ssv last_orphan 3", NULL, OP_MOUNT, NULL, NC_FS_ERR_BAD_ORPHAN },
	{ "root not a directory", "sif <2> mode 0100644", NULL, OP_READ, "/a/f", NC_FS_ERR_BAD_INODE },
	{ "block past the end", "sif /a/f block[0] 0xfffffff0", NULL, OP_READ, "/a/f", NC_FS_ERR_BAD_BLOCK },
	{ "block in the inode table", "sif /a/f block[0] 40", NULL, OP_READ, "/a/f", NC_FS_ERR_BAD_BLOCK },
	{ "indirect pointer", NULL, "/a/big IND 8 00ffffff", OP_READ, "/a/big", NC_FS_ERR_BAD_BLOCK },
	{ "extents flag", "sif /a/f flags 0x80000", NULL, OP_READ, "/a/f", NC_FS_ERR_UNSUPPORTED },
	{ "inode type", "sif /a/f mode 0170644", NULL, OP_READ, "/a/f", NC_FS_ERR_BAD_INODE },
	{ "directory size", "sif /a size 1000", NULL, OP_READ, "/a/f", NC_FS_ERR_BAD_INODE },
	{ "rec_len 0", NULL, "/a 0 4 0000", OP_READ, "/a/f", NC_FS_ERR_BAD_DIR },
	{ "rec_len past block", NULL, "/a 0 16 f00f", OP_READ, "/a/f", NC_FS_ERR_BAD_DIR },
	{ "name_len past rec_len", NULL, "/a 0 6 ff", OP_READ, "/a/f", NC_FS_ERR_BAD_DIR },
	{ "entry names a free inode", "sif /a/f links_count 0", NULL, OP_READ, "/a/f", NC_FS_ERR_BAD_DIR },
	{ "block marked free", "freeb 2000", NULL, OP_UNLINK, "/a/f", NC_FS_ERR_BAD_BITMAP },
	{ "xattr block magic", "sif /a/f file_acl 2001", NULL, OP_UNLINK, "/a/f", NC_FS_ERR_BAD_XATTR },
};

static char *base_dir;
static char base_img[512];

/* /a/f: one block (moved to block 2000 below), /a/big: with an indirect block. */
static int make_base(void)
{
	if (base_dir)
		return 0;
	base_dir = tmp_make();
	if (!base_dir)
		return -1;
	char out[4096];
	snprintf(base_img, sizeof base_img, "%s/base", base_dir);
	if (run(out, sizeof out, "cd %s && mkdir -p src/a && echo hello > src/a/f && head -c 100000 /dev/zero | "
			       "tr '\\0' x > src/a/big", base_dir))
		return -1;
	char src[600];
	snprintf(src, sizeof src, "%s/src", base_dir);
	if (make_image(base_img, 1024, 8192, src))
		return -1;
	/* put /a/f's data at block 2000 (a known free block) and block 2001 free for the xattr case */
	return run(out, sizeof out, "cd %s && debugfs -R 'cat /a/f' base > f.data 2>/dev/null && "
				    "debugfs -w -R 'setb 2000' base && debugfs -w -R 'sif /a/f block[0] 2000' base && "
				    "dd if=f.data of=base bs=1024 seek=2000 conv=notrunc status=none",
		   base_dir);
}

/* Patch "FILE WHERE OFFSET HEX" into the image: WHERE is a logical block of FILE, or IND for its
 * single indirect block; FILE "@": WHERE is a block of the device. */
static int patch(const char *img, const char *spec)
{
	char file[256], where[16], hex[64], out[8192];
	unsigned off;
	if (sscanf(spec, "%255s %15s %u %63s", file, where, &off, hex) != 4)
		return -1;
	unsigned long blk = 0;
	if (!strcmp(file, "@")) {
		blk = strtoul(where, NULL, 10);
	} else if (!strcmp(where, "IND")) {
		if (run(out, sizeof out, "debugfs -R 'stat %s' '%s' 2>/dev/null", file, img))
			return -1;
		char *ind = strstr(out, "(IND):");
		blk = ind ? strtoul(ind + 6, NULL, 10) : 0;
	} else {
		if (run(out, sizeof out, "debugfs -R 'bmap %s %s' '%s' 2>/dev/null", file, where, img))
			return -1;
		blk = strtoul(out, NULL, 10);
	}
	if (blk == 0)
		return -1;
	return run(out, sizeof out, "printf '%s' | xxd -r -p | dd of='%s' bs=1 seek=%lu conv=notrunc status=none", hex, img,
		   blk * 1024 + off);
}

static nc_fs_err_t apply(const case_t *c, nc_fs_t *fs)
{
	nc_fs_node_t n;
	char buf[200000];
	size_t got;
	nc_fs_err_t err;
	switch (c->op) {
	case OP_READ:
		err = nc_fs_lookup(fs, c->path, strlen(c->path), &n);
		return err ? err : nc_fs_read(fs, n, 0, buf, sizeof buf, &got);
	case OP_UNLINK:
		return nc_fs_unlink(fs, c->path, strlen(c->path));
	case OP_CREATE:
		return nc_fs_create(fs, c->path, strlen(c->path), 0644, 0, &n);
	default:
		return NC_FS_OK;
	}
}

NC_TEST(fs_corrupt, named_errors)
{
	NC_CHECK_EQ(make_base(), 0);
	char img[600], out[8192];
	snprintf(img, sizeof img, "%s/img", base_dir);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const case_t *c = &cases[i];
		NC_CHECK_EQ(run(out, sizeof out, "cp '%s' '%s'", base_img, img), 0);
		if (c->debugfs) {
			NC_CHECK_EQ(run(out, sizeof out, "debugfs -w -R '%s' '%s'", c->debugfs, img), 0);
			char complaint[32];
			snprintf(complaint, sizeof complaint, "\n%.*s:", (int)strcspn(c->debugfs, " "), c->debugfs);
			if (strstr(out, complaint))
				nc_test_note("%s: debugfs: %s", c->name, out);
			NC_CHECK(!strstr(out, complaint));
		}
		if (c->patch_of)
			NC_CHECK_EQ(patch(img, c->patch_of), 0);
		mounted_t m;
		nc_fs_err_t err = mount_file(&m, img, c->op == OP_MOUNT_RO ? NC_FS_MOUNT_READ_ONLY : 0);
		if (!err) {
			err = apply(c, m.fs);
			nc_fs_err_t uerr = unmount_file(&m);
			if (!err)
				err = uerr;
		}
		if (err != c->want)
			nc_test_note("%s: got %s, want %s", c->name, nc_fs_err_name(err), nc_fs_err_name(c->want));
		NC_CHECK_EQ(err, c->want);
	}
}

/* Freeing a block the bitmap already shows free is refused (BAD_BITMAP) and rolled back: the
 * name is gone (that step had committed), the inode stays on the orphan list with its block, the
 * free counts do not move, and everything else keeps working, also after a remount. */
NC_TEST(fs_corrupt, refused_free_keeps_file_system_usable)
{
	NC_CHECK_EQ(make_base(), 0);
	char img[600], out[8192];
	snprintf(img, sizeof img, "%s/img2", base_dir);
	NC_CHECK_EQ(run(out, sizeof out, "cp '%s' '%s' && debugfs -w -R 'freeb 2000' '%s'", base_img, img, img), 0);
	mounted_t m;
	NC_CHECK_EQ(mount_file(&m, img, 0), NC_FS_OK);
	nc_fs_statfs_t before, after;
	NC_CHECK_EQ(nc_fs_statfs(m.fs, &before), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_unlink(m.fs, "/a/f", 4), NC_FS_ERR_BAD_BITMAP);
	NC_CHECK_EQ(nc_fs_statfs(m.fs, &after), NC_FS_OK);
	NC_CHECK_EQ(after.free_blocks, before.free_blocks);
	NC_CHECK_EQ(after.free_inodes, before.free_inodes);
	nc_fs_node_t n;
	NC_CHECK_EQ(nc_fs_lookup(m.fs, "/a/f", 4, &n), NC_FS_ERR_NOT_FOUND);
	NC_CHECK_EQ(nc_fs_mkdir(m.fs, "/c", 2, 0755, NULL), NC_FS_OK);
	NC_CHECK_EQ(unmount_file(&m), NC_FS_OK);
	NC_CHECK_EQ(mount_file(&m, img, 0), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_lookup(m.fs, "/c", 2, &n), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_lookup(m.fs, "/a/big", 6, &n), NC_FS_OK);
	NC_CHECK_EQ(unmount_file(&m), NC_FS_OK);
}

/* An htree index with a broken root: names are still found (linear search) and a new name is
 * added after dropping the index flag, which e2fsck accepts. */
NC_TEST(fs_corrupt, broken_htree_falls_back_to_linear)
{
	char img[TMP_PATH_CAP], out[8192];
	char *dir = tmp_with("img", img, NULL);
	NC_CHECK(dir);
	NC_CHECK_EQ(run(out, sizeof out, "mkdir %s/src && cd %s/src && for i in $(seq 1 300); do echo $i > name_$i; done",
			dir, dir), 0);
	char src[600];
	snprintf(src, sizeof src, "%s/src", dir);
	NC_CHECK_EQ(make_image(img, 1024, 8192, src), 0);
	NC_CHECK(run(out, sizeof out, "mkdir %s/d && e2fsck -fyD '%s'", dir, img) <= 1);
	NC_CHECK_EQ(run(out, sizeof out, "debugfs -R 'htree /' '%s' 2>/dev/null | grep -c 'Entry #'", img), 0);
	NC_CHECK_EQ(patch(img, "/ 0 32 0100"), 0); /* the root's limit */
	mounted_t m;
	NC_CHECK_EQ(mount_file(&m, img, 0), NC_FS_OK);
	nc_fs_node_t n;
	char buf[16];
	size_t got;
	NC_CHECK_EQ(nc_fs_lookup(m.fs, "/name_277", 9, &n), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_read(m.fs, n, 0, buf, sizeof buf, &got), NC_FS_OK);
	NC_CHECK(got == 4 && memcmp(buf, "277\n", 4) == 0);
	NC_CHECK_EQ(nc_fs_create(m.fs, "/new", 4, 0644, NC_FS_CREATE_EXCLUSIVE, &n), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_lookup(m.fs, "/name_3", 7, &n), NC_FS_OK);
	NC_CHECK_EQ(unmount_file(&m), NC_FS_OK);
	bool clean = fsck_clean(img, out, sizeof out);
	if (!clean)
		nc_test_note("%s", out);
	NC_CHECK(clean);
	tmp_remove(dir);
}
