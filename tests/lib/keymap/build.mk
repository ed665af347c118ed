# tests/lib/keymap: lib/keymap (host and libtests).
$(call nc_host_test,keymap_test,tests/lib/keymap/keymap_test.c,keymap)
