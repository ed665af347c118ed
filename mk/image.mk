# Boot images: FAT ESP images made with mtools (no root, no loop mounts).
#   $(B)/esp.img       loader + kernel + initrd (user/initrd files) — `make image`, `make run`
#   $(B)/esp-test.img  loader + test kernel + test initrd (tests/kernel/initrd), cmdline "test"
# Layout: \EFI\BOOT\BOOTX64.EFI, \nexacore\kernel.elf, \nexacore\initrd, \nexacore\cmdline.txt,
# and the build's development TEE device (tools/nc-tee/build.mk): \nexacore\device.secret,
# \nexacore\device.cert. Every image of one build tree is the same "machine".
ESP_MIB := 32

# Other directories add files to the initrds: NC_INITRD_FILES += path (placed at the root);
# NC_INITRD_FONTS (user/desktop/build.mk) go under /fonts in the plain and test initrds;
# NC_INITRD_DRIVERS (driver packages devmgr must not load itself) under /drivers in the plain one.
define nc_make_esp
	@mkdir -p $(dir $@)
	$(if $(V),,@echo "  ESP $@")
	$(Q)rm -f $@ && mkfs.fat -C -n NEXACORE $@ $$(($(ESP_MIB) * 1024)) >/dev/null
	$(Q)export MTOOLS_SKIP_CHECK=1; mmd -i $@ ::/EFI ::/EFI/BOOT ::/nexacore && \
	mcopy -i $@ $(BOOT_EFI) ::/EFI/BOOT/BOOTX64.EFI && \
	mcopy -i $@ $(1) ::/nexacore/kernel.elf && \
	mcopy -i $@ $(2) ::/nexacore/initrd && \
	printf '%s\n' "$(3)" > $@.cmdline && mcopy -i $@ $@.cmdline ::/nexacore/cmdline.txt && \
	mcopy -i $@ $(NC_TEE_DEVICE_FILES) ::/nexacore/
endef
NC_TEE_DEVICE_FILES := $(B)/tee/device.secret $(B)/tee/device.cert

# Initrd trees are staged under $(B)/initrd*/ so each archive holds exactly its files.
# NC_INITRD_MODELS += path: placed in /models (the AI service's model store).
$(B)/initrd.tar: $(NC_INITRD_FILES) $(NC_INITRD_FONTS) $(NC_INITRD_DRIVERS) $(NC_INITRD_MODELS) $(shell find user/initrd -type f 2>/dev/null)
	$(Q)rm -rf $(B)/initrd-root && mkdir -p $(B)/initrd-root/fonts $(B)/initrd-root/drivers $(B)/initrd-root/models
	$(Q)cp -r user/initrd/. $(B)/initrd-root/
	$(Q)cp $(NC_INITRD_FONTS) $(B)/initrd-root/fonts/
	$(Q)cp $(NC_INITRD_DRIVERS) $(B)/initrd-root/drivers/
	$(Q)$(foreach f,$(NC_INITRD_FILES),cp $(f) $(B)/initrd-root/$(notdir $(f)) &&) true
	$(Q)$(foreach f,$(NC_INITRD_MODELS),cp $(f) $(B)/initrd-root/models/$(notdir $(f)) &&) true
	$(Q)tar --format=ustar --owner=0 --group=0 -cf $@ -C $(B)/initrd-root .
$(B)/initrd-test.tar: $(NC_TEST_INITRD_FILES) $(NC_INITRD_FONTS) $(shell find tests/kernel/initrd -type f)
	$(Q)rm -rf $(B)/initrd-test-root && mkdir -p $(B)/initrd-test-root/fonts
	$(Q)cp -r tests/kernel/initrd/. $(B)/initrd-test-root/
	$(Q)cp $(NC_INITRD_FONTS) $(B)/initrd-test-root/fonts/
	$(Q)$(foreach f,$(NC_TEST_INITRD_FILES),cp $(f) $(B)/initrd-test-root/$(notdir $(f)) &&) true
	$(Q)tar --format=ustar --owner=0 --group=0 -cf $@ -C $(B)/initrd-test-root .

NC_CMDLINE ?=
$(B)/esp.img: $(BOOT_EFI) $(NC_TEE_DEVICE_FILES) $(B)/kernel/nexacore.elf $(B)/initrd.tar
	$(call nc_make_esp,$(B)/kernel/nexacore.elf,$(B)/initrd.tar,$(NC_CMDLINE))
$(B)/esp-test.img: $(BOOT_EFI) $(NC_TEE_DEVICE_FILES) $(B)/kernel/nexacore-test.elf $(B)/initrd-test.tar
	$(call nc_make_esp,$(B)/kernel/nexacore-test.elf,$(B)/initrd-test.tar,test)

# Desktop image (`make run GUI=1`, docs/desktop.md): the plain image with init
# running the AI service (its line of the plain init.manifest: the chat window
# uses it), the device manager, the file-system service and, as its child, the
# desktop session instead of the shell (as `devmgr fsd shell` does for make run).
$(B)/initrd-gui.tar: $(B)/initrd.tar
	$(Q)rm -rf $(B)/initrd-gui-root && cp -r $(B)/initrd-root $(B)/initrd-gui-root
	$(Q)(grep "^service ai-service" $(B)/initrd-root/init.manifest; echo "devmgr fsd desktop") > $(B)/initrd-gui-root/init.manifest
	$(Q)tar --format=ustar --owner=0 --group=0 -cf $@ -C $(B)/initrd-gui-root .
$(B)/esp-gui.img: $(BOOT_EFI) $(NC_TEE_DEVICE_FILES) $(B)/kernel/nexacore.elf $(B)/initrd-gui.tar
	$(call nc_make_esp,$(B)/kernel/nexacore.elf,$(B)/initrd-gui.tar,)

# Benchmark image: the plain kernel with bench/kernel/initrd/ plus
# NC_BENCH_INITRD_FILES (bench/kernel/kernel_bench.sh boots it).
$(B)/initrd-bench.tar: $(NC_BENCH_INITRD_FILES) $(shell find bench/kernel/initrd -type f 2>/dev/null)
	$(Q)rm -rf $(B)/initrd-bench-root && mkdir -p $(B)/initrd-bench-root
	$(Q)cp -r bench/kernel/initrd/. $(B)/initrd-bench-root/
	$(Q)$(foreach f,$(NC_BENCH_INITRD_FILES),cp $(f) $(B)/initrd-bench-root/$(notdir $(f)) &&) true
	$(Q)tar --format=ustar --owner=0 --group=0 -cf $@ -C $(B)/initrd-bench-root .
$(B)/esp-bench.img: $(BOOT_EFI) $(NC_TEE_DEVICE_FILES) $(B)/kernel/nexacore.elf $(B)/initrd-bench.tar
	$(call nc_make_esp,$(B)/kernel/nexacore.elf,$(B)/initrd-bench.tar,)

# Fairness image: the test image's initrd with tests/kernel/initrd-fair/ laid
# over it (a manifest that runs only the scheduler fairness test). tests/boot runs it under single-threaded TCG, where every vCPU gets
# the same share of the host, so the measured shares are the scheduler's.
$(B)/initrd-fair.tar: $(NC_TEST_INITRD_FILES) $(shell find tests/kernel/initrd tests/kernel/initrd-fair -type f)
	$(Q)rm -rf $(B)/initrd-fair-root && mkdir -p $(B)/initrd-fair-root
	$(Q)cp -r tests/kernel/initrd/. $(B)/initrd-fair-root/
	$(Q)cp -r tests/kernel/initrd-fair/. $(B)/initrd-fair-root/
	$(Q)$(foreach f,$(NC_TEST_INITRD_FILES),cp $(f) $(B)/initrd-fair-root/$(notdir $(f)) &&) true
	$(Q)tar --format=ustar --owner=0 --group=0 -cf $@ -C $(B)/initrd-fair-root .
$(B)/esp-fair.img: $(BOOT_EFI) $(NC_TEE_DEVICE_FILES) $(B)/kernel/nexacore-test.elf $(B)/initrd-fair.tar
	$(call nc_make_esp,$(B)/kernel/nexacore-test.elf,$(B)/initrd-fair.tar,test)
