/* Bit operators on Int (& | ^ << >> and `!`), Bool & | ^, their precedence
 * (Rust's table), compound assignments, 0b/0o literals and the errors.
 * Expected values are worked out by hand in two's complement. */
#include "ncs_test_support.h"

#define M(body) "fn main() { " body " }"

NT_CASE(ncs_bits, and_or_xor, M("(12 & 10, 12 | 10, 12 ^ 10, -1 & 255, -256 | 15, -1 ^ 1)"), "(8, 14, 6, 255, -241, -2)")
NT_CASE(ncs_bits, shl, M("(1 << 0, 1 << 10, 3 << 62, 1 << 63, -1 << 1, 5 << 62)"),
	/* 3 << 62 sets bits 62 and 63: -2^63 + 2^62; 5 << 62 sets bit 62 and drops bit 64 */
	"(1, 1024, -4611686018427387904, -9223372036854775808, -2, 4611686018427387904)")
NT_CASE(ncs_bits, shr_is_arithmetic, M("(1024 >> 3, -8 >> 1, -1 >> 63, -9 >> 2, 7 >> 63, (-9223372036854775807 - 1) >> 63, 9223372036854775807 >> 62)"),
	"(128, -4, -1, -3, 0, -1, 1)")
NT_CASE(ncs_bits, not_on_int, M("(!0, !-1, !5, !9223372036854775807)"), "(-1, 0, -6, -9223372036854775808)")
NT_CASE(ncs_bits, not_on_bool_unchanged, M("(!true, !false, !!true)"), "(false, true, true)")
NT_CASE(ncs_bits, bool_ops, M("(true & false, true | false, true ^ true, false ^ true)"), "(false, true, false, true)")
NT_PRINTS(ncs_bits, bool_ops_are_eager, "fn t(s) { print(s); true }\n" M("let a = false & t(\"and\"); let b = true | t(\"or\");"),
	  "and\nor\n")
/* literal forms, also as immediates next to locals (a separate compile path) */
NT_CASE(ncs_bits, with_locals, M("let x = 6; let y = 3; (x & 3, x | 1, x ^ 5, x << 2, x >> 1, x & y, x | y, x ^ y, x << y, x >> y)"),
	"(2, 7, 3, 24, 3, 2, 7, 5, 48, 0)")
NT_CASE(ncs_bits, literals, M("(0b1010, 0o17, 0b1111_0000, 0xff & 0b1010, 0o777, 0b0)"), "(10, 15, 240, 10, 511, 0)")
NT_CASE(ncs_bits, literal_limits, M("(0x7fff_ffff_ffff_ffff, 0o777777777777777777777, 0b111111111111111111111111111111111111111111111111111111111111111)"),
	"(9223372036854775807, 9223372036854775807, 9223372036854775807)")
NT_CASE(ncs_bits, min_int_from_bits, M("1 << 63 == -9223372036854775807 - 1"), "true")

/* Rust precedence, low to high: comparisons < | < ^ < & < << >> < + - < * / % */
NT_CASE(ncs_bits, prec_bitops, M("1 | 2 ^ 3 & 4 << 1"), "3")         /* 1 | (2 ^ (3 & (4 << 1))) */
NT_CASE(ncs_bits, prec_and_over_or, M("(6 | 1 & 3, (6 | 1) & 3)"), "(7, 3)")
NT_CASE(ncs_bits, prec_xor_between, M("(1 ^ 3 | 4, 1 ^ 3 & 2)"), "(6, 3)") /* (1^3)|4 ; 1^(3&2) */
NT_CASE(ncs_bits, prec_shift_below_add, M("(1 + 2 << 3, 1 << 2 + 1, 2 * 3 << 1, 64 >> 1 + 1)"), "(24, 8, 12, 16)")
NT_CASE(ncs_bits, prec_compare_below_bits, M("(5 & 3 == 1, 1 | 2 == 3, 8 >> 2 < 3)"), "(true, true, true)")
NT_CASE(ncs_bits, prec_unary, M("(-8 >> 1, !0 & 7, -(1 << 2))"), "(-4, 7, -4)")
NT_CASE(ncs_bits, prec_logic_lowest, M("5 & 1 == 1 && 6 | 1 == 7 || false"), "true")
NT_CASE(ncs_bits, left_assoc, M("(100 >> 2 >> 1, 1 << 2 << 3, 12 ^ 10 ^ 6)"), "(12, 32, 0)")
NT_CASE(ncs_bits, as_binds_tighter, M("(3.9 as Int & 1, 1 << 2 as Int)"), "(1, 4)")
NT_CASE(ncs_bits, closure_with_pipe_operator, M("[1, 2, 4].map(|x| x | 1).fold(0, |a, x| a ^ x)"), "7") /* 1 ^ 3 ^ 5 */
NT_CASE(ncs_bits, nested_generic_annotations,
	"fn f(v: Vec<Vec<Int>>, m: HashMap<String, Vec<Int>>) -> Vec<Vec<Int>> { v }\n"
	M("let v: Vec<Vec<Int>> = [[1]]; let w: Vec<Vec<Vec<Int>>> = [[[2]]]; (f(v, map::new()), w)"),
	"([[1]], [[[2]]])")

NT_CASE(ncs_bits, compound_assignments,
	M("let mut x = 12; x &= 10; let a = x; x |= 1; let b = x; x ^= 2; let c = x; x <<= 2; let d = x; x >>= 1; (a, b, c, d, x)"),
	"(8, 9, 11, 44, 22)")
NT_CASE(ncs_bits, compound_on_places,
	M("let mut a = [1, 2]; a[0] |= 6; a[1] <<= 4; let mut m = map::from([(\"k\", 255)]); m[\"k\"] &= 15; (a, m)"),
	"([7, 32], {\"k\": 15})")
NT_CASE(ncs_bits, compound_bool, M("let mut b = true; b &= false; let x = b; b |= true; b ^= true; (x, b)"), "(false, false)")

/* a hand-checked use: population count of 0xF0F0 (8 bits set) */
NT_CASE(ncs_bits, popcount_loop, M("let mut x = 0xF0F0; let mut n = 0; while x != 0 { n += x & 1; x >>= 1; } n"), "8")

NC_TEST(ncs_bits, shift_amount_errors)
{
	nt_expect_error(M("1 << 64"), NC_NCS_ERR_OVERFLOW,
		    "test.ncs:1:15: error: shift amount 64 out of range 0 to 63 in << [NC_NCS_ERR_OVERFLOW]");
	nt_expect_error(M("let n = -1; 8 >> n"), NC_NCS_ERR_OVERFLOW,
		    "test.ncs:1:27: error: shift amount -1 out of range 0 to 63 in >> [NC_NCS_ERR_OVERFLOW]");
	nt_expect_error(M("let mut x = 1; x <<= 100"), NC_NCS_ERR_OVERFLOW, "shift amount 100 out of range 0 to 63 in <<");
	nt_expect_error(M("1 >> (-9223372036854775807 - 1)"), NC_NCS_ERR_OVERFLOW,
		    "shift amount -9223372036854775808 out of range 0 to 63 in >>");
	nt_expect_error(M("0 << 9223372036854775807"), NC_NCS_ERR_OVERFLOW, "shift amount 9223372036854775807 out of range");
}

NC_TEST(ncs_bits, type_errors)
{
	nt_expect_error(M("1 & true"), NC_NCS_ERR_TYPE, "cannot apply & to Int and Bool [NC_NCS_ERR_TYPE]");
	nt_expect_error(M("1.0 | 2.0"), NC_NCS_ERR_TYPE, "cannot apply | to Float and Float");
	nt_expect_error(M("\"a\" ^ \"b\""), NC_NCS_ERR_TYPE, "cannot apply ^ to String and String");
	nt_expect_error(M("1.5 << 1"), NC_NCS_ERR_TYPE, "cannot apply << to Float and Int");
	nt_expect_error(M("true >> 1"), NC_NCS_ERR_TYPE, "cannot apply >> to Bool and Int");
	nt_expect_error(M("true << false"), NC_NCS_ERR_TYPE, "cannot apply << to Bool and Bool");
	nt_expect_error(M("[1] | [2]"), NC_NCS_ERR_TYPE, "cannot apply | to Array and Array");
	nt_expect_error(M("!1.5"), NC_NCS_ERR_TYPE, "`!` needs Bool or Int, not Float");
	nt_expect_error(M("!\"a\""), NC_NCS_ERR_TYPE, "`!` needs Bool or Int, not String");
	nt_expect_error(M("let x = 2; x & 1.0"), NC_NCS_ERR_TYPE, "cannot apply & to Int and Float");
}

NC_TEST(ncs_bits, syntax_errors)
{
	nt_expect_error(M("0b102"), NC_NCS_ERR_SYNTAX, "test.ncs:1:17: error: digit out of range for the literal's base");
	nt_expect_error(M("0o78"), NC_NCS_ERR_SYNTAX, "digit out of range for the literal's base");
	nt_expect_error(M("0b"), NC_NCS_ERR_SYNTAX, "test.ncs:1:13: error: binary literal needs digits");
	nt_expect_error(M("0o"), NC_NCS_ERR_SYNTAX, "octal literal needs digits");
	nt_expect_error(M("0b2"), NC_NCS_ERR_SYNTAX, "binary literal needs digits");
	nt_expect_error(M("0b1111111111111111111111111111111111111111111111111111111111111111"), NC_NCS_ERR_SYNTAX,
		    "integer literal does not fit in Int (64-bit)");
	nt_expect_error(M("0o2000000000000000000000"), NC_NCS_ERR_SYNTAX, "integer literal does not fit in Int (64-bit)");
	nt_expect_error(M("1 < < 2"), NC_NCS_ERR_SYNTAX, "expected an expression");
	nt_expect_error(M("1 > > 2"), NC_NCS_ERR_SYNTAX, "expected an expression");
	nt_expect_error(M("let x = 1; x &&= 1"), NC_NCS_ERR_SYNTAX, "expected an expression");
	nt_expect_error(M("1 << 2 < 3 < 4"), NC_NCS_ERR_SYNTAX, "comparison operators cannot be chained");
	nt_expect_error(M("let x = 1; x <<= 1"), NC_NCS_ERR_RESOLVE, "cannot assign twice to immutable variable `x`");
}
