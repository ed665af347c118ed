# abi/: generated ABI artefacts.
ABI_SRC := abi/syscalls.abi
ABI_GEN := tools/abigen/abigen.py
$(B)/gen/include/nc/abi.h: $(ABI_SRC) $(ABI_GEN)
	@mkdir -p $(dir $@)
	$(Q)python3 $(ABI_GEN) $(ABI_SRC) header $@
NC_GENERATED += $(B)/gen/include/nc/abi.h
