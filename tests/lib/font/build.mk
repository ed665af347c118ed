# tests/lib/font: lib/font. font_test runs on the host and in NexaCore
# (libtests); font_ref_host_test compares every glyph with the packaged
# rasteriser (Debian's libstb-dev, /usr/include/stb) on the host's real fonts.
$(call nc_host_test,font_test,tests/lib/font/font_test.c,font)
$(call nc_host_test,font_ref_host_test,tests/lib/font/font_ref_host_test.c,font,-lm)
$(call nc_objs,tests/lib/font/font_ref_host_test.c,host): NC_INC += -isystem /usr/include/stb
# The reference renderer the desktop's QEMU test compares the screen with.
$(call nc_host_prog,font_ref_render,tests/lib/font/font_ref_render.c,,host,-lm)
$(call nc_objs,tests/lib/font/font_ref_render.c,host): NC_INC += -isystem /usr/include/stb
