/* math:: module. Pure. Int results are overflow-checked like the operators;
 * Float functions are IEEE-754 double. No libm: sqrt is the SSE2 instruction
 * (f64.sqrt in the wasm flavour; both are correctly rounded, IEEE-754 5.4.1),
 * floor/ceil/round work on the binary representation. pow takes an Int
 * exponent (>= 0 for an Int base); a fractional exponent is NC_NCS_ERR_VALUE. */
#include "builtins.h"

static bool num(ncs_vm_t *vm, ncs_value_t v, const char *fn, double *out)
{
	if (v.tag == V_INT)
		*out = (double)v.u.i;
	else if (v.tag == V_FLOAT)
		*out = v.u.f;
	else
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "math::%s needs a number, not %s", fn, ncs_type_name(v));
	return true;
}

static double sqrt_d(double x)
{
#if defined(__wasm__)
	return __builtin_sqrt(x); /* f64.sqrt: the wasm flavour has -fno-math-errno */
#else
	double r;
	__asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x));
	return r;
#endif
}

/* Round toward negative infinity; values >= 2^52 in magnitude are integral. */
static double floor_d(double x)
{
	if (!(x > -4503599627370496.0 && x < 4503599627370496.0))
		return x;
	double t = (double)(int64_t)x;
	return t > x ? t - 1.0 : t;
}

NCS_BUILTIN(ncs_b_math_abs)
{
	if (args[0].tag == V_INT) {
		if (args[0].u.i == INT64_MIN)
			return ncs_vm_fail(vm, NC_NCS_ERR_OVERFLOW, "Int overflow in math::abs");
		*out = ncs_int(args[0].u.i < 0 ? -args[0].u.i : args[0].u.i);
		return true;
	}
	double d = 0;
	if (!num(vm, args[0], "abs", &d))
		return false;
	*out = ncs_float(d < 0 ? -d : d == 0 ? 0.0 : d);
	return true;
}

static bool pick(ncs_vm_t *vm, ncs_value_t *args, ncs_value_t *out, bool want_max, const char *fn)
{
	if (args[0].tag != args[1].tag || (args[0].tag != V_INT && args[0].tag != V_FLOAT))
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "math::%s needs two Ints or two Floats", fn);
	bool ok;
	int c = ncs_value_compare(args[0], args[1], &ok, NCS_WALK_ANY); /* Ints or Floats */
	*out = (want_max ? c >= 0 : c <= 0) ? args[0] : args[1];
	return true;
}

NCS_BUILTIN(ncs_b_math_min) { return pick(vm, args, out, false, "min"); }
NCS_BUILTIN(ncs_b_math_max) { return pick(vm, args, out, true, "max"); }

NCS_BUILTIN(ncs_b_math_clamp)
{
	ncs_value_t lohi[2] = { args[0], args[1] }, t;
	if (!pick(vm, lohi, &t, true, "clamp"))
		return false;
	lohi[0] = t;
	lohi[1] = args[2];
	return pick(vm, lohi, out, false, "clamp");
}

NCS_BUILTIN(ncs_b_math_pow)
{
	int64_t e;
	if (args[1].tag == V_FLOAT) {
		double f = args[1].u.f;
		if (!(f > -1e18 && f < 1e18) || (double)(int64_t)f != f)
			return ncs_vm_fail(vm, NC_NCS_ERR_VALUE, "math::pow supports whole-number exponents only");
		e = (int64_t)f;
	} else if (!ncs_arg_int(vm, args, 1, "math::pow", &e)) {
		return false;
	}
	if (args[0].tag == V_INT && args[1].tag == V_INT) {
		if (e < 0)
			return ncs_vm_fail(vm, NC_NCS_ERR_VALUE, "math::pow: negative exponent for an Int base");
		int64_t r = 1, b = args[0].u.i;
		while (e) {
			if ((e & 1) && __builtin_mul_overflow(r, b, &r))
				return ncs_vm_fail(vm, NC_NCS_ERR_OVERFLOW, "Int overflow in math::pow");
			e >>= 1;
			if (e && __builtin_mul_overflow(b, b, &b))
				return ncs_vm_fail(vm, NC_NCS_ERR_OVERFLOW, "Int overflow in math::pow");
		}
		*out = ncs_int(r);
		return true;
	}
	double b = 0, r = 1.0;
	if (!num(vm, args[0], "pow", &b))
		return false;
	uint64_t u = e < 0 ? (uint64_t)0 - (uint64_t)e : (uint64_t)e;
	while (u) {
		if (u & 1)
			r *= b;
		b *= b;
		u >>= 1;
	}
	*out = ncs_float(e < 0 ? 1.0 / r : r);
	return true;
}

NCS_BUILTIN(ncs_b_math_sqrt)
{
	double d = 0;
	if (!num(vm, args[0], "sqrt", &d))
		return false;
	*out = ncs_float(sqrt_d(d));
	return true;
}

static bool rounding(ncs_vm_t *vm, ncs_value_t *args, ncs_value_t *out, int mode, const char *fn)
{
	if (args[0].tag == V_INT) {
		*out = args[0];
		return true;
	}
	double d = 0;
	if (!num(vm, args[0], fn, &d))
		return false;
	double r;
	if (mode == 0)
		r = floor_d(d);
	else if (mode == 1)
		r = -floor_d(-d);
	else { /* half away from zero; a - floor(a) is exact, a + 0.5 is not */
		double a = d < 0 ? -d : d, f = floor_d(a);
		f = a - f >= 0.5 ? f + 1.0 : f;
		r = d < 0 ? -f : f;
	}
	*out = ncs_float(r);
	return true;
}

NCS_BUILTIN(ncs_b_math_floor) { return rounding(vm, args, out, 0, "floor"); }
NCS_BUILTIN(ncs_b_math_ceil) { return rounding(vm, args, out, 1, "ceil"); }
NCS_BUILTIN(ncs_b_math_round) { return rounding(vm, args, out, 2, "round"); }

NCS_BUILTIN(ncs_b_math_pi)
{
	*out = ncs_float(3.141592653589793);
	return true;
}
