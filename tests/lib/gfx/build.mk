# tests/lib/gfx: lib/gfx (host and libtests).
$(call nc_host_test,gfx_test,tests/lib/gfx/gfx_test.c,gfx font)
