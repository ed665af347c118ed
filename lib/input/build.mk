# lib/input: the input event protocol of the input drivers and the pointer
# their events drive (nc/input.h).
$(call nc_lib,input,lib/input/pointer.c,host rel user)
