# web/ncs: ncScript (lib/ncs, lib/scope, lib/base in the wasm flavour) linked with
# its WebAssembly embedder into $(B)/web/ncs.wasm; web/ncs/ncs.js wraps it.
# --stack-first puts the C stack below the data, so an overflow traps instead of
# writing over it; 512 MiB caps what a script with no memory limit can take.
# Compiler-rt's builtins (Debian's libclang-rt-14-dev-wasm32, packaged for WASI but
# free of libc) supply __multi3, which __builtin_mul_overflow on 64-bit Ints needs.
NC_WASM_EMBED_SRC := web/ncs/embed.c web/ncs/heap.c
NC_WASM_BUILTINS := $(shell $(WASM_CC) --target=wasm32-wasi -print-libgcc-file-name 2>/dev/null)
NC_WASM_LDFLAGS := --no-entry --stack-first -z stack-size=4194304 --max-memory=536870912
$(eval $(call nc_prog_inc,$(NC_WASM_EMBED_SRC),wasm,ncs))
$(B)/web/ncs.wasm: $(call nc_objs,$(NC_WASM_EMBED_SRC),wasm) $(call nc_libfiles,ncs http inet scope base,wasm)
	@mkdir -p $(dir $@)
	$(if $(V),,@echo "  WASM $@")
	$(Q)$(WASM_LD) $(NC_WASM_LDFLAGS) -o $@ $^ $(NC_WASM_BUILTINS)
NC_ALL += $(B)/web/ncs.wasm
NC_JSON += $(addsuffix .json,$(call nc_objs,$(NC_WASM_EMBED_SRC),wasm))
-include $(patsubst %.o,%.d,$(call nc_objs,$(NC_WASM_EMBED_SRC),wasm))
