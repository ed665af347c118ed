# lib/initrd: read-only ustar archive access, for the kernel and host tests.
$(call nc_lib,initrd,lib/initrd/initrd.c,host kernel user)
