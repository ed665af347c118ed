# abi/: generated ABI artefacts, all from abi/syscalls.abi by tools/abigen/abigen.py:
#   nc/abi.h (numbers, errors, constants), nc/syscalls.h + user stubs,
#   kernel/sys_table.h + the kernel dispatch table, and docs/abi.md (kept in git,
#   so written only by an explicit `make docs/abi.md`; tests/abi checks it is current).
ABI_SRC := abi/syscalls.abi
ABI_GEN := tools/abigen/abigen.py
ABI_USER_STUBS := $(B)/gen/user/syscalls.c
ABI_KERNEL_TABLE := $(B)/gen/kernel/sys_table.c
define nc_abi_gen
$(1): $(ABI_SRC) $(ABI_GEN)
	@mkdir -p $$(dir $$@)
	$(Q)python3 $(ABI_GEN) $(ABI_SRC) $(2) $$@
endef
$(eval $(call nc_abi_gen,$(B)/gen/include/nc/abi.h,header))
$(eval $(call nc_abi_gen,$(B)/gen/include/nc/syscalls.h,ustubs_h))
$(eval $(call nc_abi_gen,$(ABI_USER_STUBS),ustubs_c))
$(eval $(call nc_abi_gen,$(B)/gen/include/kernel/sys_table.h,ktable_h))
$(eval $(call nc_abi_gen,$(ABI_KERNEL_TABLE),ktable_c))
$(eval $(call nc_abi_gen,docs/abi.md,doc))
NC_GENERATED += $(B)/gen/include/nc/abi.h $(B)/gen/include/nc/syscalls.h \
	$(B)/gen/include/kernel/sys_table.h
