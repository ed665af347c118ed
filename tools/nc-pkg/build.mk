# tools/nc-pkg: signed driver packages on the command line (host, optimised build).
$(call nc_host_prog,nc-pkg,tools/nc-pkg/main.c tools/nc-pkg/spec.c,drvpkg crypto blake3_nc wire base,rel,$(NC_CRYPTO_LDLIBS))
NC_SCRIPT_TESTS += tests/tools/nc-pkg/nc_pkg_test.sh
NC_TEST_DEPS += $(B)/rel/bin/nc-pkg
# Fuzzer: nc-pkg's manifest source parser and lib/drvpkg's package parsing and
# verification, instrumented; crypto comes in as the rel archives and libsodium.a.
$(call nc_fuzz,nc_pkg_fuzz,tests/tools/nc-pkg/nc_pkg_fuzz.c tools/nc-pkg/spec.c $(wildcard lib/drvpkg/*.c) \
	$(wildcard lib/wire/*.c) lib/base/mem.c lib/base/fmt.c lib/base/hex.c \
	$(B)/rel/lib/libcrypto.a $(B)/rel/lib/libblake3_nc.a /usr/lib/x86_64-linux-gnu/libsodium.a)
