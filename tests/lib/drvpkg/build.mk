$(call nc_host_test,drvpkg_test,tests/lib/drvpkg/drvpkg_test.c,drvpkg crypto blake3_nc wire,$(NC_CRYPTO_LDLIBS))
