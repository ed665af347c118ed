# lib/kreloc: the kernel image's relocation table (KASLR): built by
# tools/nc-krelocs on the host, applied by the UEFI loader (efi).
$(call nc_lib,kreloc,lib/kreloc/kreloc.c,host rel efi)
