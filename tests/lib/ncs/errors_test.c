/* Compile and runtime errors: each gets its typed error and a message with
 * file:line:col, the source line and a caret under the offending column. */
#include "ncs_test_support.h"

#define M(body) "fn main() { " body " }"

/* compile errors */
NT_FAIL(ncs_err, syntax_missing_expr, M("let x = ;"), NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_err, syntax_unclosed_block, "fn main() { 1", NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_err, syntax_bad_char, M("1 $ 2"), NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_err, syntax_unterminated_string, M("\"abc"), NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_err, syntax_unterminated_comment, "fn main() { 1 } /* x", NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_err, syntax_bad_escape, M("\"\\q\""), NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_err, syntax_int_too_big, M("9223372036854775808"), NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_err, syntax_chained_compare, M("1 < 2 < 3"), NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_err, syntax_missing_semicolon, M("let a = 1 let b = 2; b"), NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_err, syntax_top_level_stmt, "let x = 1;", NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_err, resolve_unknown_name, M("y + 1"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_unknown_fn, M("nope(1)"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_unknown_builtin, M("string::nope(\"a\")"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_assign_immutable, M("let a = 1; a = 2; a"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_push_immutable, M("let a = []; a.push(1); a"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_break_outside_loop, M("break;"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_break_value_in_while, M("while true { break 1; }"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_unknown_struct, M("Q { x: 1 }"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_missing_field, "struct P { x: Int, y: Int }\n" M("P { x: 1 }"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_unknown_field_init, "struct P { x: Int }\n" M("P { z: 1 }"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_unknown_method, M("[1].frobnicate()"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_duplicate_fn, "fn a() { 1 }\nfn a() { 2 }\n" M("a()"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_unknown_variant_pattern, M("match 1 { Foo::Bar => 1, _ => 2 }"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, resolve_or_pattern_binding_mismatch, M("match Ok(1) { Ok(a) | Err(b) => 1 }"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_err, args_wrong_arity, "fn f(a) { a }\n" M("f(1, 2)"), NC_NCS_ERR_ARGS)
NT_FAIL(ncs_err, args_builtin_arity, M("string::len()"), NC_NCS_ERR_ARGS)
NT_FAIL(ncs_err, args_variant_arity, M("Some(1, 2)"), NC_NCS_ERR_ARGS)
NT_FAIL(ncs_err, no_main, "fn helper() { 1 }", NC_NCS_ERR_NO_MAIN)
NT_FAIL(ncs_err, main_with_params, "fn main(x) { x }", NC_NCS_ERR_NO_MAIN)
NT_FAIL(ncs_err, cap_unknown, "#![capabilities(fs.destroy)]\n" M("1"), NC_NCS_ERR_CAP_DECL)
NT_FAIL(ncs_err, cap_scope_not_string, "#![capabilities(fs.read(5))]\n" M("1"), NC_NCS_ERR_CAP_DECL)
NT_FAIL(ncs_err, cap_header_late, "fn a() { 1 }\n#![capabilities(ai.invoke)]\n" M("1"), NC_NCS_ERR_SYNTAX)

/* runtime errors */
NT_FAIL(ncs_err, overflow_add, M("9223372036854775807 + 1"), NC_NCS_ERR_OVERFLOW)
NT_FAIL(ncs_err, overflow_sub, M("-9223372036854775807 - 2"), NC_NCS_ERR_OVERFLOW)
NT_FAIL(ncs_err, overflow_mul, M("4611686018427387904 * 2"), NC_NCS_ERR_OVERFLOW)
NT_FAIL(ncs_err, overflow_neg, M("let m = -9223372036854775807 - 1; -m"), NC_NCS_ERR_OVERFLOW)
NT_FAIL(ncs_err, overflow_div, M("let m = -9223372036854775807 - 1; m / -1"), NC_NCS_ERR_OVERFLOW)
NT_FAIL(ncs_err, overflow_inc, M("let mut i = 9223372036854775807; i += 1; i"), NC_NCS_ERR_OVERFLOW)
NT_CASE(ncs_err, min_rem_minus_one_is_zero, M("let m = -9223372036854775807 - 1; m % -1"), "0")
NT_FAIL(ncs_err, div_zero, M("let z = 0; 5 / z"), NC_NCS_ERR_DIV_ZERO)
NT_FAIL(ncs_err, rem_zero, M("5 % 0"), NC_NCS_ERR_DIV_ZERO)
NT_FAIL(ncs_err, type_add_mixed, M("1 + 1.0"), NC_NCS_ERR_TYPE)
NT_FAIL(ncs_err, type_add_str_int, M("\"a\" + 1"), NC_NCS_ERR_TYPE)
NT_FAIL(ncs_err, type_if_not_bool, M("if 1 { 2 } else { 3 }"), NC_NCS_ERR_TYPE)
NT_FAIL(ncs_err, type_not_float, M("!1.5"), NC_NCS_ERR_TYPE) /* `!` is logical on Bool, bitwise on Int */
NT_FAIL(ncs_err, type_compare_mixed, M("1 < \"a\""), NC_NCS_ERR_TYPE)
NT_FAIL(ncs_err, type_call_non_fn, M("let f = 3; f(1)"), NC_NCS_ERR_TYPE)
NT_FAIL(ncs_err, type_field_on_int, M("let a = 1; a.x"), NC_NCS_ERR_TYPE)
NT_FAIL(ncs_err, type_try_on_int, "fn f() { let v = 3?; v }\n" M("f()"), NC_NCS_ERR_TYPE)
NT_FAIL(ncs_err, type_method_on_int, M("let a = 1; a.len()"), NC_NCS_ERR_TYPE)
NT_FAIL(ncs_err, type_for_over_int, M("for x in 5 { }"), NC_NCS_ERR_TYPE)
NT_FAIL(ncs_err, type_range_bounds, M("for x in 0..\"a\" { }"), NC_NCS_ERR_TYPE)
NT_FAIL(ncs_err, args_fn_value_arity, "fn f(a) { a }\n" M("let g = f; g(1, 2)"), NC_NCS_ERR_ARGS)
NT_FAIL(ncs_err, index_out_of_bounds, M("[1, 2][2]"), NC_NCS_ERR_INDEX)
NT_FAIL(ncs_err, index_negative, M("[1, 2][-1]"), NC_NCS_ERR_INDEX)
NT_FAIL(ncs_err, index_assign_out_of_bounds, M("let mut a = [1]; a[3] = 1; a"), NC_NCS_ERR_INDEX)
NT_FAIL(ncs_err, no_match_arm, M("match 3 { 1 => 1, 2 => 2 }"), NC_NCS_ERR_NO_MATCH)
NT_FAIL(ncs_err, refutable_let, M("let Some(x) = None; x"), NC_NCS_ERR_NO_MATCH)
NT_FAIL(ncs_err, cast_nan_to_int, M("(0.0 / 0.0) as Int"), NC_NCS_ERR_VALUE)

NC_TEST(ncs_err, message_has_position_line_and_caret)
{
	nt_reset();
	NC_CHECK_EQ(nt_run("fn main() {\n  let x = 1;\n  x / 0\n}\n"), NC_NCS_ERR_DIV_ZERO);
	NC_CHECK(nt_contains(nt_result.message, "test.ncs:3:5: error: Int division by zero [NC_NCS_ERR_DIV_ZERO]"));
	NC_CHECK(nt_contains(nt_result.message, "    3 |   x / 0\n      |     ^\n"));
	nt_reset();
}

NC_TEST(ncs_err, caret_counts_characters)
{
	nt_reset();
	NC_CHECK_EQ(nt_run("fn main() { \"\xc3\xa9\xc3\xa9\" + nope }"), NC_NCS_ERR_RESOLVE);
	NC_CHECK(nt_contains(nt_result.message, "test.ncs:1:20:"));
	NC_CHECK(nt_contains(nt_result.message, "\n      | "  "                   ^\n"));
	nt_reset();
}

NC_TEST(ncs_err, syntax_message_position)
{
	nt_reset();
	NC_CHECK_EQ(nt_check("fn main() {\n\tlet = 3;\n}"), NC_NCS_ERR_SYNTAX);
	NC_CHECK(nt_contains(nt_result.message, "test.ncs:2:6: error: expected a pattern"));
	NC_CHECK(nt_contains(nt_result.message, "\n      | \t    ^\n"));
	nt_reset();
}

NC_TEST(ncs_err, output_kept_on_error)
{
	nt_reset();
	NC_CHECK_EQ(nt_run("fn main() { print(\"before\"); [1][5] }"), NC_NCS_ERR_INDEX);
	NC_CHECK_STR(nt_result.output, "before\n");
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_err, class_mapping)
{
	NC_CHECK_EQ(nc_ncs_err_class(NC_NCS_OK), NC_NCS_CLASS_NONE);
	NC_CHECK_EQ(nc_ncs_err_class(NC_NCS_ERR_SYNTAX), NC_NCS_CLASS_COMPILE);
	NC_CHECK_EQ(nc_ncs_err_class(NC_NCS_ERR_MODULE_CYCLE), NC_NCS_CLASS_COMPILE);
	NC_CHECK_EQ(nc_ncs_err_class(NC_NCS_ERR_OVERFLOW), NC_NCS_CLASS_RUNTIME);
	NC_CHECK_EQ(nc_ncs_err_class(NC_NCS_ERR_EFFECT), NC_NCS_CLASS_RUNTIME);
	NC_CHECK_EQ(nc_ncs_err_class(NC_NCS_ERR_LIMIT_STEPS), NC_NCS_CLASS_LIMIT);
	NC_CHECK_EQ(nc_ncs_err_class(NC_NCS_ERR_LIMIT_VALUE_DEPTH), NC_NCS_CLASS_LIMIT);
	NC_CHECK_EQ(nc_ncs_err_class(NC_NCS_ERR_CAP_DENIED), NC_NCS_CLASS_CAPABILITY);
	NC_CHECK_EQ(nc_ncs_err_class(NC_NCS_ERR_NOMEM), NC_NCS_CLASS_HOST);
	NC_CHECK_STR(nc_ncs_err_name(NC_NCS_ERR_LIMIT_DEPTH), "NC_NCS_ERR_LIMIT_DEPTH");
	NC_CHECK_STR(nc_ncs_err_name((nc_ncs_err_t)999), "NC_NCS_ERR_UNKNOWN");
}

NC_TEST(ncs_err, invalid_api_arguments)
{
	nc_ncs_result_t r;
	nc_ncs_config_t bad = { 0 };
	NC_CHECK_EQ(nc_ncs_run(&bad, "x", "", 0, &r), NC_NCS_ERR_INVALID);
	NC_CHECK_EQ(nc_ncs_run(NULL, "x", "", 0, &r), NC_NCS_ERR_INVALID);
	nt_reset();
	nt_cfg.clock = NULL;
	nt_cfg.limits.deadline_micros = 5;
	NC_CHECK_EQ(nt_run("fn main() { 1 }"), NC_NCS_ERR_INVALID);
	nt_reset();
}

NC_TEST(ncs_err, allocation_failure_every_point)
{
	/* fail each allocation in turn: always a clean NOMEM, never a leak or crash */
	const char *src = "struct P { x: Int }\nfn main() { let mut a = []; for i in 0..20 { a.push(P { x: i }); }"
			  " print(a.len()); string::join([\"a\", \"b\"], \",\") }";
	nt_reset();
	NC_CHECK_EQ(nt_run(src), NC_NCS_OK);
	for (uint64_t n = 1; n < 400; n++) {
		nt_reset();
		nt_fail_alloc_at(n);
		nc_ncs_err_t e = nt_run(src);
		NC_CHECK(e == NC_NCS_ERR_NOMEM || e == NC_NCS_OK);
		nt_reset();
		if (nt_live_bytes())
			nc_test_note("leak at allocation %llu: %llu bytes", (unsigned long long)n,
				     (unsigned long long)nt_live_bytes());
		NC_CHECK_EQ(nt_live_bytes(), 0);
	}
}

NC_TEST(ncs_err, runtime_error_call_trace)
{
	nt_reset();
	NC_CHECK_EQ(nt_run("fn inner(x) {\n  x / 0\n}\nfn mid(x) { inner(x) + 1 }\nfn main() {\n  mid(3)\n}\n"),
		    NC_NCS_ERR_DIV_ZERO);
	NC_CHECK(nt_contains(nt_result.message, "test.ncs:2:5: error: Int division by zero"));
	NC_CHECK(nt_contains(nt_result.message, "^\n  called from test.ncs:4:18 in `mid`\n"
						"  called from test.ncs:6:6 in `main`\n"));
	nt_reset();
}

NC_TEST(ncs_err, call_trace_is_bounded)
{
	nt_reset();
	nt_cfg.limits.max_call_depth = 50;
	NC_CHECK_EQ(nt_run("fn f(n) { f(n + 1) }\nfn main() { f(0) }"), NC_NCS_ERR_LIMIT_DEPTH);
	NC_CHECK(nt_contains(nt_result.message, "  ... and 41 more calls\n"));
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_errors, exit_status_follows_the_error_class)
{
	NC_CHECK_EQ(nc_ncs_exit_status(NC_NCS_OK), 0);
	NC_CHECK_EQ(nc_ncs_exit_status(NC_NCS_ERR_SYNTAX), 1);
	NC_CHECK_EQ(nc_ncs_exit_status(NC_NCS_ERR_MODULE_CYCLE), 1);
	NC_CHECK_EQ(nc_ncs_exit_status(NC_NCS_ERR_OVERFLOW), 2);
	NC_CHECK_EQ(nc_ncs_exit_status(NC_NCS_ERR_NOMEM), 2);
	NC_CHECK_EQ(nc_ncs_exit_status(NC_NCS_ERR_LIMIT_STEPS), 3);
	NC_CHECK_EQ(nc_ncs_exit_status(NC_NCS_ERR_LIMIT_DEPTH), 3);
	NC_CHECK_EQ(nc_ncs_exit_status(NC_NCS_ERR_CAP_DENIED), 4);
}
