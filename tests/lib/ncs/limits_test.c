/* Deterministic limits: each ends the run with its own typed error, the host
 * never overflows its C stack, and the same script + budget gives the same
 * result and step count on every run. */
#include "ncs_test_support.h"
#include <nc/mem.h>

NC_TEST(ncs_limits, steps_exact_count)
{
	/* main: PUSHI 7, RET = 2 instructions */
	nt_reset();
	NC_CHECK_EQ(nt_run("fn main() { 7 }"), NC_NCS_OK);
	NC_CHECK_EQ(nt_result.steps, 2);
	nt_cfg.limits.max_steps = 2;
	NC_CHECK_EQ(nt_run("fn main() { 7 }"), NC_NCS_OK);
	nt_cfg.limits.max_steps = 1;
	NC_CHECK_EQ(nt_run("fn main() { 7 }"), NC_NCS_ERR_LIMIT_STEPS);
	NC_CHECK_EQ(nt_result.steps, 1);
	nt_reset();
}

NC_TEST(ncs_limits, steps_infinite_loop)
{
	nt_reset();
	nt_cfg.limits.max_steps = 5000;
	NC_CHECK_EQ(nt_run("fn main() { let mut i = 0; while true { i += 1; } }"), NC_NCS_ERR_LIMIT_STEPS);
	NC_CHECK_EQ(nt_result.steps, 5000);
	NC_CHECK(nt_contains(nt_result.message, "[NC_NCS_ERR_LIMIT_STEPS]"));
	nt_reset();
}

NC_TEST(ncs_limits, deterministic_steps_and_output)
{
	const char *src = "fn f(n) { if n < 2 { n } else { f(n - 1) + f(n - 2) } }\n"
			  "fn main() { let mut s = []; for i in 0..30 { s.push(f(i % 12)); } print(s.len()); s }";
	nt_reset();
	NC_CHECK_EQ(nt_run(src), NC_NCS_OK);
	uint64_t steps = nt_result.steps;
	NC_CHECK(steps > 1000);
	for (int i = 0; i < 3; i++) {
		NC_CHECK_EQ(nt_run(src), NC_NCS_OK);
		NC_CHECK_EQ(nt_result.steps, steps);
		NC_CHECK_STR(nt_result.output, "30\n");
	}
	nt_cfg.limits.max_steps = steps - 1;
	NC_CHECK_EQ(nt_run(src), NC_NCS_ERR_LIMIT_STEPS);
	NC_CHECK_EQ(nt_result.steps, steps - 1);
	nt_cfg.limits.max_steps = steps;
	NC_CHECK_EQ(nt_run(src), NC_NCS_OK);
	nt_reset();
}

NC_TEST(ncs_limits, builtins_charge_steps)
{
	nt_reset();
	nt_cfg.limits.max_steps = 1000;
	NC_CHECK_EQ(nt_run("fn main() { let a = [0; 100000]; a.len() }"), NC_NCS_ERR_LIMIT_STEPS);
	NC_CHECK_EQ(nt_run("fn main() { string::repeat(\"ab\", 100000) }"), NC_NCS_ERR_LIMIT_STEPS);
	nt_reset();
}

NC_TEST(ncs_limits, alloc_live_bytes)
{
	nt_reset();
	nt_cfg.limits.max_alloc_bytes = 100000;
	NC_CHECK_EQ(nt_run("fn main() { let mut a = []; loop { a.push([1, 2, 3]); } }"), NC_NCS_ERR_LIMIT_ALLOC);
	NC_CHECK(nt_result.peak_alloc_bytes <= 100000);
	/* garbage that is freed does not count: live bytes stay small */
	NC_CHECK_EQ(nt_run("fn main() { let mut n = 0; for i in 0..20000 { let t = [i, i, i, i]; n += t.len(); } n }"),
		    NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "80000");
	NC_CHECK(nt_result.peak_alloc_bytes < 20000);
	NC_CHECK_EQ(nt_run("fn main() { string::repeat(\"x\", 200000) }"), NC_NCS_ERR_LIMIT_ALLOC);
	NC_CHECK_EQ(nt_run("fn main() { let mut s = \"x\"; loop { s = s + s; } }"), NC_NCS_ERR_LIMIT_ALLOC);
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_limits, alloc_counts_frames)
{
	nt_reset();
	nt_cfg.limits.max_alloc_bytes = 50000;
	NC_CHECK_EQ(nt_run("fn f(n) { f(n + 1) + 1 }\nfn main() { f(0) }"), NC_NCS_ERR_LIMIT_ALLOC);
	nt_reset();
}

NC_TEST(ncs_limits, deadline_from_injected_clock)
{
	nt_reset();
	nt_clock_step(1000); /* every clock read advances 1 ms */
	nt_cfg.limits.deadline_micros = 10000;
	NC_CHECK_EQ(nt_run("fn main() { loop { } }"), NC_NCS_ERR_LIMIT_DEADLINE);
	NC_CHECK(nt_contains(nt_result.message, "[NC_NCS_ERR_LIMIT_DEADLINE]"));
	/* short programs finish before the first clock checkpoint */
	NC_CHECK_EQ(nt_run("fn main() { 1 + 1 }"), NC_NCS_OK);
	nt_reset();
}

NC_TEST(ncs_limits, call_depth)
{
	const char *src = "fn d(n) { if n == 0 { 0 } else { 1 + d(n - 1) } }\nfn main() { d(62) }";
	nt_reset();
	nt_cfg.limits.max_call_depth = 64; /* main + 63 calls of d */
	NC_CHECK_EQ(nt_run(src), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "62");
	NC_CHECK_EQ(nt_run("fn d(n) { if n == 0 { 0 } else { 1 + d(n - 1) } }\nfn main() { d(63) }"),
		    NC_NCS_ERR_LIMIT_DEPTH);
	NC_CHECK(nt_contains(nt_result.message, "call depth limit of 64"));
	nt_reset();
}

NC_TEST(ncs_limits, output_bytes)
{
	nt_reset();
	nt_cfg.limits.max_output_bytes = 10;
	NC_CHECK_EQ(nt_run("fn main() { print(\"1234\"); print(\"1234\"); }"), NC_NCS_OK);
	NC_CHECK_EQ(nt_run("fn main() { print(\"12345\"); print(\"12345\"); }"), NC_NCS_ERR_LIMIT_OUTPUT);
	NC_CHECK_STR(nt_result.output, "12345\n");
	nt_reset();
}

NC_TEST(ncs_limits, value_depth)
{
	nt_reset();
	NC_CHECK_EQ(nt_run("fn main() { let mut a = []; loop { a = [a]; } }"), NC_NCS_ERR_LIMIT_VALUE_DEPTH);
	NC_CHECK_EQ(nt_run("fn main() { let mut a = None; loop { a = Some(a); } }"), NC_NCS_ERR_LIMIT_VALUE_DEPTH);
	NC_CHECK_EQ(nt_run("fn main() { let mut a = []; for i in 0..99 { a = [a]; } a == a }"), NC_NCS_OK);
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

/* hostile nesting: parser limit, never a C stack overflow */
static char deep[20000];

static const char *nest(const char *open, const char *mid, const char *close, int n)
{
	size_t o = 0, lo = nc_str_len(open), lc = nc_str_len(close), lm = nc_str_len(mid);
	const char *pre = "fn main() { ";
	for (const char *p = pre; *p; p++)
		deep[o++] = *p;
	for (int i = 0; i < n && o + lo < sizeof deep / 2; i++)
		for (size_t j = 0; j < lo; j++)
			deep[o++] = open[j];
	for (size_t j = 0; j < lm; j++)
		deep[o++] = mid[j];
	for (int i = 0; i < n && o + lc < sizeof deep - 4; i++)
		for (size_t j = 0; j < lc; j++)
			deep[o++] = close[j];
	deep[o++] = ' ';
	deep[o++] = '}';
	deep[o] = 0;
	return deep;
}

NC_TEST(ncs_limits, nesting_parens)
{
	nt_reset();
	NC_CHECK_EQ(nt_run(nest("(", "1", ")", 5000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(nest("(", "1", ")", 40)), NC_NCS_OK);
	nt_reset();
}

NC_TEST(ncs_limits, nesting_blocks_unary_arrays)
{
	nt_reset();
	NC_CHECK_EQ(nt_run(nest("{", "1", "}", 5000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(nest("-", "1", "", 5000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(nest("!", "true", "", 5000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(nest("[", "1", "]", 5000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(nest("if true { ", "1", " } else { 2 }", 3000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(nest("match 1 { _ => ", "1", " }", 3000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(nest("Some(", "1", ")", 5000)), NC_NCS_ERR_NESTING);
	nt_reset();
}

NC_TEST(ncs_limits, nesting_limit_configurable)
{
	nt_reset();
	nt_cfg.limits.max_nesting = 8;
	NC_CHECK_EQ(nt_run(nest("(", "1", ")", 10)), NC_NCS_ERR_NESTING);
	nt_cfg.limits.max_nesting = 64;
	NC_CHECK_EQ(nt_run(nest("(", "1", ")", 10)), NC_NCS_OK);
	nt_reset();
}

/* a + a + ... and x.f().g()... chains: each operator is an AST level the
 * compiler recurses along, so long chains meet the nesting limit too */
static const char *chain(const char *unit, int n)
{
	size_t o = 0, lu = nc_str_len(unit);
	const char *pre = "fn main() { let a = 1; a";
	for (const char *p = pre; *p; p++)
		deep[o++] = *p;
	for (int i = 0; i < n && o + lu < sizeof deep - 4; i++)
		for (size_t j = 0; j < lu; j++)
			deep[o++] = unit[j];
	deep[o++] = ' ';
	deep[o++] = '}';
	deep[o] = 0;
	return deep;
}

NC_TEST(ncs_limits, operator_chains)
{
	nt_reset();
	NC_CHECK_EQ(nt_run(chain(" + a", 100)), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "101");
	NC_CHECK_EQ(nt_run(chain(" + a", 5000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(chain("[0]", 5000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(chain(".len()", 5000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(chain(" as Int", 5000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(chain(" && a", 5000)), NC_NCS_ERR_NESTING);
	NC_CHECK_EQ(nt_run(chain("?", 5000)), NC_NCS_ERR_NESTING);
	nt_reset();
}

NC_TEST(ncs_limits, default_call_depth)
{
	nt_reset(); /* no limits at all: recursion still ends with a typed error */
	NC_CHECK_EQ(nt_run("fn f(n) { f(n + 1) + 1 }\nfn main() { f(0) }"), NC_NCS_ERR_LIMIT_DEPTH);
	NC_CHECK(nt_contains(nt_result.message, "call depth limit of 100000"));
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

/* A value that shares its parts: 40 doublings make a tree of 2^40 leaves in
 * a few hundred bytes. Walking it (==, sort, contains, map equality) is
 * charged per part visited, so each of these stops at the step limit at once
 * instead of running for hours. */
#define NT_SHARED "let mut a = [1]; for i in 0..40 { a = [a, a]; } "

NC_TEST(ncs_limits, shared_parts_walks_stop_at_the_step_limit)
{
	static const char *const scripts[] = {
		"fn main() { " NT_SHARED "a == a }",
		"fn main() { " NT_SHARED "a != [a[0], a[1]] }",
		"fn main() { " NT_SHARED "let mut s = [a, a]; s.sort(); s.len() }",
		"fn main() { " NT_SHARED "[a].contains(a) }",
		"fn main() { " NT_SHARED "[a].index_of(a) }",
		"fn main() { " NT_SHARED "let mut m = map::new(); m[1] = a; let mut n = map::new(); n[1] = a; m == n }",
	};
	for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
		nt_reset();
		nt_cfg.limits.max_steps = 100000;
		NC_CHECK_EQ(nt_run(scripts[i]), NC_NCS_ERR_LIMIT_STEPS);
		NC_CHECK(nt_result.steps <= 100000u);
	}
	nt_reset();
}

NC_TEST(ncs_limits, walk_charges_each_part_after_the_first)
{
	/* Same instructions: the equal pair's walk visits 7 parts (both outer
	 * arrays, two inner pairs, four leaves), the other stops at its first
	 * leaf after 3 (outer, first inner, 1 vs 9): 4 steps apart. */
	nt_reset();
	NC_CHECK_EQ(nt_run("fn main() { let a = [[1, 2], [1, 2]]; let b = [[9, 2], [1, 2]]; a == b }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "false");
	uint64_t early = nt_result.steps;
	NC_CHECK_EQ(nt_run("fn main() { let a = [[1, 2], [1, 2]]; let b = [[1, 2], [1, 2]]; a == b }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "true");
	NC_CHECK_EQ(nt_result.steps, early + 4);
	nt_reset();
}

NC_TEST(ncs_limits, shared_parts_walk_stops_at_the_deadline)
{
	/* no step limit: the walk asks the clock every NCS_WALK_CHECK_EVERY parts */
	nt_reset();
	nt_clock_step(1000); /* every clock read advances 1 ms */
	nt_cfg.limits.deadline_micros = 10000;
	NC_CHECK_EQ(nt_run("fn main() { " NT_SHARED "a == a }"), NC_NCS_ERR_LIMIT_DEADLINE);
	NC_CHECK(nt_contains(nt_result.message, "[NC_NCS_ERR_LIMIT_DEADLINE]"));
	NC_CHECK_EQ(nt_run("fn main() { " NT_SHARED "let mut s = [a, a]; s.sort(); s.len() }"),
		    NC_NCS_ERR_LIMIT_DEADLINE);
	nt_reset();
}
