# tests/user/drivers: what the drivers boot (tests/user/drivers_qemu_test.sh)
# adds to the test initrd; user/drivers/build.mk (included after this file)
# builds the program and signs the packages. Test packages end in .tpkg, so
# devmgr, which loads every *.pkg, leaves them to the tests:
#   dmatest.tpkg    the dmatest driver, signed with the build's key
#   badbar.tpkg     the NVMe driver with a manifest claiming BAR 5
#   untrusted.tpkg  the NVMe driver signed with a key the kernel does not trust
#   badelf.tpkg     a trusted package for the NVMe controller whose image is no ELF file
DMATEST_SRCS := tests/user/drivers/dmatest.c user/drivers/nvme/controller.c $(NC_TEST_USER_SRCS)
NC_UNTRUSTED_KEY := $(B)/keys/untrusted-test.key
$(NC_UNTRUSTED_KEY): | $(B)/rel/bin/nc-pkg
	@mkdir -p $(dir $@)
	$(Q)$(B)/rel/bin/nc-pkg keygen --out $@
NC_TEST_INITRD_FILES += $(B)/drivers/dmatest.tpkg $(B)/drivers/badbar.tpkg $(B)/drivers/untrusted.tpkg \
	$(B)/drivers/badelf.tpkg
