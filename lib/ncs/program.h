/* ncScript compiled program (compile_prog.c builds it, vm.c runs it): bytecode
 * functions, struct and variant tables, call and field sites. Internal to lib/ncs. */
#ifndef NCS_PROGRAM_H
#define NCS_PROGRAM_H

#include "ast.h"
#include "value.h"

typedef struct {
	uint16_t op;
	uint16_t a;
	uint32_t b;
} ncs_ins_t;

typedef struct ncs_proto {
	const char *name; uint32_t name_len;
	uint32_t n_caps;           /* closures: captured values (read with LOADCAP) */
	ncs_module_t *mod;
	uint32_t n_params;
	uint32_t n_slots;          /* locals + temporaries, params first */
	uint32_t max_stack;        /* operand stack high-water above the slots */
	ncs_ins_t *code; uint32_t n_code, cap_code;
	uint32_t *offs; uint32_t cap_offs; /* source offset per instruction */
	ncs_value_t *k; uint32_t n_k, cap_k;
} ncs_proto_t;

typedef struct ncs_struct_def {
	const char *name; uint32_t name_len;
	const char **fields; uint32_t *field_lens; uint32_t n_fields;
} ncs_struct_def_t;

typedef struct {
	const char *name; uint32_t name_len;      /* "Shape::Circle" or "Some" */
	uint32_t arity;
} ncs_variant_def_t;

/* Method call sites: the builtin to use for each receiver family. */
typedef struct {
	int16_t for_str, for_arr, for_map;        /* builtin index or -1 */
	uint32_t n_args;                          /* including the receiver */
	const char *name; uint32_t name_len;
	bool user;                                /* some struct has a method of this name */
	uint32_t cache_def, cache_fn;             /* last struct def -> its ncs_method_t index */
} ncs_method_site_t;

/* A method of a struct (impl block): fns[fn] takes the receiver first. */
typedef struct {
	uint32_t struct_def;
	const char *name; uint32_t name_len;      /* short name ("norm") */
	uint32_t fn;
	uint8_t self_kind;                        /* NCS_SELF_VALUE or NCS_SELF_MUT_REF */
} ncs_method_t;

/* Field access sites with a one-entry cache (struct def -> field index). */
typedef struct {
	const char *name; uint32_t name_len;
	uint32_t cache_def, cache_idx;            /* cache_def UINT32_MAX: empty */
} ncs_field_site_t;

typedef struct ncs_program {
	ncs_module_t **mods; uint32_t n_mods;      /* dependency order, main last */
	ncs_proto_t **fns; uint32_t n_fns, cap_fns;
	ncs_struct_def_t *structs; uint32_t n_structs, cap_structs;
	ncs_variant_def_t *vars; uint32_t n_vars, cap_vars;
	ncs_method_site_t *sites; uint32_t n_sites, cap_sites;
	ncs_field_site_t *fsites; uint32_t n_fsites, cap_fsites;
	ncs_method_t *methods; uint32_t n_methods, cap_methods;
	ncs_proto_t *main;
} ncs_program_t;

nc_ncs_err_t ncs_compile_program(ncs_state_t *st, ncs_program_t *p);
void ncs_program_free(ncs_state_t *st, ncs_program_t *p);
nc_ncs_err_t ncs_vm_run(ncs_state_t *st, ncs_program_t *p, ncs_value_t *result);

#endif
