$(call nc_host_test,elf_test,tests/lib/elf/elf_test.c,elf)
