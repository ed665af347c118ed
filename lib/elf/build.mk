# lib/elf: ELF64 executable validation, for the loader (efi), kernel and host tests.
$(call nc_lib,elf,lib/elf/elf.c,host kernel user efi)
