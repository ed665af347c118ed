/* `xs.sort_by(|a, b| ...)`: a builtin calling back into the script
 * (ncs_vm_call). Stability, the comparator's contract, errors raised inside it,
 * every limit charged across the callback, hostile comparators. Expected orders
 * and comparison counts are worked out by hand from the merge sort's passes
 * (pairs, then runs of 2, 4, ...; the right element moves first only when the
 * comparator says it comes before the left one). */
#include "ncs_test_support.h"
#include <nc/mem.h>

#define M(body) "fn main() {\n" body "\n}"

NT_CASE(ncs_sort_by, descending, M("let mut xs = [5, 3, 9, 1, 7]; xs.sort_by(|a, b| a > b); xs"), "[9, 7, 5, 3, 1]")
NT_CASE(ncs_sort_by, stable_on_equal_keys,
	"struct P { n: String, k: Int }\n"
	M("let mut xs = [P { n: \"a\", k: 3 }, P { n: \"b\", k: 1 }, P { n: \"c\", k: 3 }, P { n: \"d\", k: 1 },"
	  " P { n: \"e\", k: 2 }];\n"
	  "xs.sort_by(|x, y| x.k < y.k); xs.map(|p| p.n)"),
	"[\"b\", \"d\", \"e\", \"a\", \"c\"]")
NT_CASE(ncs_sort_by, strings_by_length_stable,
	M("let mut w = [\"ccc\", \"a\", \"bb\", \"d\", \"ee\"]; w.sort_by(|a, b| a.len() < b.len()); w"),
	"[\"a\", \"d\", \"bb\", \"ee\", \"ccc\"]")
NT_CASE(ncs_sort_by, named_function_comparator,
	"fn desc(a, b) { a > b }\n" M("let mut xs = [2, 10, 4]; xs.sort_by(desc); xs"), "[10, 4, 2]")
NT_CASE(ncs_sort_by, closure_with_captures,
	M("let k = 10; let mut xs = [25, 13, 31, 2]; xs.sort_by(|a, b| a % k < b % k); xs"), "[31, 2, 13, 25]")
NT_CASE(ncs_sort_by, tuples_by_second_then_first,
	M("let mut xs = [(1, \"b\"), (2, \"a\"), (3, \"b\"), (0, \"a\")];\n"
	  "xs.sort_by(|x, y| x.1 < y.1 || (x.1 == y.1 && x.0 > y.0)); xs"),
	"[(2, \"a\"), (0, \"a\"), (3, \"b\"), (1, \"b\")]")
/* the comparator is never called for fewer than two elements */
NT_CASE(ncs_sort_by, short_arrays_never_call,
	M("let mut e = []; e.sort_by(|a, b| 1 / 0 == 0); let mut o = [7]; o.sort_by(|a, b| 1 / 0 == 0); (e, o)"),
	"([], [7])")
NT_CASE(ncs_sort_by, inside_a_mut_self_method,
	"struct Bag { items: [Int] }\nimpl Bag { fn order(&mut self) { self.items.sort_by(|a, b| a > b); } }\n"
	M("let mut b = Bag { items: [1, 3, 2] }; b.order(); b.items"), "[3, 2, 1]")
/* a sort_by inside a comparator (one level of nested callbacks) */
NT_CASE(ncs_sort_by, nested_sort_by_in_comparator,
	M("let mut xs = [3, 1, 2];\n"
	  "xs.sort_by(|a, b| { let mut t = [b, a]; t.sort_by(|x, y| x < y); t[0] == a && a != b }); xs"),
	"[1, 2, 3]")

/* Comparison counts, by hand: [1..8] sorted takes 4 (pairs) + 2*2 (runs of 2) +
 * 4 (runs of 4) = 12 comparisons; reversed also 12; [2, 1, 3] takes 1 (the pair)
 * + 2 ([1, 2] with [3]), each asked as (right, left). */
NT_PRINTS(ncs_sort_by, comparisons_sorted_input,
	  M("let mut xs = [1, 2, 3, 4, 5, 6, 7, 8]; xs.sort_by(|a, b| { print(\".\"); a < b }); print(xs.len());"),
	  ".\n.\n.\n.\n.\n.\n.\n.\n.\n.\n.\n.\n8\n")
NT_PRINTS(ncs_sort_by, comparisons_reversed_input,
	  M("let mut xs = [8, 7, 6, 5, 4, 3, 2, 1]; xs.sort_by(|a, b| { print(\".\"); a < b }); print(xs);"),
	  ".\n.\n.\n.\n.\n.\n.\n.\n.\n.\n.\n.\n[1, 2, 3, 4, 5, 6, 7, 8]\n")
NT_PRINTS(ncs_sort_by, comparator_sees_right_then_left,
	  M("let mut xs = [2, 1, 3]; xs.sort_by(|a, b| { print((a, b)); a < b });"), "(1, 2)\n(3, 1)\n(3, 2)\n")

/* Inconsistent comparators end and leave a permutation. `|a, b| true` always
 * moves the right element first, which reverses every run: [5, 4, 3, 2, 1]. */
NT_CASE(ncs_sort_by, always_true_reverses, M("let mut xs = [1, 2, 3, 4, 5]; xs.sort_by(|a, b| true); xs"),
	"[5, 4, 3, 2, 1]")
NT_CASE(ncs_sort_by, always_false_keeps_order, M("let mut xs = [3, 1, 2]; xs.sort_by(|a, b| false); xs"),
	"[3, 1, 2]")
NT_CASE(ncs_sort_by, random_comparator_keeps_the_elements,
	M("let mut xs = [];\nfor i in 0..200 { xs.push((i * 37) % 101); }\n"
	  "let mut a = xs; a.sort_by(|x, y| (x * 7 + y * 13) % 3 == 0);\n"
	  "let mut b = xs; b.sort(); a.sort(); a == b && a.len() == 200"),
	"true")

/* the comparator cannot reach the array being sorted: captures are copies */
NT_CASE(ncs_sort_by, comparator_mutating_a_captured_copy,
	M("let mut xs = [3, 1, 2];\n"
	  "let f = |a, b| { let mut t = xs; t.clear(); t.push(99); a < b };\n"
	  "xs.sort_by(f); (xs, f(1, 2))"),
	"([1, 2, 3], true)")

NC_TEST(ncs_sort_by, comparator_must_return_bool)
{
	nt_reset();
	NC_CHECK_EQ(nt_run(M("let mut xs = [2, 1]; xs.sort_by(|a, b| a - b); xs")), NC_NCS_ERR_TYPE);
	NC_CHECK(nt_contains(nt_result.message, "sort_by: the comparator must return Bool, not Int [NC_NCS_ERR_TYPE]"));
	NC_CHECK_EQ(nt_run(M("let mut xs = [2, 1]; xs.sort_by(5); xs")), NC_NCS_ERR_TYPE);
	NC_CHECK(nt_contains(nt_result.message, "sort_by: the comparator must be a function, not Int"));
	NC_CHECK_EQ(nt_run(M("let mut xs = [2, 1]; xs.sort_by(|a| true); xs")), NC_NCS_ERR_ARGS);
	NC_CHECK(nt_contains(nt_result.message, "takes 1 arguments, 2 given"));
	NC_CHECK_EQ(nt_run(M("let xs = [2, 1]; xs.sort_by(|a, b| a < b); xs")), NC_NCS_ERR_RESOLVE);
	NC_CHECK(nt_contains(nt_result.message, "`sort_by` changes `xs`, which is not `let mut`"));
	NC_CHECK_EQ(nt_run(M("let mut s = \"ab\"; s.sort_by(|a, b| a < b); s")), NC_NCS_ERR_TYPE);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_sort_by, error_in_comparator_is_a_runtime_error_with_trace)
{
	/* line 2 col 30 is the `/` of `a / (b - b)`; the sort_by call is on line 4 */
	nt_reset();
	NC_CHECK_EQ(nt_run("fn main() {\n  let f = |a, b| { let z = a / (b - b); z < 0 };\n  let mut"
			   " xs = [2, 1];\n  xs.sort_by(f);\n}"),
		    NC_NCS_ERR_DIV_ZERO);
	NC_CHECK(nc_str_starts_with(nt_result.message, "test.ncs:2:30: error: "));
	NC_CHECK(nt_contains(nt_result.message, "called from test.ncs:4:6 in `main`")); /* the method name */
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
	/* an error on a later comparison, with half-sorted state: nothing leaks */
	NC_CHECK_EQ(nt_run(M("let mut xs = [5, 4, 3, 2, 1, 0];\n"
			     "xs.sort_by(|a, b| { let q = 10 / a; q > 0 && a < b }); xs")),
		    NC_NCS_ERR_DIV_ZERO);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
	/* `?` and `return` inside the comparator only leave the comparator */
	NC_CHECK_EQ(nt_run(M("let mut xs = [2, 3, 1];\n"
			     "xs.sort_by(|a, b| { if a == b { return false; } let v = Some(a)?; v < b }); xs")),
		    NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "[1, 2, 3]");
	nt_reset();
}

NC_TEST(ncs_sort_by, steps_are_charged_and_exact)
{
	/* a comparator that loops 100 times per call costs at least 12 * 100 more
	   steps than a plain one on sorted [1..8] (12 comparisons, see above) */
	const char *cheap = M("let mut xs = [1, 2, 3, 4, 5, 6, 7, 8]; xs.sort_by(|a, b| a < b); xs[0]");
	const char *dear = M("let mut xs = [1, 2, 3, 4, 5, 6, 7, 8];\n"
			     "xs.sort_by(|a, b| { let mut i = 0; while i < 100 { i += 1; } a < b }); xs[0]");
	nt_reset();
	NC_CHECK_EQ(nt_run(cheap), NC_NCS_OK);
	uint64_t s_cheap = nt_result.steps;
	NC_CHECK_EQ(nt_run(dear), NC_NCS_OK);
	uint64_t s_dear = nt_result.steps;
	NC_CHECK(s_dear >= s_cheap + 1200);
	/* the limit is exact across callbacks: N steps succeed, N-1 fail after N-1 */
	nt_cfg.limits.max_steps = s_dear;
	NC_CHECK_EQ(nt_run(dear), NC_NCS_OK);
	NC_CHECK_EQ(nt_result.steps, s_dear);
	nt_cfg.limits.max_steps = s_dear - 1;
	NC_CHECK_EQ(nt_run(dear), NC_NCS_ERR_LIMIT_STEPS);
	NC_CHECK_EQ(nt_result.steps, s_dear - 1);
	/* and deterministic */
	nt_cfg.limits.max_steps = 0;
	NC_CHECK_EQ(nt_run(dear), NC_NCS_OK);
	NC_CHECK_EQ(nt_result.steps, s_dear);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_sort_by, hostile_comparators_hit_the_limits)
{
	nt_reset();
	/* endless comparator: step limit, then deadline */
	nt_cfg.limits.max_steps = 100000;
	NC_CHECK_EQ(nt_run(M("let mut xs = [2, 1]; xs.sort_by(|a, b| { loop {} }); xs")), NC_NCS_ERR_LIMIT_STEPS);
	NC_CHECK_EQ(nt_result.steps, 100000);
	nt_cfg.limits.max_steps = 0;
	nt_cfg.limits.deadline_micros = 5000;
	NC_CHECK_EQ(nt_run(M("let mut xs = [2, 1]; xs.sort_by(|a, b| { loop {} }); xs")), NC_NCS_ERR_LIMIT_DEADLINE);
	nt_cfg.limits.deadline_micros = 0;
	/* a huge list with a cheap comparator still runs out of steps */
	nt_cfg.limits.max_steps = 200000;
	NC_CHECK_EQ(nt_run(M("let mut xs = [];\nfor i in 0..20000 { xs.push(20000 - i); }\nxs.sort_by(|a, b| a < b); xs[0]")),
		    NC_NCS_ERR_LIMIT_STEPS);
	nt_cfg.limits.max_steps = 0;
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_sort_by, call_depth_counts_the_comparator_frames)
{
	/* main is depth 1, the comparator 2, deep(2) 3, deep(1) 4, deep(0) 5 */
	const char *fits = "fn deep(n) { if n == 0 { true } else { deep(n - 1) } }\n"
			   M("let mut xs = [2, 1]; xs.sort_by(|a, b| deep(2) && a < b); xs");
	const char *over = "fn deep(n) { if n == 0 { true } else { deep(n - 1) } }\n"
			   M("let mut xs = [2, 1]; xs.sort_by(|a, b| deep(3) && a < b); xs");
	nt_reset();
	nt_cfg.limits.max_call_depth = 5;
	NC_CHECK_EQ(nt_run(fits), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "[1, 2]");
	NC_CHECK_EQ(nt_run(over), NC_NCS_ERR_LIMIT_DEPTH);
	/* the comparator frame itself: with depth 1 only main fits */
	nt_cfg.limits.max_call_depth = 1;
	NC_CHECK_EQ(nt_run(M("let mut xs = [2, 1]; xs.sort_by(|a, b| a < b); xs")), NC_NCS_ERR_LIMIT_DEPTH);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_sort_by, callbacks_nested_without_end_stop_with_a_typed_error)
{
	/* each comparison starts another sort_by with the same comparator: the C
	   stack would grow without bound, so nesting stops at 16 levels */
	nt_reset();
	NC_CHECK_EQ(nt_run("fn cmp(a, b) { let mut t = [1, 2]; t.sort_by(cmp); a < b }\n"
			   M("let mut xs = [2, 1]; xs.sort_by(cmp); xs")),
		    NC_NCS_ERR_LIMIT_DEPTH);
	NC_CHECK(nt_contains(nt_result.message, "builtins calling back into the script nested deeper than 16"));
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_sort_by, memory_is_charged)
{
	nt_reset();
	/* the comparator's allocations count toward max_alloc_bytes */
	nt_cfg.limits.max_alloc_bytes = 200000;
	NC_CHECK_EQ(nt_run(M("let mut xs = [2, 1]; xs.sort_by(|a, b| { let big = [0; 50000]; a < b }); xs")),
		    NC_NCS_ERR_LIMIT_ALLOC);
	/* so does the merge buffer of a large array */
	nt_cfg.limits.max_alloc_bytes = 300000;
	NC_CHECK_EQ(nt_run(M("let mut xs = [0; 15000]; xs.sort_by(|a, b| a < b); xs.len()")), NC_NCS_ERR_LIMIT_ALLOC);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_sort_by, allocation_failure_is_typed_and_leaks_nothing)
{
	const char *src = M("let mut xs = [(2, \"b\"), (1, \"a\"), (3, \"c\")];\n"
			    "xs.sort_by(|x, y| { let t = [x.1, y.1]; t[0] < t[1] }); xs");
	for (uint64_t n = 1; n < 120; n++) {
		nt_reset();
		nt_fail_alloc_at(n);
		nc_ncs_err_t e = nt_run(src);
		NC_CHECK(e == NC_NCS_OK || e == NC_NCS_ERR_NOMEM);
		if (e == NC_NCS_OK)
			NC_CHECK_STR(nt_result.value, "[(1, \"a\"), (2, \"b\"), (3, \"c\")]");
		nt_fail_alloc_at(0);
		nt_release();
		NC_CHECK_EQ(nt_live_bytes(), 0);
	}
	nt_reset();
}
