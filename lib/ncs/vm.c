/* The VM: one dispatch loop over stack bytecode (opcodes.h). Script calls push a
 * frame on a heap array, never on the C stack, so recursion depth is bounded only
 * by limits.max_call_depth and max_alloc_bytes. Every instruction counts one step;
 * steps and the injected clock are checked at checkpoints every CHECK_EVERY
 * instructions (and exactly at max_steps), so a run is deterministic.
 * A builtin may call a script function back (ncs_vm_call, for sort_by): that
 * runs a nested dispatch loop over the same frames, stack and step counter.
 * Long by design (STYLE.md: the dispatch loop reads top to bottom); the operand
 * helpers live in vm_ops.c. */
#include "vm.h"
#include <nc/mem.h>

#define CHECK_EVERY 1024u

ncs_state_t *ncs_vm_state(ncs_vm_t *vm) { return vm->st; }
const ncs_module_t *ncs_vm_caller_module(ncs_vm_t *vm) { return vm->frames[vm->n_frames - 1].proto->mod; }

static bool past_deadline(const ncs_vm_t *vm)
{
	const ncs_state_t *st = vm->st;
	uint64_t deadline = st->cfg->limits.deadline_micros;
	return deadline && st->cfg->clock(st->cfg->clock_ud) - vm->start_micros >= deadline;
}

/* Record the deadline error; false. */
static bool fail_deadline(ncs_state_t *st)
{
	ncs_fail(st, NC_NCS_ERR_LIMIT_DEADLINE, UINT32_MAX, "deadline of %llu us passed",
		 (unsigned long long)st->cfg->limits.deadline_micros);
	return false;
}

static bool checkpoint(ncs_vm_t *vm)
{
	ncs_state_t *st = vm->st;
	const nc_ncs_limits_t *lim = &st->cfg->limits;
	st->steps += vm->chunk;
	vm->chunk = 0;
	if (lim->max_steps && st->steps >= lim->max_steps) {
		ncs_fail(st, NC_NCS_ERR_LIMIT_STEPS, UINT32_MAX, "step limit of %llu reached",
			 (unsigned long long)lim->max_steps);
		return false;
	}
	if (past_deadline(vm))
		return fail_deadline(st);
	uint64_t chunk = CHECK_EVERY;
	if (lim->max_steps && lim->max_steps - st->steps < chunk)
		chunk = lim->max_steps - st->steps;
	vm->chunk = chunk;
	vm->left = chunk;
	return true;
}

static bool walk_late(void *vm)
{
	return past_deadline(vm);
}

ncs_walk_t ncs_vm_walk(ncs_vm_t *vm, uint64_t paid)
{
	const nc_ncs_limits_t *lim = &vm->st->cfg->limits;
	uint64_t done = vm->st->steps + (vm->chunk - vm->left);
	uint64_t left = !lim->max_steps ? UINT64_MAX - paid : done < lim->max_steps ? lim->max_steps - done : 0;
	uint64_t check = lim->deadline_micros ? NCS_WALK_CHECK_EVERY : UINT64_MAX;
	return (ncs_walk_t){ 0, left + paid, check, walk_late, vm, false };
}

bool ncs_vm_walked(ncs_vm_t *vm, const ncs_walk_t *w, uint64_t paid)
{
	if (w->timed_out)
		return fail_deadline(vm->st);
	return w->parts <= paid || ncs_vm_charge(vm, w->parts - paid);
}

bool ncs_vm_equal(ncs_vm_t *vm, ncs_value_t a, ncs_value_t b, bool *eq)
{
	ncs_walk_t w = ncs_vm_walk(vm, 1);
	*eq = ncs_value_equal(a, b, &w);
	return ncs_vm_walked(vm, &w, 1);
}

/* Charged steps count like instructions: the current chunk shrinks so that the
 * next checkpoint comes exactly when the run has used max_steps in all (the
 * dispatch loop reloads vm->left after every helper that may charge). */
bool ncs_vm_charge(ncs_vm_t *vm, uint64_t steps)
{
	ncs_state_t *st = vm->st;
	uint64_t max = st->cfg->limits.max_steps;
	st->steps += steps;
	if (!max)
		return true;
	uint64_t done = st->steps + (vm->chunk - vm->left);
	if (done > max)
		return ncs_fail(st, NC_NCS_ERR_LIMIT_STEPS, UINT32_MAX, "step limit of %llu reached",
				(unsigned long long)max), false;
	if (vm->left > max - done) {
		vm->chunk -= vm->left - (max - done);
		vm->left = max - done;
	}
	return true;
}

/* Make room for a frame of proto at base offset; rebases vm->stack users. */
static bool ensure_stack(ncs_vm_t *vm, size_t need)
{
	if (need <= vm->cap)
		return true;
	size_t cap = vm->cap ? vm->cap : 256;
	while (cap < need)
		cap *= 2;
	ncs_value_t *s = ncs_mem_realloc_tracked(vm->st, vm->stack, vm->cap * sizeof *s, cap * sizeof *s);
	if (!s)
		return false;
	vm->stack = s;
	vm->cap = cap;
	return true;
}

static bool push_frame(ncs_vm_t *vm, ncs_proto_t *p, size_t base, size_t ret_to)
{
	uint32_t max_depth = vm->max_depth;
	if (vm->n_frames >= max_depth)
		return ncs_fail(vm->st, NC_NCS_ERR_LIMIT_DEPTH, UINT32_MAX, "call depth limit of %u reached",
				max_depth), false;
	if (vm->n_frames == vm->cap_frames) {
		uint32_t cap = vm->cap_frames ? vm->cap_frames * 2 : 16;
		ncs_frame_t *f = ncs_mem_realloc_tracked(vm->st, vm->frames, vm->cap_frames * sizeof *f, cap * sizeof *f);
		if (!f)
			return false;
		vm->frames = f;
		vm->cap_frames = cap;
	}
	if (!ensure_stack(vm, base + p->n_slots + p->max_stack + 1))
		return false;
	for (size_t i = base + p->n_params; i < base + p->n_slots; i++)
		vm->stack[i] = ncs_unit();
	ncs_frame_t *f = &vm->frames[vm->n_frames++];
	f->proto = p;
	f->pc = 0;
	f->base = base;
	f->ret_to = ret_to;
	f->wb_slot = NCS_NO_WRITE_BACK;
	return true;
}

/* Callers of the failing frame, innermost first, skipping the top skip frames.
 * A caller's saved pc is its return address: the call is the instruction before. */
static void record_trace(ncs_vm_t *vm, uint32_t skip)
{
	ncs_state_t *st = vm->st;
	for (uint32_t i = vm->n_frames - skip; i-- > 0;) {
		const ncs_frame_t *f = &vm->frames[i];
		if (st->n_trace == NCS_TRACE_MAX) {
			st->trace_more = i + 1;
			return;
		}
		ncs_trace_entry_t *t = &st->trace[st->n_trace++];
		t->mod = f->proto->mod;
		t->off = f->proto->offs[f->pc ? f->pc - 1 : 0];
		t->fn = f->proto->name;
		t->fn_len = f->proto->name_len;
	}
}

#define DISPATCH()                                              \
	do {                                                    \
		ins = ip;                                       \
		if (__builtin_expect(left-- == 0, 0)) {         \
			left = 0;                               \
			SYNC();                                 \
			if (!checkpoint(vm))                    \
				goto fail;                      \
			left = vm->left - 1;                    \
		}                                               \
		ip++;                                           \
		goto *labels[ins->op];                          \
	} while (0)
#define PUSH(v) (*sp++ = (v))

/* Copy a value as two 8-byte words. Instructions update values in 8-byte pieces
 * (a tag, an Int); a 16-byte vector load right after such stores misses the
 * CPU's store-to-load forwarding and stalls, so hot reads go word by word. */
static inline void vcopy(ncs_value_t *d, const ncs_value_t *s)
{
	uint64_t w0, w1;
	__builtin_memcpy(&w0, s, 8);
	__builtin_memcpy(&w1, (const char *)s + 8, 8);
	__asm__("" : "+r"(w0), "+r"(w1));
	__builtin_memcpy(d, &w0, 8);
	__builtin_memcpy((char *)d + 8, &w1, 8);
}
#define SYNC() (vm->sp = sp, vm->left = left, vm->frames[vm->n_frames - 1].pc = (uint32_t)(ins - code))
#define LOAD_FRAME()                                                    \
	do {                                                            \
		ncs_frame_t *f_ = &vm->frames[vm->n_frames - 1];        \
		code = f_->proto->code;                                 \
		k = f_->proto->k;                                       \
		ip = code + f_->pc;                                     \
		base = vm->stack + f_->base;                            \
	} while (0)
#define TRY(expr) do { SYNC(); if (!(expr)) goto fail; } while (0)

/* Builtins may call back into the script (ncs_vm_call), which can move the
 * stack and advances the step counter: reload the loop's copies afterwards. */
#define RELOAD()                                                        \
	do {                                                            \
		sp = vm->sp;                                            \
		left = vm->left;                                        \
		base = vm->stack + vm->frames[vm->n_frames - 1].base;   \
	} while (0)

/* Run the top frame (its slots set up, vm->sp above them) until the frame count
 * drops back to stop; the value it returns goes to *result. Nested runs (stop > 0)
 * continue the step count of the run that called the builtin. */
static nc_ncs_err_t run_frames(ncs_vm_t *vm, uint32_t stop, ncs_value_t *result)
{
#define NCS_OP_LABEL(name) &&L_##name,
	static const void *const labels[] = { NCS_OPCODES(NCS_OP_LABEL) };
#undef NCS_OP_LABEL
	const ncs_ins_t *code, *ip, *ins = NULL;
	const ncs_value_t *k;
	ncs_value_t *base, *sp = vm->sp;
	ncs_state_t *st = vm->st;
	uint64_t left = vm->left;
	LOAD_FRAME();
	DISPATCH();

L_PUSHK: ncs_ref(k[ins->b]); PUSH(k[ins->b]); DISPATCH();
L_PUSHI: PUSH(ncs_int((int32_t)ins->b)); DISPATCH();
L_PUSHUNIT: PUSH(ncs_unit()); DISPATCH();
L_PUSHBOOL: PUSH(ncs_bool(ins->b != 0)); DISPATCH();
L_PUSHFN: { ncs_value_t v = { V_FUNC, 0, { .fn = vm->prog->fns[ins->b] } }; PUSH(v); DISPATCH(); }
L_PUSHTAG: { ncs_value_t v = { V_TAG, ins->b, { .i = 0 } }; PUSH(v); DISPATCH(); }
L_LOAD: vcopy(sp, &base[ins->a]); ncs_ref(*sp); sp++; DISPATCH();
L_LOADCAP: /* only closures contain LOADCAP, and a closure runs with itself at base[-1] */
	vcopy(sp, &((ncs_rec_t *)base[-1].u.o)->f[ins->b]);
	ncs_ref(*sp);
	sp++;
	DISPATCH();
L_STORE: {
	ncs_value_t old;
	vcopy(&old, &base[ins->a]);
	vcopy(&base[ins->a], --sp);
	ncs_unref(st, old);
	DISPATCH();
}
L_CLEAR:
	for (uint32_t i = 0; i < ins->b; i++) {
		ncs_value_t old = base[ins->a + i];
		base[ins->a + i] = ncs_unit();
		ncs_unref(st, old);
	}
	DISPATCH();
L_POP: for (uint32_t i = 0; i < ins->b; i++) ncs_unref(st, *--sp); DISPATCH();
L_SLIDE: {
	ncs_value_t top;
	vcopy(&top, --sp);
	for (uint32_t i = 0; i < ins->b; i++)
		ncs_unref(st, *--sp);
	PUSH(top);
	DISPATCH();
}
L_ADD: L_SUB: {
	int64_t r;
	if (sp[-2].tag == V_INT && sp[-1].tag == V_INT &&
	    __builtin_expect(ncs_int_arith((ncs_op_t)ins->op, sp[-2].u.i, sp[-1].u.i, &r), 1)) {
		sp--;
		sp[-1] = ncs_int(r);
		DISPATCH();
	}
	goto arith;
}
L_BAND: L_BOR: L_BXOR:
	if (sp[-2].tag == V_INT && sp[-1].tag == V_INT) {
		int64_t x = sp[-2].u.i, y = sp[-1].u.i;
		sp--;
		sp[-1] = ncs_int(ins->op == OP_BAND ? x & y : ins->op == OP_BOR ? x | y : x ^ y);
		DISPATCH();
	}
	goto arith;
L_MUL: L_DIV: L_MOD: L_SHL: L_SHR:
arith:
	SYNC();
	if (!ncs_vm_arith(vm, (ncs_op_t)ins->op, sp - 2))
		goto fail;
	sp--;
	DISPATCH();
L_EQ: L_NE: {
	bool eq;
	SYNC();
	if (!ncs_vm_equal(vm, sp[-2], sp[-1], &eq))
		goto fail;
	ncs_unref(st, sp[-1]);
	ncs_unref(st, sp[-2]);
	sp--;
	sp[-1] = ncs_bool(ins->op == OP_EQ ? eq : !eq);
	DISPATCH();
}
L_LT: L_LE: L_GT: L_GE:
	if (sp[-2].tag == V_INT && sp[-1].tag == V_INT) {
		int64_t a = sp[-2].u.i, b = sp[-1].u.i;
		bool r = ins->op == OP_LT ? a < b : ins->op == OP_LE ? a <= b : ins->op == OP_GT ? a > b : a >= b;
		sp--;
		sp[-1] = ncs_bool(r);
		DISPATCH();
	}
	SYNC();
	if (!ncs_vm_compare(vm, (ncs_op_t)ins->op, sp - 2))
		goto fail;
	sp--;
	DISPATCH();
L_ARITHI:
	if (sp[-1].tag == V_INT) {
		int64_t r;
		if (__builtin_expect(ncs_int_arith((ncs_op_t)ins->a, sp[-1].u.i, (int32_t)ins->b, &r), 1)) {
			sp[-1] = ncs_int(r);
			DISPATCH();
		}
	}
	*sp++ = ncs_int((int32_t)ins->b);
	SYNC();
	if (!ncs_vm_arith(vm, (ncs_op_t)ins->a, sp - 2))
		goto fail;
	sp--;
	DISPATCH();
L_CMPI:
	if (sp[-1].tag == V_INT) {
		int64_t x = sp[-1].u.i, y = (int32_t)ins->b;
		bool r = ins->a == OP_LT ? x < y : ins->a == OP_LE ? x <= y : ins->a == OP_GT ? x > y
		       : ins->a == OP_GE ? x >= y : ins->a == OP_EQ ? x == y : x != y;
		if (ip->op == OP_JMPF && left > 0) { /* the usual `if`/`while` test: take the jump now */
			left--;
			sp--;
			ip = r ? ip + 1 : code + ip->b;
			DISPATCH();
		}
		sp[-1] = ncs_bool(r);
		DISPATCH();
	}
	*sp++ = ncs_int((int32_t)ins->b);
	SYNC();
	if (ins->a == OP_EQ || ins->a == OP_NE) {
		bool eq = ncs_value_equal(sp[-2], sp[-1], NCS_WALK_ANY); /* against an Int constant */
		ncs_unref(st, sp[-2]);
		sp--;
		sp[-1] = ncs_bool(ins->a == OP_EQ ? eq : !eq);
		DISPATCH();
	}
	if (!ncs_vm_compare(vm, (ncs_op_t)ins->a, sp - 2))
		goto fail;
	sp--;
	DISPATCH();
L_FORSTEP: {
	/* the entry FORRANGE checked both Int and i < end, so end - 1 cannot overflow;
	   the two slots are hidden from the script */
	ncs_value_t *i = &base[ins->a];
	if (i->u.i < base[ins->a + 1].u.i - 1) {
		i->u.i++;
		ip = code + ins->b;
	}
	DISPATCH();
}
L_FORSTEPI: {
	ncs_value_t *i = &base[ins->a];
	if (i->u.i < base[ins->a + 1].u.i) {
		i->u.i++;
		ip = code + ins->b;
	}
	DISPATCH();
}
L_NEG: L_NOT:
	TRY(ncs_vm_unary(vm, (ncs_op_t)ins->op, sp - 1));
	DISPATCH();
L_ARITHLI: {
	ncs_value_t x;
	vcopy(&x, &base[ins->a]);
	ncs_op_t op = (ncs_op_t)(ins->b >> 24);
	int64_t y = (int32_t)(ins->b << 8) >> 8, r;
	if (x.tag == V_INT && __builtin_expect(ncs_int_arith(op, x.u.i, y, &r), 1)) {
		PUSH(ncs_int(r));
		DISPATCH();
	}
	ncs_ref(x);
	PUSH(x);
	PUSH(ncs_int(y));
	SYNC();
	if (!ncs_vm_arith(vm, op, sp - 2))
		goto fail;
	sp--;
	DISPATCH();
}
L_INCLI: {
	ncs_value_t *v = &base[ins->a];
	if (v->tag != V_INT) {
		SYNC();
		ncs_fail(st, NC_NCS_ERR_TYPE, UINT32_MAX, "cannot add Int to %s", ncs_type_name(*v));
		goto fail;
	}
	if (!ncs_int_arith(OP_ADD, v->u.i, (int32_t)ins->b, &v->u.i)) {
		SYNC();
		ncs_fail(st, NC_NCS_ERR_OVERFLOW, UINT32_MAX, "Int overflow in +");
		goto fail;
	}
	DISPATCH();
}
L_JMP: ip = code + ins->b; DISPATCH();
L_JMPF: L_JMPT: {
	ncs_value_t c = *--sp;
	if (c.tag != V_BOOL) {
		SYNC();
		ncs_fail(st, NC_NCS_ERR_TYPE, UINT32_MAX, "condition must be Bool, not %s", ncs_type_name(c));
		ncs_unref(st, c);
		goto fail;
	}
	if (c.u.b == (ins->op == OP_JMPT))
		ip = code + ins->b;
	DISPATCH();
}
L_CALL: {
	uint32_t n = ins->a;
	ncs_value_t fv = sp[-(int)n - 1];
	ncs_proto_t *fn = fv.tag == V_FUNC ? fv.u.fn : fv.tag == V_CLOSURE ? vm->prog->fns[((ncs_rec_t *)fv.u.o)->id] : NULL;
	if (!fn) {
		SYNC();
		ncs_fail(st, NC_NCS_ERR_TYPE, UINT32_MAX, "cannot call a value of type %s", ncs_type_name(fv));
		goto fail;
	}
	if (fn->n_params != n) {
		SYNC();
		ncs_fail(st, NC_NCS_ERR_ARGS, UINT32_MAX, "`%.*s` takes %u arguments, %u given",
			 (int)fn->name_len, fn->name, fn->n_params, n);
		goto fail;
	}
	size_t nb = (size_t)(sp - vm->stack) - n;
	SYNC();
	vm->frames[vm->n_frames - 1].pc = (uint32_t)(ip - code);
	if (!push_frame(vm, fn, nb, nb - 1))
		goto fail_caller;
	sp = vm->stack + nb + fn->n_slots;
	LOAD_FRAME();
	DISPATCH();
}
L_CALLG: {
	ncs_proto_t *fn = vm->prog->fns[ins->b];
	size_t nb = (size_t)(sp - vm->stack) - ins->a;
	vm->frames[vm->n_frames - 1].pc = (uint32_t)(ip - code);
	if (__builtin_expect(vm->n_frames < vm->cap_frames && vm->n_frames < vm->max_depth &&
			     nb + fn->n_slots + fn->max_stack + 1 <= vm->cap, 1)) {
		/* fast path of push_frame: room for the frame and its stack */
		ncs_frame_t *f = &vm->frames[vm->n_frames++];
		f->proto = fn;
		f->pc = 0;
		f->base = nb;
		f->ret_to = nb;
		f->wb_slot = NCS_NO_WRITE_BACK;
		base = vm->stack + nb;
		for (uint32_t i = fn->n_params; i < fn->n_slots; i++)
			base[i] = ncs_unit();
		sp = base + fn->n_slots;
		code = fn->code;
		k = fn->k;
		ip = code;
		DISPATCH();
	}
	SYNC();
	vm->frames[vm->n_frames - 1].pc = (uint32_t)(ip - code);
	if (!push_frame(vm, fn, nb, nb))
		goto fail_caller;
	sp = vm->stack + nb + fn->n_slots;
	LOAD_FRAME();
	DISPATCH();
}
L_CALLB: {
	ncs_value_t out = ncs_unit();
	uint32_t n = ins->a;
	SYNC();
	bool ok = ncs_builtins[ins->b].fn(vm, sp - n, n, &out);
	RELOAD();
	for (uint32_t i = 0; i < n; i++)
		ncs_unref(st, *--sp);
	vm->sp = sp;
	if (!ok)
		goto fail;
	PUSH(out);
	DISPATCH();
}
L_CALLM: {
	ncs_method_site_t *ms = &vm->prog->sites[ins->b];
	uint32_t nargs = ms->n_args - 1; /* besides the receiver */
	ncs_value_t *recv = ins->a == 0xffff ? sp - nargs - 1 : &base[ins->a];
	uint32_t mi = recv->tag == V_STRUCT ? ncs_vm_find_method(vm->prog, ms, ((ncs_rec_t *)recv->u.o)->id) : UINT32_MAX;
	if (mi == UINT32_MAX)
		goto L_METHOD;
	const ncs_method_t *mt = &vm->prog->methods[mi];
	ncs_proto_t *fn = vm->prog->fns[mt->fn];
	if (fn->n_params != nargs + 1) {
		SYNC();
		ncs_fail(st, NC_NCS_ERR_ARGS, UINT32_MAX, "`%.*s` takes %u arguments, %u given", (int)fn->name_len, fn->name,
			 fn->n_params - 1, nargs);
		goto fail;
	}
	if (ins->a != 0xffff) { /* receiver in a slot: put a copy below the arguments */
		__builtin_memmove(sp - nargs + 1, sp - nargs, nargs * sizeof *sp);
		sp++;
		sp[-(int)nargs - 1] = *recv;
		ncs_ref(*recv);
	}
	size_t nb = (size_t)(sp - vm->stack) - nargs - 1;
	SYNC();
	vm->frames[vm->n_frames - 1].pc = (uint32_t)(ip - code);
	if (!push_frame(vm, fn, nb, nb))
		goto fail_caller;
	if (mt->self_kind == NCS_SELF_MUT_REF && ins->a != 0xffff)
		vm->frames[vm->n_frames - 1].wb_slot = ins->a;
	sp = vm->stack + nb + fn->n_slots;
	LOAD_FRAME();
	DISPATCH();
}
L_METHOD: {
	SYNC();
	bool ok = ncs_vm_method(vm, ins->a == 0xffff ? NULL : &base[ins->a], &vm->prog->sites[ins->b]);
	RELOAD();
	if (!ok)
		goto fail;
	DISPATCH();
}
L_RET: {
	ncs_frame_t *f = &vm->frames[vm->n_frames - 1];
	ncs_value_t r;
	vcopy(&r, --sp);
	if (f->wb_slot != NCS_NO_WRITE_BACK) { /* `&mut self`: the caller's variable gets self back */
		ncs_value_t *dst = vm->stack + f[-1].base + f->wb_slot, old = *dst;
		*dst = base[0];
		base[0] = ncs_unit();
		ncs_unref(st, old);
	}
	ncs_value_t *to = vm->stack + f->ret_to;
	while (sp > to)
		ncs_unref(st, *--sp);
	vm->n_frames--;
	if (vm->n_frames == stop) {
		vm->sp = sp;
		vm->left = left;
		*result = r;
		if (stop == 0)
			st->steps += vm->chunk - left;
		return NC_NCS_OK;
	}
	PUSH(r);
	LOAD_FRAME();
	DISPATCH();
}
L_ARRAY: L_TUPLE: L_STRUCT: L_VARIANT: L_ARRAYREP: L_RANGE: L_CHECKSTRUCT: L_CLOSURE:
	TRY(ncs_vm_build(vm, ins));
	sp = vm->sp;
	left = vm->left;
	DISPATCH();
L_GETFIELDL: {
	ncs_value_t v;
	vcopy(&v, &base[ins->a]);
	ncs_field_site_t *fs = &vm->prog->fsites[ins->b];
	if (v.tag == V_STRUCT && ((ncs_rec_t *)v.u.o)->id == fs->cache_def) {
		vcopy(sp, &((ncs_rec_t *)v.u.o)->f[fs->cache_idx]);
		ncs_ref(*sp);
		sp++;
		DISPATCH();
	}
	goto access;
}
L_SETFIELDL: {
	ncs_value_t v;
	vcopy(&v, &base[ins->a]);
	ncs_field_site_t *fs = &vm->prog->fsites[ins->b];
	if (v.tag == V_STRUCT && v.u.o->rc == 1 && ((ncs_rec_t *)v.u.o)->id == fs->cache_def &&
	    sp[-1].tag < V_ARR) {
		ncs_value_t *f = &((ncs_rec_t *)v.u.o)->f[fs->cache_idx];
		ncs_value_t old;
		vcopy(&old, f);
		vcopy(f, --sp);
		ncs_unref(st, old);
		DISPATCH();
	}
	goto access;
}
L_GETFIELD:
access: L_GETINDEX: L_SETINDEXL: L_TUPLEGET: L_PART: L_CAST:
	TRY(ncs_vm_access(vm, ins, base));
	sp = vm->sp;
	left = vm->left;
	DISPATCH();
L_TRY: {
	ncs_value_t v = sp[-1];
	bool is_ok = v.tag == V_VARIANT && (((ncs_rec_t *)v.u.o)->id == NCS_VAR_OK ||
					   ((ncs_rec_t *)v.u.o)->id == NCS_VAR_SOME);
	bool is_err = (v.tag == V_VARIANT && ((ncs_rec_t *)v.u.o)->id == NCS_VAR_ERR) ||
		      (v.tag == V_TAG && v.aux == NCS_VAR_NONE);
	if (is_ok) {
		ncs_value_t inner = ((ncs_rec_t *)v.u.o)->f[0];
		ncs_ref(inner);
		ncs_unref(st, v);
		sp[-1] = inner;
		DISPATCH();
	}
	if (!is_err) {
		SYNC();
		ncs_fail(st, NC_NCS_ERR_TYPE, UINT32_MAX, "`?` needs a Result or Option, not %s", ncs_type_name(v));
		goto fail;
	}
	goto L_RET;
}
L_ISVAR: {
	ncs_value_t v = base[ins->a];
	PUSH(ncs_bool((v.tag == V_VARIANT && ((ncs_rec_t *)v.u.o)->id == ins->b) ||
		      (v.tag == V_TAG && v.aux == ins->b)));
	DISPATCH();
}
L_ISTUPLE: {
	ncs_value_t v = base[ins->a];
	PUSH(ncs_bool((v.tag == V_TUPLE && ((ncs_arr_t *)v.u.o)->len == ins->b) ||
		      (ins->b == 0 && v.tag == V_UNIT)));
	DISPATCH();
}
L_ISSTRUCT: {
	ncs_value_t v = base[ins->a];
	PUSH(ncs_bool(v.tag == V_STRUCT && ((ncs_rec_t *)v.u.o)->id == ins->b));
	DISPATCH();
}
L_NOMATCH:
	SYNC();
	ncs_fail(st, NC_NCS_ERR_NO_MATCH, UINT32_MAX, "no pattern matched the value");
	goto fail;
L_FORRANGE: L_FORRANGEI: {
	ncs_value_t i = base[ins->a], e = base[ins->a + 1];
	if (i.tag != V_INT || e.tag != V_INT) {
		SYNC();
		ncs_fail(st, NC_NCS_ERR_TYPE, UINT32_MAX, "range bounds must be Int, not %s and %s", ncs_type_name(i),
			 ncs_type_name(e));
		goto fail;
	}
	if (ins->op == OP_FORRANGE ? i.u.i >= e.u.i : i.u.i > e.u.i)
		ip = code + ins->b;
	DISPATCH();
}
L_FORARR: {
	bool done;
	TRY(ncs_vm_for_next(vm, &base[ins->a], &done));
	sp = vm->sp;
	left = vm->left;
	if (done)
		ip = code + ins->b;
	DISPATCH();
}

fail:
	/* the failing instruction's position is already synced into the frame */
	if (st->err_off == UINT32_MAX && vm->n_frames) {
		ncs_frame_t *f = &vm->frames[vm->n_frames - 1];
		st->err_off = f->proto->offs[f->pc];
		st->err_mod = f->proto->mod;
		record_trace(vm, 1);
	}
	return st->err;
fail_caller:
	/* a call failed to start: report it at the call instruction */
	if (st->err_off == UINT32_MAX) {
		ncs_frame_t *f = &vm->frames[vm->n_frames - 1];
		st->err_off = f->proto->offs[f->pc - 1];
		st->err_mod = f->proto->mod;
		record_trace(vm, 1);
	}
	return st->err;
}

nc_ncs_err_t ncs_vm_execute(ncs_vm_t *vm, ncs_value_t *result)
{
	vm->left = 0;
	vm->chunk = 0;
	if (!push_frame(vm, vm->prog->main, 0, 0))
		return vm->st->err;
	vm->sp = vm->stack + vm->prog->main->n_slots;
	return run_frames(vm, 0, result);
}

bool ncs_vm_call(ncs_vm_t *vm, ncs_value_t fv, const ncs_value_t *args, uint32_t n, ncs_value_t *out)
{
	ncs_state_t *st = vm->st;
	ncs_proto_t *fn = fv.tag == V_FUNC ? fv.u.fn : fv.tag == V_CLOSURE ? vm->prog->fns[((ncs_rec_t *)fv.u.o)->id] : NULL;
	if (!fn)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "cannot call a value of type %s", ncs_type_name(fv));
	if (fn->n_params != n)
		return ncs_vm_fail(vm, NC_NCS_ERR_ARGS, "`%.*s` takes %u arguments, %u given", (int)fn->name_len, fn->name,
				   fn->n_params, n);
	if (vm->n_callbacks == NCS_VM_CALLBACK_DEPTH_MAX)
		return ncs_vm_fail(vm, NC_NCS_ERR_LIMIT_DEPTH, "builtins calling back into the script nested deeper than %u",
				   NCS_VM_CALLBACK_DEPTH_MAX);
	size_t at = (size_t)(vm->sp - vm->stack);
	if (!ensure_stack(vm, at + 1 + n))
		return false;
	/* the same layout as OP_CALL: the function value, then the arguments */
	ncs_value_t *sp = vm->stack + at;
	*sp++ = fv;
	ncs_ref(fv);
	for (uint32_t i = 0; i < n; i++) {
		*sp++ = args[i];
		ncs_ref(args[i]);
	}
	vm->sp = sp;
	uint32_t stop = vm->n_frames, pc = vm->frames[stop - 1].pc;
	vm->frames[stop - 1].pc = pc + 1; /* as a caller: the saved pc follows the call */
	bool ok = push_frame(vm, fn, at + 1, at);
	if (ok) {
		vm->sp = vm->stack + at + 1 + fn->n_slots;
		vm->n_callbacks++;
		ok = run_frames(vm, stop, out) == NC_NCS_OK;
		vm->n_callbacks--;
	}
	vm->frames[stop - 1].pc = pc;
	if (!ok) { /* release the callee's frames and operands */
		ncs_value_t *bottom = vm->stack + at;
		while (vm->sp > bottom)
			ncs_unref(st, *--vm->sp);
		vm->n_frames = stop;
	}
	return ok;
}
