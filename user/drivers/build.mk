# user/drivers: user-space drivers, each shipped as a package signed with the
# build's driver-signing key (kernel/build.mk) and loaded by the device
# manager (user/devmgr) with DriverLoadDevice.
#   $(call nc_driver_pkg,OUT,IMAGE,MANIFEST[,KEY]): the package OUT of the
#   file IMAGE (a program: $(B)/user/bin/NAME) with MANIFEST, signed with KEY
#   (default: the driver-signing key).
define nc_driver_pkg_body
$(1): $(2) $(3) $(4) $(B)/rel/bin/nc-pkg
	@mkdir -p $$(dir $$@)
	$(if $(V),,@echo "  PKG $$@")
	$(Q)$(B)/rel/bin/nc-pkg sign --key $(4) --manifest $(3) --image $(2) --out $$@
NC_ALL += $(1)
endef
nc_driver_pkg = $(eval $(call nc_driver_pkg_body,$(1),$(2),$(3),$(or $(4),$(NC_DRIVER_KEY))))

NVME_SRCS := user/drivers/nvme/main.c user/drivers/nvme/controller.c user/drivers/nvme/io.c \
	user/drivers/nvme/serve.c
$(call nc_user_prog,nvme,$(NVME_SRCS))
$(call nc_driver_pkg,$(B)/drivers/nvme.pkg,$(B)/user/bin/nvme,user/drivers/nvme/nvme.manifest)
NC_INITRD_FILES += $(B)/drivers/nvme.pkg
NC_TEST_INITRD_FILES += $(B)/drivers/nvme.pkg

# virtio-input (keyboard, mouse, tablet): the desktop session loads it
# (docs/desktop.md, "Input"), so it lives under /drivers, where devmgr does not look.
$(call nc_user_prog,virtio-input,user/drivers/virtio_input/main.c,input)
$(call nc_driver_pkg,$(B)/drivers/virtio-input.pkg,$(B)/user/bin/virtio-input,user/drivers/virtio_input/virtio-input.manifest)
NC_INITRD_DRIVERS += $(B)/drivers/virtio-input.pkg
VIRTIO_NET_SRCS := user/drivers/virtio_net/main.c
$(call nc_user_prog,virtio-net,$(VIRTIO_NET_SRCS))
$(call nc_driver_pkg,$(B)/drivers/virtio-net.pkg,$(B)/user/bin/virtio-net,user/drivers/virtio_net/virtio_net.manifest)
NC_INITRD_FILES += $(B)/drivers/virtio-net.pkg
NC_TEST_INITRD_FILES += $(B)/drivers/virtio-net.pkg
$(call nc_user_prog,e1000e,user/drivers/e1000e/main.c)
$(call nc_driver_pkg,$(B)/drivers/e1000e.pkg,$(B)/user/bin/e1000e,user/drivers/e1000e/e1000e.manifest)
NC_INITRD_FILES += $(B)/drivers/e1000e.pkg
NC_TEST_INITRD_FILES += $(B)/drivers/e1000e.pkg

# The test packages of tests/user/drivers (see its build.mk).
$(call nc_user_prog,dmatest,$(DMATEST_SRCS))
$(call nc_driver_pkg,$(B)/drivers/dmatest.tpkg,$(B)/user/bin/dmatest,tests/user/drivers/dmatest.manifest)
$(call nc_driver_pkg,$(B)/drivers/badbar.tpkg,$(B)/user/bin/nvme,tests/user/drivers/badbar.manifest)
$(call nc_driver_pkg,$(B)/drivers/badelf.tpkg,tests/user/drivers/badelf.image,tests/user/drivers/badelf.manifest)
$(call nc_driver_pkg,$(B)/drivers/untrusted.tpkg,$(B)/user/bin/nvme,user/drivers/nvme/nvme.manifest,$(NC_UNTRUSTED_KEY))
