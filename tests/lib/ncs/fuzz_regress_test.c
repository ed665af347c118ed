/* Inputs the fuzzer (ncs_fuzz) once crashed on; each must now fail cleanly. */
#include "ncs_test_support.h"

/* mutating method on a function name (not a variable): compiler dereferenced NULL */
NT_FAIL(ncs_fuzz, mutating_method_on_fn_name, "fn f(n) { f(f + 1) }\nfn main() { f.sort()}\n", NC_NCS_ERR_RESOLVE)
NT_FAIL(ncs_fuzz, mutating_method_on_fn_field, "fn f() { 1 }\nfn main() { f.x.push(1) }\n", NC_NCS_ERR_RESOLVE)
