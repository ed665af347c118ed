# The desktop in QEMU: one boot of the plain image with init running `desktop test`.
NC_SCRIPT_TESTS += tests/user/desktop/desktop_qemu_test.sh
NC_TEST_DEPS += $(B)/esp.img $(B)/host/bin/font_ref_render
