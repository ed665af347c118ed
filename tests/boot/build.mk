NC_SCRIPT_TESTS += tests/boot/boot_test.sh
NC_TEST_DEPS += $(B)/esp.img $(B)/esp-test.img $(B)/esp-fair.img
