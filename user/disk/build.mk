# user/disk: raw block device access from the shell (dd-like).
$(call nc_user_prog,blk,user/disk/blk.c,args)
NC_INITRD_FILES += $(B)/user/bin/blk
NC_TEST_INITRD_FILES += $(B)/user/bin/blk
