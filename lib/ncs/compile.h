/* Compiler state shared by compile.c (expressions, statements), compile_pat.c
 * (patterns, match, let) and compile_prog.c (modules, symbols, functions).
 * Internal to lib/ncs. */
#ifndef NCS_COMPILE_H
#define NCS_COMPILE_H

#include "builtins.h"
#include "cap.h"
#include "opcodes.h"

#define NCS_NO_SLOT 0xffffu
#define NCS_NO_PATCH UINT32_MAX

typedef struct {
	const char *name; uint32_t len;
	uint16_t slot;
	bool mut;
} ncs_local_t;

typedef struct ncs_loop {
	struct ncs_loop *up;
	uint32_t cont_target;      /* where `continue` jumps (patched later if NCS_NO_PATCH) */
	uint32_t cont_patches;     /* chain of JMPs waiting for cont_target */
	uint32_t break_patches;    /* chain of JMPs to the exit */
	uint32_t stack_depth;      /* operand depth at loop entry */
	bool value;                /* `loop`: break may carry a value */
} ncs_loop_t;

typedef enum { SYM_NONE, SYM_FN, SYM_STRUCT, SYM_ENUM } ncs_sym_kind_t;
typedef struct {
	ncs_sym_kind_t kind;
	uint32_t index;            /* fn index, struct def, or first variant id */
	uint32_t count;            /* enum: number of variants */
	const ncs_enum_decl_t *en;
} ncs_sym_t;

/* A value a closure captures: from the enclosing function's slot, or from the
 * enclosing closure's own captures (nested closures). */
typedef struct {
	const char *name; uint32_t len;
	bool from_capture;
	uint32_t src;              /* enclosing slot or capture index */
} ncs_capture_t;

typedef struct ncs_fstate {
	ncs_state_t *st;
	ncs_program_t *prog;
	ncs_module_t *mod;
	ncs_proto_t *proto;
	struct ncs_fstate *parent; /* enclosing function while compiling a closure */
	ncs_capture_t *caps; uint32_t n_caps, cap_caps;
	ncs_local_t *locals; uint32_t n_locals, cap_locals;
	uint32_t slot_top, or_from;
	uint32_t cur;              /* operand stack depth now */
	ncs_loop_t *loop;
	uint32_t depth;            /* recursion guard mirror of the parser's */
} ncs_fstate_t;

bool ncs_c_emit(ncs_fstate_t *fs, ncs_op_t op, uint32_t a, uint32_t b, uint32_t off, int delta);
uint32_t ncs_c_here(ncs_fstate_t *fs);
/* Emit a jump added to a patch chain (threaded through the b fields). */
bool ncs_c_jump_chain(ncs_fstate_t *fs, ncs_op_t op, uint32_t *chain, uint32_t off, int delta);
void ncs_c_patch_chain(ncs_fstate_t *fs, uint32_t chain, uint32_t target);
bool ncs_c_const(ncs_fstate_t *fs, ncs_value_t v, uint32_t *idx);
bool ncs_c_alloc_slot(ncs_fstate_t *fs, uint32_t off, uint16_t *slot);
bool ncs_c_declare(ncs_fstate_t *fs, const char *name, uint32_t len, bool mut, uint32_t off,
		   uint16_t *slot);
ncs_local_t *ncs_c_find_local(ncs_fstate_t *fs, const char *name, uint32_t len);
/* Capture index of an enclosing function's variable (captured on first use), or -1. */
int ncs_c_capture(ncs_fstate_t *fs, const char *name, uint32_t len);
/* A local or a capturable variable of an enclosing function. */
bool ncs_c_is_var(ncs_fstate_t *fs, const char *name, uint32_t len);
/* Closure literal: compiles its body as a new function and pushes the closure. */
bool ncs_c_closure(ncs_fstate_t *fs, const ncs_node_t *n);
/* Method call site for a builtin method name with nargs arguments (receiver included). */
bool ncs_c_method_site(ncs_fstate_t *fs, const char *name, uint32_t name_len, uint32_t nargs, uint32_t off,
		       uint32_t *site, bool *mutates);
/* map/filter/fold/any/all/for_each with a function argument, compiled as loops.
 * Sets *handled when n is one of them; returns false on a compile error. */
bool ncs_c_iter_method(ncs_fstate_t *fs, const ncs_node_t *n, bool *handled);
bool ncs_c_error(ncs_fstate_t *fs, nc_ncs_err_t err, uint32_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Scope: remember locals and slots; leaving clears the scope's slots. */
typedef struct { uint32_t n_locals, slot_top; } ncs_scope_t;
ncs_scope_t ncs_c_scope_enter(ncs_fstate_t *fs);
bool ncs_c_scope_leave(ncs_fstate_t *fs, ncs_scope_t sc, uint32_t off);

ncs_sym_t ncs_c_lookup(ncs_fstate_t *fs, const char *name, uint32_t len);
/* Variant id for a pattern/constructor name ("Some", "Shape::Circle"); false if none. */
bool ncs_c_variant(ncs_fstate_t *fs, const char *name, uint32_t len, uint32_t *id);
bool ncs_c_struct_field(const ncs_struct_def_t *d, const char *name, uint32_t len, uint32_t *idx);
bool ncs_c_field_site(ncs_fstate_t *fs, const char *name, uint32_t len, uint32_t *site);

bool ncs_c_expr(ncs_fstate_t *fs, const ncs_node_t *n);
bool ncs_c_block(ncs_fstate_t *fs, const ncs_node_t *n);
/* A block whose value is discarded (loop bodies): leaves nothing on the stack. */
bool ncs_c_block_effect(ncs_fstate_t *fs, const ncs_node_t *n);
bool ncs_c_match(ncs_fstate_t *fs, const ncs_node_t *n);
bool ncs_c_let(ncs_fstate_t *fs, const ncs_node_t *n);
bool ncs_c_if_let(ncs_fstate_t *fs, const ncs_node_t *n);
bool ncs_c_while_let(ncs_fstate_t *fs, const ncs_node_t *n);
bool ncs_c_for(ncs_fstate_t *fs, const ncs_node_t *n);
/* Test the value in slot against pat, binding names; failing tests jump via *fail. */
bool ncs_c_pattern(ncs_fstate_t *fs, const ncs_node_t *pat, uint16_t slot, uint32_t *fail);
/* Bind a value in slot to an irrefutable-or-checked pattern (params, for, let). */
bool ncs_c_bind(ncs_fstate_t *fs, const ncs_node_t *pat, uint16_t slot, uint32_t off);
/* Loop bookkeeping shared by while/loop/for. */
void ncs_c_loop_begin(ncs_fstate_t *fs, ncs_loop_t *lp, bool value);
void ncs_c_loop_end(ncs_fstate_t *fs, ncs_loop_t *lp, uint32_t exit_target);

#endif
