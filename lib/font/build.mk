# lib/font: TrueType fonts rasterised by stb_truetype (nc/font.h). The header
# comes from Debian's libstb source package (scripts/deps.d/desktop.pkgs: src
# libstb), put on the -isystem path of font.c only; -fno-math-errno makes
# sqrt the SSE instruction (no libm call, no errno). Floating point: host, rel
# and user flavours (the kernel keeps its bitmap console font).
NC_STB_DIR := $(firstword $(wildcard $(B)/src/libstb/libstb-*/))
$(call nc_lib,font,lib/font/font.c,host rel user)
$(call nc_objs,lib/font/font.c,host) $(call nc_objs,lib/font/font.c,rel) \
$(call nc_objs,lib/font/font.c,user): NC_INC += -isystem $(NC_STB_DIR) -fno-math-errno
