# user/: the user runtime library (user/lib) and the programs of the initrds.
#   $(call nc_user_prog,NAME,SOURCES[,LIBS])
#       static ELF64 user program $(B)/user/bin/NAME, linked at 0x400000 with
#       user/lib (crt0, generated syscall stubs, print, malloc, threads),
#       LIBS (nc_lib names in the user flavour) and lib/base.
USER_LIB_SRCS := user/lib/print.c user/lib/malloc.c user/lib/thread.c user/lib/lock.c user/lib/embed.c \
	user/lib/stdin.c user/lib/service.c user/lib/blk.c user/lib/driver.c user/lib/inbox.c user/lib/handles.c user/lib/caps.c \
	user/lib/file.c user/lib/fd_bulk.c user/lib/virtio.c user/lib/netdev.c user/lib/nic.c \
	user/lib/ai_client.c user/lib/ai_pool.c user/lib/ai_provider.c user/lib/http_net.c \
	$(ABI_USER_STUBS)
USER_LIB_OBJS := $(call nc_objs,$(USER_LIB_SRCS),user)
USER_CRT0 := $(B)/user/user/lib/crt0.o
USER_LD := user/lib/user.ld
USER_INC := -Iuser/lib/include
# The libraries whose headers user/lib's own headers and sources use: every program sees them.
USER_LIB_LIBS := ai cap http

$(USER_CRT0): user/lib/crt0.S
	$(call nc_compile,$(HOST_CC) $(ASFLAGS_user) $(NC_INC))
$(B)/user/lib/libulib.a: $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
$(USER_LIB_OBJS): CFLAGS_user += $(USER_INC)
$(USER_LIB_OBJS): private NC_INC += $(call nc_lib_inc,$(USER_LIB_LIBS))
$(USER_LIB_OBJS): | $(NC_GENERATED)
NC_JSON += $(addsuffix .json,$(USER_LIB_OBJS))
-include $(patsubst %.o,%.d,$(USER_LIB_OBJS))

define nc_user_prog_body
$(call nc_prog_inc,$(2),user,$(3) $(USER_LIB_LIBS))
$(call nc_objs,$(2),user): CFLAGS_user += $(USER_INC)
$(call nc_objs,$(2),user): | $(NC_GENERATED)
$(B)/user/bin/$(1): $(USER_CRT0) $(call nc_objs,$(2),user) $(B)/user/lib/libulib.a \
		$(call nc_libfiles,$(3) base,user) $(USER_LD)
	@mkdir -p $$(dir $$@)
	$(if $(V),,@echo "  LD  $$@")
	$(Q)$(LD) -nostdlib -static -z max-page-size=4096 -z noexecstack -T $(USER_LD) -o $$@ \
		$(USER_CRT0) $(call nc_objs,$(2),user) $(B)/user/lib/libulib.a \
		$(call nc_libfiles,$(3) base,user)
NC_ALL += $(B)/user/bin/$(1)
NC_JSON += $(addsuffix .json,$(call nc_objs,$(2),user))
-include $(patsubst %.o,%.d,$(call nc_objs,$(2),user))
endef
nc_user_prog = $(eval $(call nc_user_prog_body,$(1),$(2),$(3)))

$(call nc_user_prog,init,user/init/init.c,cap scope wire crypto sodium_nc blake3_nc)
$(call nc_user_prog,hello,user/hello/hello.c)
NC_INITRD_FILES += $(B)/user/bin/init $(B)/user/bin/hello
NC_TEST_INITRD_FILES += $(B)/user/bin/init

# Programs whose sources live elsewhere (their build.mk files are included
# before this one and only list sources).
$(call nc_user_prog,usertests,$(USERTESTS_SRCS),$(USERTESTS_LIBS))
NC_TEST_INITRD_FILES += $(B)/user/bin/usertests
$(call nc_user_prog,fscrash,$(FSCRASH_SRCS),crypto blake3_nc)
NC_TEST_INITRD_FILES += $(B)/user/bin/fscrash
$(call nc_user_prog,chain,$(CHAIN_SRCS))
NC_TEST_INITRD_FILES += $(B)/user/bin/chain
$(call nc_user_prog,libtests,$(LIBTESTS_SRCS),$(LIBTESTS_LIBS))
NC_TEST_INITRD_FILES += $(B)/user/bin/libtests
$(call nc_user_prog,kbench,$(KBENCH_SRCS))
NC_BENCH_INITRD_FILES += $(B)/user/bin/init $(B)/user/bin/kbench
$(call nc_user_prog,ipcbench,$(IPCBENCH_SRCS))
NC_BENCH_INITRD_FILES += $(B)/user/bin/ipcbench
$(call nc_user_prog,termbench,$(TERMBENCH_SRCS))
$(call nc_user_prog,blkbench,$(BLKBENCH_SRCS))
$(call nc_user_prog,fsbench,$(FSBENCH_SRCS))
NC_BENCH_INITRD_FILES += $(B)/user/bin/fsbench $(B)/user/bin/fsd
NC_BENCH_INITRD_FILES += $(B)/user/bin/blkbench $(B)/user/bin/devmgr $(B)/drivers/nvme.pkg
$(call nc_user_prog,netbench,$(NETBENCH_SRCS),args)
NC_BENCH_INITRD_FILES += $(B)/user/bin/netbench $(B)/user/bin/netsvc $(B)/user/bin/httpd
NC_BENCH_INITRD_FILES += $(B)/drivers/virtio-net.pkg $(B)/drivers/e1000e.pkg
