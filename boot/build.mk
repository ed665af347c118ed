# boot/: the UEFI loader, BOOTX64.EFI, built with gnu-efi (crt0, linker script, libefi).
BOOT_SRCS := boot/main.c boot/files.c boot/kernel.c boot/paging.c boot/memmap.c boot/measure.c boot/kaslr.c
BOOT_EFI := $(B)/efi/BOOTX64.EFI
GNUEFI_LIB := /usr/lib
$(call nc_objs,$(BOOT_SRCS),efi): CFLAGS_efi += -Iboot/include
$(eval $(call nc_prog_inc,$(BOOT_SRCS),efi,elf kreloc crypto))

$(B)/efi/bootx64.so: $(call nc_objs,$(BOOT_SRCS),efi) $(B)/efi/lib/libelf.a $(B)/efi/lib/libkreloc.a $(B)/efi/lib/libcrypto.a \
		$(B)/efi/lib/libblake3_nc.a $(B)/efi/lib/libbase.a
	$(if $(V),,@echo "  LD  $@")
	$(Q)$(LD) -nostdlib -znocombreloc -shared -Bsymbolic -T $(GNUEFI_LIB)/elf_x86_64_efi.lds \
		$(GNUEFI_LIB)/crt0-efi-x86_64.o $^ -L$(GNUEFI_LIB) -lefi -lgnuefi -o $@
$(BOOT_EFI): $(B)/efi/bootx64.so
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .rodata -j .dynamic -j .dynsym -j .rel \
		-j .rela -j '.rel.*' -j '.rela.*' -j .reloc --target efi-app-x86_64 --subsystem=10 $< $@
NC_ALL += $(BOOT_EFI)
NC_JSON += $(addsuffix .json,$(call nc_objs,$(BOOT_SRCS),efi))
-include $(patsubst %.o,%.d,$(call nc_objs,$(BOOT_SRCS),efi))
