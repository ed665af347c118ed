# lib/scope: hierarchical resource scopes (paths and names), used by lib/cap and ncScript.
NC_SCOPE_SRC := lib/scope/scope.c lib/scope/path.c
$(call nc_lib,scope,$(NC_SCOPE_SRC),host rel kernel user wasm)
