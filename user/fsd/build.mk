# user/fsd: the file-system service (lib/fs over the block service, served at /disk).
$(call nc_user_prog,fsd,user/fsd/main.c user/fsd/blkdev.c user/fsd/serve.c,fs)
NC_INITRD_FILES += $(B)/user/bin/fsd
NC_TEST_INITRD_FILES += $(B)/user/bin/fsd
