/* ncScript language features, one case each; expected values derived by hand
 * from the semantics in docs/ncscript.md. */
#include "ncs_test_support.h"

#define M(body) "fn main() { " body " }"

/* literals and arithmetic */
NT_CASE(ncs_lang, int_literal, M("42"), "42")
NT_CASE(ncs_lang, hex_literal, M("0xff"), "255")
NT_CASE(ncs_lang, underscore_literal, M("1_000_000"), "1000000")
NT_CASE(ncs_lang, negative, M("-7"), "-7")
NT_CASE(ncs_lang, precedence, M("2 + 3 * 4"), "14")
NT_CASE(ncs_lang, parens, M("(2 + 3) * 4"), "20")
NT_CASE(ncs_lang, int_div_truncates, M("-7 / 2"), "-3")
NT_CASE(ncs_lang, int_rem_sign, M("-7 % 3"), "-1")
NT_CASE(ncs_lang, left_assoc_sub, M("10 - 3 - 2"), "5")
NT_CASE(ncs_lang, min_int_const, M("-9223372036854775807 - 1"), "-9223372036854775808")
NT_CASE(ncs_lang, float_add, M("1.5 + 2.25"), "3.75")
NT_CASE(ncs_lang, float_div, M("1.0 / 4.0"), "0.25")
NT_CASE(ncs_lang, float_print_integral, M("2.0 * 3.0"), "6.0")
NT_CASE(ncs_lang, float_point_one, M("0.1 + 0.2"), "0.30000000000000004")
NT_CASE(ncs_lang, float_exp_literal, M("1e3"), "1000.0")
NT_CASE(ncs_lang, float_div_zero_inf, M("1.0 / 0.0"), "inf")
NT_CASE(ncs_lang, bool_and, M("true && false"), "false")
NT_CASE(ncs_lang, bool_or, M("false || true"), "true")
NT_CASE(ncs_lang, bool_not, M("!true"), "false")
NT_CASE(ncs_lang, short_circuit, "fn boom() { 1 / 0 }\n" M("false && boom() == 1"), "false")
NT_CASE(ncs_lang, compare_int, M("3 < 5"), "true")
NT_CASE(ncs_lang, compare_str, M("\"abc\" < \"abd\""), "true")
NT_CASE(ncs_lang, eq_structural, M("[1, [2, 3]] == [1, [2, 3]]"), "true")
NT_CASE(ncs_lang, eq_types_differ, M("1 == 1.0"), "false")
NT_CASE(ncs_lang, ne, M("\"a\" != \"b\""), "true")
NT_CASE(ncs_lang, string_concat, M("\"ab\" + \"cd\""), "\"abcd\"")
NT_CASE(ncs_lang, string_escapes, M("\"a\\tb\\n\""), "\"a\\tb\\n\"")
NT_CASE(ncs_lang, string_unicode_escape, M("string::len(\"\\u{e9}\\u{1F600}\")"), "2")
NT_CASE(ncs_lang, unit_value, M("()"), "()")
NT_CASE(ncs_lang, cast_int_float, M("7 as Float"), "7.0")
NT_CASE(ncs_lang, cast_float_int, M("-7.9 as Int"), "-7")
NT_CASE(ncs_lang, cast_to_string, M("12 as String"), "\"12\"")

/* bindings and blocks */
NT_CASE(ncs_lang, let_binding, M("let a = 2; let b = a * 10; b + 1"), "21")
NT_CASE(ncs_lang, let_mut, M("let mut a = 1; a = a + 41; a"), "42")
NT_CASE(ncs_lang, shadowing, M("let a = 1; let a = a + 1; a"), "2")
NT_CASE(ncs_lang, block_scope, M("let a = 1; { let a = 5; } a"), "1")
NT_CASE(ncs_lang, block_value, M("let v = { let t = 3; t * t }; v"), "9")
NT_CASE(ncs_lang, compound_assign, M("let mut a = 10; a += 5; a -= 3; a *= 2; a /= 4; a %= 4; a"), "2")
NT_CASE(ncs_lang, type_annotations, "fn add(a: Int, b: Int) -> Int { a + b }\n" M("let x: Int = add(1, 2); x"), "3")
NT_CASE(ncs_lang, comments,
	"// line\n/* block /* nested */ still */\nfn main() { 1 /* inline */ + 2 // tail\n }", "3")

/* control flow */
NT_CASE(ncs_lang, if_expression, M("if 1 > 2 { \"a\" } else { \"b\" }"), "\"b\"")
NT_CASE(ncs_lang, else_if_chain, M("let n = 5; if n < 0 { -1 } else if n == 0 { 0 } else { 1 }"), "1")
NT_CASE(ncs_lang, if_without_else_unit, M("if false { 1 }"), "()")
NT_CASE(ncs_lang, while_loop, M("let mut i = 0; let mut s = 0; while i < 5 { s += i; i += 1; } s"), "10")
NT_CASE(ncs_lang, loop_break_value, M("let mut i = 0; loop { i += 1; if i == 7 { break i * 2; } }"), "14")
NT_CASE(ncs_lang, continue_in_while,
	M("let mut i = 0; let mut s = 0; while i < 10 { i += 1; if i % 2 == 0 { continue; } s += i; } s"), "25")
NT_CASE(ncs_lang, for_range, M("let mut s = 0; for i in 0..5 { s += i; } s"), "10")
NT_CASE(ncs_lang, for_range_inclusive, M("let mut s = 0; for i in 1..=5 { s += i; } s"), "15")
NT_CASE(ncs_lang, for_range_empty, M("let mut s = 0; for i in 5..1 { s += i; } s"), "0")
NT_CASE(ncs_lang, for_continue_range, M("let mut s = 0; for i in 0..10 { if i % 3 != 0 { continue; } s += i; } s"), "18")
NT_CASE(ncs_lang, for_break, M("let mut s = 0; for x in [5, 6, 7, 8] { if x == 7 { break; } s += x; } s"), "11")
NT_CASE(ncs_lang, for_string_chars, M("let mut n = 0; for c in \"h\xc3\xa9!\" { n += 1; } n"), "3")
NT_CASE(ncs_lang, nested_loops,
	M("let mut c = 0; for i in 0..4 { for j in 0..4 { if j > i { break; } c += 1; } } c"), "10")
NT_CASE(ncs_lang, break_inside_expression, M("let mut x = 0; loop { x = 1 + { break 5; }; }"), "5")
NT_CASE(ncs_lang, return_early, "fn f(n) { if n > 0 { return \"pos\"; } \"other\" }\n" M("f(3)"), "\"pos\"")
NT_CASE(ncs_lang, return_unit, "fn f() { return; }\n" M("f()"), "()")
NT_CASE(ncs_lang, range_value, M("1..4"), "[1, 2, 3]")
NT_CASE(ncs_lang, range_value_inclusive, M("let r = 1..=3; r.len()"), "3")
NT_CASE(ncs_lang, for_over_range_variable, M("let r = 0..3; let mut s = 0; for i in r { s += i; } s"), "3")

/* functions */
NT_CASE(ncs_lang, recursion, "fn fact(n) { if n <= 1 { 1 } else { n * fact(n - 1) } }\n" M("fact(20)"),
	"2432902008176640000")
NT_CASE(ncs_lang, mutual_recursion,
	"fn even(n) { if n == 0 { true } else { odd(n - 1) } }\nfn odd(n) { if n == 0 { false } else { even(n - 1) } }\n"
	M("even(10)"), "true")
NT_CASE(ncs_lang, fn_value, "fn twice(f, x) { f(f(x)) }\nfn inc(x) { x + 1 }\n" M("twice(inc, 5)"), "7")
NT_CASE(ncs_lang, fn_value_print, "fn inc(x) { x + 1 }\n" M("inc"), "<fn inc>")
NT_CASE(ncs_lang, deep_recursion_heap_frames, "fn d(n) { if n == 0 { 0 } else { 1 + d(n - 1) } }\n" M("d(20000)"),
	"20000")
NT_CASE(ncs_lang, tuple_param_pattern, "fn sum((a, b)) { a + b }\n" M("sum((3, 4))"), "7")
NT_CASE(ncs_lang, value_semantics_args, "fn f(a) { let mut b = a; b.push(9); b.len() }\n" M("let a = [1]; f(a) + a.len()"),
	"3")

/* arrays, tuples, structs */
NT_CASE(ncs_lang, array_literal, M("[1, 2, 3]"), "[1, 2, 3]")
NT_CASE(ncs_lang, array_index, M("let a = [10, 20, 30]; a[1]"), "20")
NT_CASE(ncs_lang, array_assign, M("let mut a = [1, 2, 3]; a[0] = 9; a"), "[9, 2, 3]")
NT_CASE(ncs_lang, array_repeat, M("[0; 3]"), "[0, 0, 0]")
NT_CASE(ncs_lang, array_copy_on_write, M("let mut a = [1, 2]; let b = a; a.push(3); b"), "[1, 2]")
NT_CASE(ncs_lang, array_nested_assign, M("let mut m = [[1, 2], [3, 4]]; m[1][0] = 7; m"), "[[1, 2], [7, 4]]")
NT_CASE(ncs_lang, array_compound_index, M("let mut a = [1, 2]; a[1] += 10; a"), "[1, 12]")
NT_CASE(ncs_lang, string_index, M("\"h\xc3\xa9llo\"[1]"), "\"\xc3\xa9\"")
NT_CASE(ncs_lang, tuple_literal, M("(1, \"a\", true)"), "(1, \"a\", true)")
NT_CASE(ncs_lang, tuple_one, M("(1,)"), "(1,)")
NT_CASE(ncs_lang, tuple_index, M("let t = (4, 5); t.0 * t.1"), "20")
NT_CASE(ncs_lang, tuple_let_destructure, M("let (a, b) = (2, 3); a * b"), "6")
NT_CASE(ncs_lang, struct_print, "struct P { x: Int, y: Int }\n" M("P { x: 1, y: 2 }"), "P { x: 1, y: 2 }")
NT_CASE(ncs_lang, struct_field_order_free, "struct P { x: Int, y: Int }\n" M("let p = P { y: 2, x: 1 }; p.x"), "1")
NT_CASE(ncs_lang, struct_update_field, "struct P { x: Int, y: Int }\n" M("let mut p = P { x: 1, y: 2 }; p.x = 10; p.x + p.y"),
	"12")
NT_CASE(ncs_lang, struct_update_syntax, "struct P { x: Int, y: Int }\n" M("let p = P { x: 1, y: 2 }; let q = P { y: 5, ..p }; q"),
	"P { x: 1, y: 5 }")
NT_CASE(ncs_lang, struct_shorthand, "struct P { x: Int, y: Int }\n" M("let x = 3; let y = 4; P { x, y }"), "P { x: 3, y: 4 }")
NT_CASE(ncs_lang, struct_nested_update,
	"struct In { v: Int }\nstruct Out { i: In }\n" M("let mut o = Out { i: In { v: 1 } }; o.i.v = 5; o.i.v"), "5")
NT_CASE(ncs_lang, struct_field_push,
	"struct Bag { items: [Int] }\n" M("let mut b = Bag { items: [] }; b.items.push(4); b.items.push(5); b.items"), "[4, 5]")
NT_CASE(ncs_lang, struct_copy_semantics, "struct P { x: Int }\n" M("let mut a = P { x: 1 }; let b = a; a.x = 2; b.x"), "1")
NT_CASE(ncs_lang, struct_compound_field, "struct P { x: Int }\n" M("let mut a = P { x: 1 }; a.x += 4; a.x"), "5")

/* enums, Option, Result, match */
NT_CASE(ncs_lang, option_some, M("Some(3)"), "Some(3)")
NT_CASE(ncs_lang, option_none, M("None"), "None")
NT_CASE(ncs_lang, result_ok, M("Ok(8)"), "Ok(8)")
NT_CASE(ncs_lang, result_err, M("Err(\"bad\")"), "Err(\"bad\")")
NT_CASE(ncs_lang, try_on_option, "fn f(o) { let v = o?; Some(v * 2) }\n" M("(f(Some(4)), f(None))"), "(Some(8), None)")
NT_CASE(ncs_lang, enum_variants,
	"enum Shape { Circle(Int), Rect(Int, Int), Empty }\n"
	"fn area(s) { match s { Shape::Circle(r) => 3 * r * r, Shape::Rect(w, h) => w * h, Shape::Empty => 0 } }\n"
	M("area(Shape::Circle(2)) + area(Shape::Rect(3, 4)) + area(Shape::Empty)"), "24")
NT_CASE(ncs_lang, enum_print, "enum E { A(Int), B }\n" M("[E::A(1), E::B]"), "[A(1), B]")
NT_CASE(ncs_lang, match_literal_string, M("match \"b\" { \"a\" => 1, \"b\" => 2, _ => 3 }"), "2")
NT_CASE(ncs_lang, match_wildcard, M("match 99 { 1 => \"one\", _ => \"many\" }"), "\"many\"")
NT_CASE(ncs_lang, match_range, M("match 15 { 0..=9 => \"digit\", 10..=99 => \"two\", _ => \"big\" }"), "\"two\"")
NT_CASE(ncs_lang, match_exclusive_range, M("match 10 { 0..10 => 1, _ => 2 }"), "2")
NT_CASE(ncs_lang, match_negative_literal, M("match -3 { -3 => true, _ => false }"), "true")
NT_CASE(ncs_lang, match_bool, M("match 1 < 2 { true => 1, false => 0 }"), "1")
NT_CASE(ncs_lang, match_tuple, M("match (1, 2) { (0, _) => 0, (1, y) => y * 10, _ => 99 }"), "20")
NT_CASE(ncs_lang, match_nested_variant, M("match Some(Ok(5)) { Some(Err(_)) => 0, Some(Ok(v)) => v, None => -1 }"), "5")
NT_CASE(ncs_lang, match_or_bindings, M("match Err(4) { Ok(v) | Err(v) => v + 1 }"), "5")
NT_CASE(ncs_lang, match_struct_pattern,
	"struct P { x: Int, y: Int }\n" M("match (P { x: 0, y: 7 }) { P { x: 0, y } => y, P { .. } => -1 }"), "7")
NT_CASE(ncs_lang, match_guard_falls_through, M("match 5 { n if n > 10 => 1, n if n > 3 => 2, _ => 3 }"), "2")
NT_CASE(ncs_lang, match_unit_arm_blocks, M("let mut a = 0; match 2 { 1 => { a = 10; } _ => { a = 20; } } a"), "20")
NT_CASE(ncs_lang, if_let, M("let o = Some(3); if let Some(v) = o { v } else { 0 }"), "3")
NT_CASE(ncs_lang, if_let_else, M("let o = None; if let Some(v) = o { v } else { 0 }"), "0")
NT_CASE(ncs_lang, while_let_pop, M("let mut a = [1, 2, 3]; let mut s = 0; while let Some(x) = a.pop() { s = s * 10 + x; } s"),
	"321")
NT_CASE(ncs_lang, let_else, "fn f(o) { let Some(v) = o else { return -1; }; v }\n" M("(f(Some(2)), f(None))"), "(2, -1)")
NT_CASE(ncs_lang, for_tuple_pattern, M("let mut s = 0; for (a, b) in [(1, 2), (3, 4)] { s += a * b; } s"), "14")
NT_CASE(ncs_lang, negative_zero_constant_kept, M("(0.0, -0.0)"), "(0.0, -0.0)")
NT_CASE(ncs_lang, for_over_array_snapshot, M("let mut a = [1, 2]; for x in a { a.push(x); } a"), "[1, 2, 1, 2]")
NT_CASE(ncs_lang, nested_tuple_index, M("let t = ((1, 2), (3, (4, 5))); t.1.1.0 + t.0.1"), "6")
NT_FAIL(ncs_lang, tuple_index_exponent_rejected, M("let t = (1, 2); t.1e3"), NC_NCS_ERR_SYNTAX)

/* closures: capture by value at creation */
NT_CASE(ncs_lang, closure_basic, M("let add = |a, b| a + b; add(2, 3)"), "5")
NT_CASE(ncs_lang, closure_no_params, M("let f = || 42; f()"), "42")
NT_CASE(ncs_lang, closure_captures, M("let k = 10; let f = |x| x + k; f(1)"), "11")
NT_CASE(ncs_lang, closure_capture_is_a_copy, M("let mut k = 1; let f = |x| x + k; k = 100; f(1)"), "2")
NT_CASE(ncs_lang, closure_returned, "fn adder(n) { |x| x + n }\n" M("let a = adder(5); a(1) + a(2)"), "13")
NT_CASE(ncs_lang, closure_nested_capture, M("let k = 1; let f = |a| { let m = a * 2; |b| m + b + k }; let g = f(3); g(4)"), "11")
NT_CASE(ncs_lang, closure_passed_to_fn, "fn apply(f, x) { f(x) }\n" M("let n = 3; apply(|x| x * n, 7)"), "21")
NT_CASE(ncs_lang, closure_compose, "fn compose(f, g) { |x| g(f(x)) }\n" M("let h = compose(|x| x + 1, |x| x * 10); h(2)"), "30")
NT_CASE(ncs_lang, closure_in_loop_captures_each, M("let mut fs = []; for i in 0..3 { fs.push(|x| x * i); } let mut o = []; for f in fs { o.push(f(10)); } o"),
	"[0, 10, 20]")
NT_CASE(ncs_lang, closure_tuple_param, M("let f = |(a, b)| a * b; f((6, 7))"), "42")
NT_CASE(ncs_lang, closure_return_inside, M("let f = |x| { if x > 0 { return \"pos\"; } \"neg\" }; (f(1), f(-1))"), "(\"pos\", \"neg\")")
NT_CASE(ncs_lang, closure_captures_array, M("let a = [1, 2, 3]; let f = |i| a[i]; f(2)"), "3")
NT_CASE(ncs_lang, closure_prints, M("let k = 1; |x| x + k"), "<closure>")
NT_CASE(ncs_lang, closure_without_captures_is_fn, M("let f = |x| x; f"), "<fn <closure>>")
NT_FAIL(ncs_lang, closure_assign_captured, M("let mut k = 1; let f = || { k = 2; }; f()"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_lang, closure_break_outer_loop, M("loop { let f = || { break; }; }"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_lang, closure_arity, M("let f = |a| a; f(1, 2)"), NC_NCS_ERR_ARGS)
NT_FAIL(ncs_lang, closure_unknown_name, M("let f = |a| a + zz; f(1)"), NC_NCS_ERR_RESOLVE)

NC_TEST(ncs_lang, closure_memory_released)
{
	nt_reset();
	nt_cfg.limits.max_alloc_bytes = 200000;
	NC_CHECK_EQ(nt_run("fn main() { let mut n = 0; for i in 0..5000 { let big = [i; 100]; let f = |j| big[j]; n += f(3); } n }"),
		    NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "12497500");
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}
/* found by the Python oracle: a statement starting with a block-like expression ends there */
NT_CASE(ncs_lang, while_statement_then_paren, M("let mut i = 0; while i < 2 { i += 1; }\n(i * 10)"), "20")
NT_CASE(ncs_lang, if_statement_then_paren, M("let mut a = 1; if true { a = 2; }\n(a)"), "2")
NT_CASE(ncs_lang, block_statement_then_array, M("{ 1; }\n[2, 3]"), "[2, 3]")
NT_FAIL(ncs_lang, blocklike_statement_no_binary_continuation, M("if true { 1 } else { 2 } * 3"), NC_NCS_ERR_SYNTAX)
NT_CASE(ncs_lang, blocklike_inside_expression_continues, M("let x = if true { 1 } else { 2 } * 3; x"), "3")

/* impl blocks: associated functions, methods with self / &self / &mut self */
#define COUNTER                                                                                      \
	"struct Counter { n: Int }\n"                                                                  \
	"impl Counter {\n  fn new() -> Counter { Counter { n: 0 } }\n  fn get(&self) -> Int { self.n }\n" \
	"  fn bump(&mut self, by: Int) { self.n += by; }\n  fn plus(self, k: Int) -> Counter { Counter { n: self.n + k } }\n" \
	"  fn len(&self) -> Int { 99 }\n}\n"
NT_CASE(ncs_lang, impl_assoc_fn, COUNTER M("Counter::new()"), "Counter { n: 0 }")
NT_CASE(ncs_lang, impl_ref_self, COUNTER M("let c = Counter { n: 4 }; c.get()"), "4")
NT_CASE(ncs_lang, impl_mut_self_writes_back, COUNTER M("let mut c = Counter::new(); c.bump(2); c.bump(3); c.get()"), "5")
NT_CASE(ncs_lang, impl_by_value_self, COUNTER M("let c = Counter::new(); let d = c.plus(7); (c.get(), d.get())"), "(0, 7)")
NT_CASE(ncs_lang, impl_mut_self_through_field,
	COUNTER "struct Holder { c: Counter }\n" M("let mut h = Holder { c: Counter::new() }; h.c.bump(6); h.c.get()"), "6")
NT_CASE(ncs_lang, impl_mut_self_in_array, COUNTER M("let mut a = [Counter::new(), Counter::new()]; a[1].bump(9); (a[0].get(), a[1].get())"),
	"(0, 9)")
NT_CASE(ncs_lang, impl_copy_semantics, COUNTER M("let mut c = Counter::new(); let before = c; c.bump(1); (before.get(), c.get())"),
	"(0, 1)")
NT_CASE(ncs_lang, impl_method_shadows_builtin_name, COUNTER M("let c = Counter::new(); ([1, 2].len(), c.len())"), "(2, 99)")
NT_CASE(ncs_lang, impl_ufcs, COUNTER M("Counter::get(Counter { n: 3 })"), "3")
NT_CASE(ncs_lang, impl_method_calls_method, "struct V { x: Int, y: Int }\nimpl V {\n fn dot(&self, o: V) { self.x * o.x + self.y * o.y }\n"
	" fn norm2(&self) { self.dot(self) }\n}\n" M("V { x: 3, y: 4 }.norm2()"), "25")
NT_CASE(ncs_lang, impl_two_structs_same_method,
	"struct A { v: Int }\nstruct B { v: Int }\nimpl A { fn f(&self) { self.v + 1 } }\nimpl B { fn f(&self) { self.v * 10 } }\n"
	M("let xs = [A { v: 1 }, A { v: 2 }]; let y = B { v: 3 }; (xs[0].f(), xs[1].f(), y.f())"), "(2, 3, 30)")
NT_FAIL(ncs_lang, impl_unknown_struct, "impl Nope { fn f(&self) { 1 } }\n" M("1"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_lang, impl_mut_method_needs_mut_binding, COUNTER M("let c = Counter::new(); c.bump(1); c"), NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_lang, impl_method_arity, COUNTER M("let mut c = Counter::new(); c.bump(1, 2); c"), NC_NCS_ERR_ARGS)
NT_FAIL(ncs_lang, impl_method_on_wrong_type, COUNTER M("let x = 5; x.get()"), NC_NCS_ERR_TYPE)
NT_FAIL(ncs_lang, impl_self_immutable_in_ref_method, "struct S { v: Int }\nimpl S { fn f(&self) { self.v = 1; } }\n" M("1"),
	NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_lang, impl_ampersand_needs_self, "struct S { v: Int }\nimpl S { fn f(&x) { 1 } }\n" M("1"), NC_NCS_ERR_SYNTAX)
NT_CASE(ncs_lang, impl_fn_as_value, COUNTER M("let g = Counter::get; [Counter { n: 1 }, Counter { n: 2 }].map(g)"), "[1, 2]")
