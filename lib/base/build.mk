# lib/base: the project's own base library (memory, strings, formatting, hex digits, sorting, UTF-8, calendar dates).
# NC_BASE_SRCS: the sources every flavour gets (fuzz targets compile them directly).
NC_BASE_SRCS := lib/base/mem.c lib/base/fmt.c lib/base/hex.c lib/base/sort.c lib/base/utf8.c lib/base/civil.c
$(call nc_lib,base,$(NC_BASE_SRCS),host rel)
$(call nc_lib,base,$(NC_BASE_SRCS) lib/base/freestanding.c,kernel user wasm)
# efi: gnu-efi's libefi already provides memcpy and memset
$(call nc_lib,base,$(NC_BASE_SRCS),efi)
