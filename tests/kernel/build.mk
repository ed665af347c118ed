# tests/kernel: the in-kernel tests are linked into nexacore-test.elf by
# kernel/build.mk; here only the check that the allocation hooks stay there.
NC_SCRIPT_TESTS += tests/kernel/alloc_hook_test.sh
NC_TEST_DEPS += $(B)/kernel/nexacore.elf $(B)/kernel/nexacore-test.elf
# Measured boot, sealing across reboots, quotes verified on the host (three boots).
NC_SCRIPT_TESTS += tests/kernel/tee_qemu_test.sh
NC_TEST_DEPS += $(B)/esp.img $(B)/rel/bin/nc-tee
# KASLR: three boots of the plain image get three layouts (image base included).
NC_SCRIPT_TESTS += tests/kernel/kaslr_test.sh
