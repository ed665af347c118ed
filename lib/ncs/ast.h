/* ncScript syntax tree (parse.c, parse_expr.c, parse_pat.c build it, the
 * compiler reads it): nodes, top-level declarations and the parsed module.
 * Internal to lib/ncs. */
#ifndef NCS_AST_H
#define NCS_AST_H

#include "lex.h"

/* Nodes are arena allocated (the module's arena). */
typedef enum {
	N_INT, N_FLOAT, N_STR, N_BOOL, N_UNIT, N_NAME, N_PATH, N_ARRAY, N_TUPLE,
	N_STRUCT_LIT, N_FIELD_INIT, N_UNARY, N_BINARY, N_AND, N_OR, N_ASSIGN,
	N_CALL, N_METHOD, N_FIELD, N_INDEX, N_TRY, N_CAST, N_RANGE,
	N_BLOCK, N_IF, N_IF_LET, N_WHILE, N_WHILE_LET, N_LOOP, N_FOR, N_BREAK, N_CONTINUE,
	N_RETURN, N_MATCH, N_ARM, N_LET, N_EXPR_STMT, N_CLOSURE,
	P_WILD, P_BIND, P_LIT, P_RANGE, P_OR, P_TUPLE, P_VARIANT, P_STRUCT, P_FIELD,
} ncs_node_kind_t;

typedef struct ncs_node ncs_node_t;
struct ncs_node {
	uint8_t kind;
	uint8_t op;                /* token kind of the operator; flags for others */
	uint8_t flag;              /* mut binding, inclusive range, struct `..` rest */
	uint32_t off;              /* source offset for messages */
	ncs_node_t *a, *b, *c, *d;
	ncs_node_t **list;
	uint32_t n;
	const char *name;          /* identifier, path ("a::b"), field or string bytes */
	uint32_t name_len;
	int64_t i;
	double f;
};

/* How a method takes its receiver. */
typedef enum { NCS_SELF_NONE = 0, NCS_SELF_VALUE, NCS_SELF_MUT_REF } ncs_self_kind_t;

typedef struct {
	const char *name; uint32_t name_len;       /* "f", or "Type::f" inside impl Type */
	uint32_t off;
	bool is_pub;
	ncs_node_t **params; uint32_t n_params;   /* P_BIND / patterns */
	ncs_node_t *body;
	const char *impl_of; uint32_t impl_of_len; /* the struct of an impl block, or NULL */
	uint32_t short_off;                       /* "f" is name + short_off */
	uint8_t self_kind;                        /* ncs_self_kind_t: self, &self, &mut self */
} ncs_fn_decl_t;

typedef struct {
	const char *name; uint32_t name_len;
	uint32_t off;
	bool is_pub;
	const char **fields; uint32_t *field_lens; uint32_t n_fields;
} ncs_struct_decl_t;

typedef struct {
	const char *name; uint32_t name_len;
	uint32_t arity;
	uint32_t off;
} ncs_variant_decl_t;

typedef struct {
	const char *name; uint32_t name_len;
	uint32_t off;
	bool is_pub;
	ncs_variant_decl_t *vars; uint32_t n_vars;
} ncs_enum_decl_t;

typedef struct {
	const char *module; uint32_t module_len;   /* "a::b" */
	const char *name; uint32_t name_len;
	uint32_t off;
} ncs_use_decl_t;

typedef struct {
	bool present;
	nc_ncs_effect_t fx;
	const char *scope; uint32_t scope_len;     /* NULL: whole effect */
	uint32_t off;                              /* source offset of the name */
} ncs_cap_decl_t;

/* One parsed source file. */
typedef struct ncs_module {
	const char *path;          /* module path ("" for the main script) */
	const char *file;
	const char *src; size_t src_len;
	ncs_arena_t arena;
	ncs_fn_decl_t *fns; uint32_t n_fns, cap_fns;
	ncs_struct_decl_t *structs; uint32_t n_structs, cap_structs;
	ncs_enum_decl_t *enums; uint32_t n_enums, cap_enums;
	ncs_use_decl_t *uses; uint32_t n_uses, cap_uses;
	ncs_cap_decl_t *caps; uint32_t n_caps, cap_caps;
	bool has_cap_header;
	uint32_t first_fn;         /* index of fns[0] in the program's function table */
	uint32_t first_struct;     /* index of structs[0] in the program's struct table */
	uint32_t first_var;        /* variant id of enums[0].vars[0] */
	uint8_t mark;              /* module graph walk */
} ncs_module_t;

/* Parse src into m (m->arena must be set up). */
nc_ncs_err_t ncs_parse_module(ncs_state_t *st, ncs_module_t *m);

#endif
