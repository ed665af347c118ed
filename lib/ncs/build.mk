# lib/ncs: the ncScript language (lexer, parser, compiler, VM, stdlib, effects).
# Freestanding, uses floating point: host, rel, user and wasm flavours (not kernel).
NC_NCS_SRC := $(addprefix lib/ncs/,state.c value.c lex.c parse.c parse_item.c parse_expr.c parse_pat.c compile_emit.c \
	compile.c compile_pat.c compile_prog.c compile_iter.c vm.c vm_ops.c vm_access.c builtins.c lib_string.c \
	lib_math.c lib_array.c lib_map.c map.c effect.c net_fetch.c cap.c module.c api.c numfmt.c repl.c)
$(call nc_lib,ncs,$(NC_NCS_SRC),host rel user wasm,scope http)
