# tests/lib/ncs: ncScript unit tests. The freestanding-clean tests (no libc) are in
# ncs_test; *_host_test.c use libc oracles (strtod, printf) and run in ncs_host_test.
NC_NCS_TEST_SRC := $(addprefix tests/lib/ncs/,ncs_test_support.c seed_test.c language_test.c errors_test.c limits_test.c effects_test.c modules_test.c stdlib_test.c numfmt_test.c fuzz_regress_test.c repl_test.c modcaps_test.c sort_by_test.c map_test.c bits_test.c net_fetch_test.c)
$(call nc_host_test,ncs_test,$(NC_NCS_TEST_SRC),ncs http inet scope)
$(call nc_host_test,ncs_host_test,tests/lib/ncs/numfmt_host_test.c,ncs http inet scope)
NC_SCRIPT_TESTS += tests/lib/ncs/ncs_link_test.sh
NC_TEST_DEPS += build/user/lib/libncs.a build/user/lib/libhttp.a build/user/lib/libinet.a build/user/lib/libscope.a build/user/lib/libbase.a
$(call nc_fuzz,ncs_fuzz,tests/lib/ncs/ncs_fuzz.c $(NC_NCS_SRC) $(NC_HTTP_SRC) $(NC_INET_SRC) $(NC_SCOPE_SRC) $(NC_BASE_SRCS))
# per-module capability headers and sort_by through the `ncs` command (real files)
NC_SCRIPT_TESTS += tests/lib/ncs/ncs_modcap_cli_test.sh
NC_TEST_DEPS += build/host/bin/ncs
