/* VM internals shared by vm.c (dispatch loop), vm_ops.c (operand helpers) and
 * the builtins. Internal to lib/ncs. */
#ifndef NCS_VM_H
#define NCS_VM_H

#include "builtins.h"
#include "opcodes.h"

typedef struct {
	ncs_proto_t *proto;
	uint32_t pc;               /* index of the current (or, in callers, next) instruction */
	size_t base;               /* stack index of slot 0 */
	size_t ret_to;             /* stack index receiving the result */
	uint32_t wb_slot;          /* `&mut self` call: caller slot that receives self back */
} ncs_frame_t;

#define NCS_NO_WRITE_BACK UINT32_MAX

struct ncs_vm {
	ncs_state_t *st;
	ncs_program_t *prog;
	ncs_value_t *stack; size_t cap;
	ncs_value_t *sp;           /* synced from the loop before helpers run */
	ncs_frame_t *frames; uint32_t n_frames, cap_frames;
	uint64_t chunk, left;      /* steps in the current checkpoint chunk, left of it */
	uint64_t start_micros;
	uint32_t max_depth;        /* limits.max_call_depth, or NC_NCS_CALL_DEPTH_DEFAULT */
	uint32_t n_callbacks;      /* nested ncs_vm_call runs (each uses the C stack) */
};

/* How deeply builtins may call back into the script while already inside such a
 * call (sort_by in a sort_by comparator ...): each level takes C stack. */
#define NCS_VM_CALLBACK_DEPTH_MAX 16u

/* x op y for Int +, -, *, / and % (op OP_ADD .. OP_MOD), in 64-bit two's
 * complement: false, with *r unspecified, when the result does not fit or y is
 * 0 for / and %, and for INT64_MIN % -1 (whose 0 is left to ncs_vm_arith, which
 * also names the error); the dispatch loop's fast paths fall back to it then.
 * The one place the VM does checked Int arithmetic. */
static inline bool ncs_int_arith(ncs_op_t op, int64_t x, int64_t y, int64_t *r)
{
	switch (op) {
	case OP_ADD: return !__builtin_add_overflow(x, y, r);
	case OP_SUB: return !__builtin_sub_overflow(x, y, r);
	case OP_MUL: return !__builtin_mul_overflow(x, y, r);
	default:
		if (y == 0 || (x == INT64_MIN && y == -1))
			return false;
		*r = op == OP_DIV ? x / y : x % y;
		return true;
	}
}

nc_ncs_err_t ncs_vm_execute(ncs_vm_t *vm, ncs_value_t *result);
bool ncs_vm_arith(ncs_vm_t *vm, ncs_op_t op, ncs_value_t *ab);
bool ncs_vm_compare(ncs_vm_t *vm, ncs_op_t op, ncs_value_t *ab);
bool ncs_vm_unary(ncs_vm_t *vm, ncs_op_t op, ncs_value_t *a);
bool ncs_vm_method(ncs_vm_t *vm, ncs_value_t *place, const ncs_method_site_t *site);
bool ncs_vm_build(ncs_vm_t *vm, const ncs_ins_t *ins);
bool ncs_vm_access(ncs_vm_t *vm, const ncs_ins_t *ins, ncs_value_t *base);
bool ncs_vm_for_next(ncs_vm_t *vm, ncs_value_t *slots, bool *done);
/* Index in prog->methods of the method site names for struct def, or UINT32_MAX
 * (cached per site). */
uint32_t ncs_vm_find_method(ncs_program_t *prog, ncs_method_site_t *site, uint32_t def);

#endif
