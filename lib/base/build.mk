# lib/base: the project's own base library (memory, strings, formatting).
$(call nc_lib,base,lib/base/mem.c lib/base/fmt.c,host rel)
$(call nc_lib,base,lib/base/mem.c lib/base/fmt.c lib/base/freestanding.c,kernel user)
# efi: gnu-efi's libefi already provides memcpy and memset
$(call nc_lib,base,lib/base/mem.c lib/base/fmt.c,efi)
