# kernel/: the microkernel, two images from the same objects:
#   nexacore.elf       the kernel
#   nexacore-test.elf  the kernel plus the in-kernel tests (tests/harness, run in test mode)
# Each image is linked twice: the first pass has an empty symbol table, the
# second embeds the table kernel/ksyms.py makes from the first pass's `nm`
# (for symbolized backtraces). The table is the image's last section, so the
# two passes agree on every other address.
KERNEL_ARCH := kernel/arch/x86_64
KERNEL_SRCS := kernel/main.c kernel/console.c kernel/fbcon.c kernel/acpi.c kernel/boot_info.c \
	kernel/power.c kernel/pmm.c kernel/heap.c kernel/kstack.c kernel/tlb.c kernel/clock.c \
	kernel/thread.c kernel/sched.c kernel/process.c kernel/exec.c kernel/initrd.c \
	kernel/ksyms.c kernel/sys_process.c kernel/sys_task.c kernel/sys_memory.c \
	kernel/sys_misc.c kernel/umap.c kernel/shm.c kernel/sys_shm.c kernel/display.c $(ABI_KERNEL_TABLE) \
	$(KERNEL_ARCH)/entry.S $(KERNEL_ARCH)/serial.c $(KERNEL_ARCH)/power.c $(KERNEL_ARCH)/mmu.c \
	$(KERNEL_ARCH)/gdt.c $(KERNEL_ARCH)/idt.c $(KERNEL_ARCH)/isr.S $(KERNEL_ARCH)/trap.c \
	$(KERNEL_ARCH)/features.c $(KERNEL_ARCH)/lapic.c $(KERNEL_ARCH)/pic.c $(KERNEL_ARCH)/pit.c $(KERNEL_ARCH)/smp.c \
	$(KERNEL_ARCH)/trampoline.S $(KERNEL_ARCH)/syscall.S $(KERNEL_ARCH)/syscall_dispatch.c \
	$(KERNEL_ARCH)/switch.S $(KERNEL_ARCH)/context.c $(KERNEL_ARCH)/usercopy.S \
	$(KERNEL_ARCH)/extable.c $(KERNEL_ARCH)/backtrace.c
# Handles, capabilities, IPC, the initrd file system and console input (docs/abi.md).
KERNEL_SRCS += kernel/handle.c kernel/cap.c kernel/cap_token.c kernel/channel.c kernel/fs.c \
	kernel/console_input.c kernel/random.c kernel/sys_handle.c kernel/sys_cap.c kernel/sys_ipc.c \
	kernel/sys_fs.c kernel/sys_fs_write.c kernel/fs_route.c kernel/service.c kernel/remote.c kernel/sys_service.c kernel/sys_io.c kernel/sys_system.c $(KERNEL_ARCH)/ioapic.c \
	$(KERNEL_ARCH)/serial_input.c $(KERNEL_ARCH)/ps2_keyboard.c $(KERNEL_ARCH)/entropy.c $(KERNEL_ARCH)/reset.c $(KERNEL_ARCH)/rtc.c
# Measured boot and the TEE (docs/attestation.md); the development vendor root
# the kernel trusts is the build's own (tools/nc-tee/build.mk makes it).
KERNEL_SRCS += kernel/measure.c kernel/tee.c kernel/sys_tee.c $(B)/gen/tee/vendor_root.c
$(B)/gen/tee/vendor_root.c: $(B)/tee/vendor-root.pub
	@mkdir -p $(dir $@)
	$(Q){ echo '/* Generated from $< by kernel/build.mk: the development vendor root. */'; \
	  echo '#include <kernel/tee.h>'; \
	  echo 'const uint8_t tee_vendor_root[NC_TEE_PUBLIC_KEY_BYTES] = {'; \
	  od -An -tx1 -v $< | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1, /g'; echo '};'; } > $@
KERNEL_LIBS := cap tee wire scope crypto sodium_nc blake3_nc initrd elf base
# Tests linked into the test kernel: lib tests that are freestanding-clean, and kernel tests.
KERNEL_TEST_SRCS := kernel/ktest.c tests/harness/nc_test.c tests/lib/base/mem_test.c tests/lib/base/fmt_test.c \
	tests/lib/elf/elf_test.c $(wildcard tests/kernel/*.c)
# The test kernel's allocation-failure injection (tests/kernel/alloc_fail.h):
# these calls go to __wrap_* there; the plain kernel is linked without it.
KERNEL_TEST_WRAP := $(addprefix --wrap=,heap_alloc heap_free pmm_alloc_frame pmm_alloc_contig pmm_free_frame pmm_free_contig)
KERNEL_LD := $(KERNEL_ARCH)/kernel.ld
KERNEL_FONT := /usr/share/consolefonts/Unifont-APL8x16.psf.gz

KERNEL_OBJS := $(call nc_objs,$(KERNEL_SRCS),kernel) $(B)/kernel/font.o
KERNEL_TEST_OBJS := $(call nc_objs,$(KERNEL_TEST_SRCS),kernel)
$(KERNEL_OBJS) $(KERNEL_TEST_OBJS): CFLAGS_kernel += -Ikernel/include -I$(KERNEL_ARCH)/include
$(KERNEL_OBJS) $(KERNEL_TEST_OBJS): ASFLAGS_kernel += -I$(KERNEL_ARCH)
$(KERNEL_OBJS) $(KERNEL_TEST_OBJS): | $(NC_GENERATED)

# The console font: Debian's psf-unifont, linked in as a blob (_binary_font_psf_*).
$(B)/kernel/font.o: $(KERNEL_FONT)
	@mkdir -p $(dir $@)
	$(Q)zcat $< > $(B)/kernel/font.psf
	$(Q)cd $(B)/kernel && $(OBJCOPY) -I binary -O elf64-x86-64 -B i386:x86-64 \
		--rename-section .data=.rodata,alloc,load,readonly,data,contents font.psf font.o

# $(call nc_kernel_link,OUT,INPUTS): two passes, symbol table embedded.
define nc_kernel_link
	$(if $(V),,@echo "  LD  $(1)")
	$(Q)python3 kernel/ksyms.py < /dev/null > $(1).ksyms0.S && \
		$(HOST_CC) -c $(1).ksyms0.S -o $(1).ksyms0.o && \
		$(LD) -nostdlib -static -z max-page-size=4096 -z noexecstack -T $(KERNEL_LD) \
			-o $(1).pass1 $(2) $(1).ksyms0.o && \
		nm -n $(1).pass1 | python3 kernel/ksyms.py > $(1).ksyms.S && \
		$(HOST_CC) -c $(1).ksyms.S -o $(1).ksyms.o && \
		$(LD) -nostdlib -static -z max-page-size=4096 -z noexecstack -T $(KERNEL_LD) \
			-o $(1) $(2) $(1).ksyms.o && \
		nm -n $(1) | python3 kernel/ksyms.py | cmp -s - $(1).ksyms.S || \
		{ echo "kernel: symbol addresses moved between link passes"; rm -f $(1); exit 1; }
endef
$(B)/kernel/nexacore.elf: $(KERNEL_OBJS) $(call nc_libfiles,$(KERNEL_LIBS),kernel) kernel/ksyms.py \
		| $(KERNEL_LD)
	$(call nc_kernel_link,$@,$(filter %.o %.a,$^))
$(B)/kernel/nexacore-test.elf: $(KERNEL_OBJS) $(KERNEL_TEST_OBJS) \
		$(call nc_libfiles,$(KERNEL_LIBS),kernel) kernel/ksyms.py | $(KERNEL_LD)
	$(call nc_kernel_link,$@,$(filter %.o %.a,$^) $(KERNEL_TEST_WRAP))
NC_ALL += $(B)/kernel/nexacore.elf $(B)/kernel/nexacore-test.elf
NC_JSON += $(addsuffix .json,$(filter %.o,$(KERNEL_OBJS) $(KERNEL_TEST_OBJS)))
-include $(patsubst %.o,%.d,$(KERNEL_OBJS) $(KERNEL_TEST_OBJS))
