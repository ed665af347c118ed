# lib/keymap: keyboard layouts, evdev key codes to text (nc/keymap.h).
$(call nc_lib,keymap,lib/keymap/keymap.c,host rel user)
