# user/devmgr: the device manager (drivers for PCI functions, restarts).
$(call nc_user_prog,devmgr,user/devmgr/devmgr.c,drvpkg wire crypto sodium_nc blake3_nc)
NC_INITRD_FILES += $(B)/user/bin/devmgr
NC_TEST_INITRD_FILES += $(B)/user/bin/devmgr
