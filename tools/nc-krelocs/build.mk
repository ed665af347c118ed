# tools/nc-krelocs: the kernel image's relocation table (lib/kreloc) from a
# kernel linked with --emit-relocs (kernel/build.mk runs it).
$(call nc_host_prog,nc-krelocs,tools/nc-krelocs/main.c,kreloc base,rel)
NC_SCRIPT_TESTS += tests/tools/nc-krelocs/nc_krelocs_test.sh
NC_TEST_DEPS += $(B)/rel/bin/nc-krelocs
