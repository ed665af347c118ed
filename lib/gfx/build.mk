# lib/gfx: surfaces, rectangles and regions, fills, copies and text (nc/gfx.h).
$(call nc_lib,gfx,lib/gfx/rect.c lib/gfx/draw.c lib/gfx/text.c,host rel user,font)
