# kernel/: the microkernel, two images from the same objects:
#   nexacore.elf       the kernel
#   nexacore-test.elf  the kernel plus the in-kernel tests (tests/harness, run in test mode)
KERNEL_SRCS := kernel/main.c kernel/console.c kernel/fbcon.c kernel/acpi.c kernel/boot_info.c \
	kernel/power.c \
	kernel/arch/x86_64/entry.S kernel/arch/x86_64/serial.c kernel/arch/x86_64/power.c
KERNEL_LIBS := initrd elf base
# Tests linked into the test kernel: lib tests that are freestanding-clean, and kernel tests.
KERNEL_TEST_SRCS := kernel/ktest.c tests/harness/nc_test.c tests/lib/base/mem_test.c tests/lib/base/fmt_test.c \
	tests/lib/elf/elf_test.c tests/kernel/boot_test.c
KERNEL_LD := kernel/arch/x86_64/kernel.ld
KERNEL_FONT := /usr/share/consolefonts/Unifont-APL8x16.psf.gz

KERNEL_OBJS := $(call nc_objs,$(KERNEL_SRCS),kernel) $(B)/kernel/font.o
KERNEL_TEST_OBJS := $(call nc_objs,$(KERNEL_TEST_SRCS),kernel)
$(KERNEL_OBJS) $(KERNEL_TEST_OBJS): CFLAGS_kernel += -Ikernel/include
$(KERNEL_OBJS) $(KERNEL_TEST_OBJS): | $(NC_GENERATED)

# The console font: Debian's psf-unifont, linked in as a blob (_binary_font_psf_*).
$(B)/kernel/font.o: $(KERNEL_FONT)
	@mkdir -p $(dir $@)
	$(Q)zcat $< > $(B)/kernel/font.psf
	$(Q)cd $(B)/kernel && $(OBJCOPY) -I binary -O elf64-x86-64 -B i386:x86-64 \
		--rename-section .data=.rodata,alloc,load,readonly,data,contents font.psf font.o

define nc_kernel_link
	$(if $(V),,@echo "  LD  $@")
	$(Q)$(LD) -nostdlib -static -z max-page-size=4096 -z noexecstack -T $(KERNEL_LD) -o $@ $^
endef
$(B)/kernel/nexacore.elf: $(KERNEL_OBJS) $(call nc_libfiles,$(KERNEL_LIBS),kernel) | $(KERNEL_LD)
	$(nc_kernel_link)
$(B)/kernel/nexacore-test.elf: $(KERNEL_OBJS) $(KERNEL_TEST_OBJS) \
		$(call nc_libfiles,$(KERNEL_LIBS),kernel) | $(KERNEL_LD)
	$(nc_kernel_link)
NC_ALL += $(B)/kernel/nexacore.elf $(B)/kernel/nexacore-test.elf
NC_JSON += $(addsuffix .json,$(filter %.o,$(KERNEL_OBJS) $(KERNEL_TEST_OBJS)))
-include $(patsubst %.o,%.d,$(KERNEL_OBJS) $(KERNEL_TEST_OBJS))
