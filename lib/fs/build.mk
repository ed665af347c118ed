# lib/fs: the ext3 file system library (ext2 layout, jbd2 journal), freestanding.
NC_FS_SRC := $(addprefix lib/fs/,env.c buf.c txn.c journal.c replay.c super.c alloc.c inode.c bmap.c \
	shrink.c dir.c hash.c htree.c namei.c ops.c file.c mount.c err.c)
$(call nc_lib,fs,$(NC_FS_SRC),host rel user)
