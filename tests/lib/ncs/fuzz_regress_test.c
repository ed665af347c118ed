/* Inputs the fuzzer (ncs_fuzz) once crashed on; each must now fail cleanly. */
#include "ncs_test_support.h"

/* mutating method on a function name (not a variable): compiler dereferenced NULL */
NT_FAIL(ncs_fuzz, mutating_method_on_fn_name, "fn f(n) { f(f + 1) }\nfn main() { f.sort()}\n", NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_fuzz, mutating_method_on_fn_field, "fn f() { 1 }\nfn main() { f.x.push(1) }\n", NC_NCS_ERR_RESOLVE)

/* invalid UTF-8 in a literal: chars()/split("") overran their array (length was
 * counted one way and split another); literals are now validated */
NT_FAIL(ncs_fuzz, invalid_utf8_literal,
	"fn main() {\nlet parts = string::split(\"\x8f\x8f\x8f" "a,b\", \"\");\n}\n", NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_fuzz, overlong_utf8_literal, "fn main() { \"\xc0\xaf\" }", NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_fuzz, surrogate_utf8_literal, "fn main() { \"\xed\xa0\x80\" }", NC_NCS_ERR_SYNTAX)
NT_FAIL(ncs_fuzz, truncated_utf8_literal, "fn main() { \"\xe2\x82\" }", NC_NCS_ERR_SYNTAX)
NT_CASE(ncs_fuzz, valid_utf8_literal, "fn main() { \"\xe2\x82\xac\xf0\x9f\x98\x80\".chars().len() }", "2")
