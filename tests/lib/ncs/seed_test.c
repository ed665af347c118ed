/* The programs of the seed's Section 4, each with the result its comment shows
 * (string::upper("nexacore") is "NEXACORE": the seed's comment is a typo). */
#include "ncs_test_support.h"

NT_PRINTS(ncs_seed, hello, "fn main() {\nprint(\"Hello, world\");\n}\n", "Hello, world\n")

NT_CASE(ncs_seed, fib10,
	"fn fib(n) {\nif n < 2 { n } else { fib(n - 1) + fib(n - 2) }\n}\n"
	"fn main() {\nfib(10) // => 55\n}\n", "55")

NT_CASE(ncs_seed, for_sum,
	"fn main() {\nlet mut sum = 0;\nfor x in [1, 2, 3, 4] {\nsum = sum + x;\n}\nsum // => 10\n}\n", "10")

NT_CASE(ncs_seed, struct_fields,
	"struct P { x: Int, y: Int }\nfn main() {\nlet p = P { x: 3, y: 4 };\np.x + p.y // => 7\n}\n", "7")

#define SEED_MATCH                                                                     \
	"fn classify(n) {\nmatch n {\n0 | 1 => 100, // or-pattern\np if p < 0 => -1, // guard\np => p\n}\n}\n" \
	"fn get(ok) {\nif ok { Ok(7) } else { Err(42) }\n}\n"                           \
	"fn use_it(ok) {\nlet v = get(ok)?; // `?` propagates Err\nOk(v + 1)\n}\n"

NT_CASE(ncs_seed, try_operator,
	SEED_MATCH "fn main() {\nmatch use_it(true) {\nOk(x) => x, // => 8\nErr(e) => e\n}\n}\n", "8")
NT_CASE(ncs_seed, try_propagates_err,
	SEED_MATCH "fn main() {\nmatch use_it(false) {\nOk(x) => x,\nErr(e) => e\n}\n}\n", "42")
NT_CASE(ncs_seed, classify_or_pattern, SEED_MATCH "fn main() { classify(1) }", "100")
NT_CASE(ncs_seed, classify_guard, SEED_MATCH "fn main() { classify(-5) }", "-1")
NT_CASE(ncs_seed, classify_binding, SEED_MATCH "fn main() { classify(9) }", "9")

#define SEED_CAPS                                                                      \
	"// Capabilities are declared in the script header.\n"                        \
	"#![capabilities(fs.read(\"/etc/nexacore\"), ai.invoke)]\n"                     \
	"fn main() {\nlet notes = fs::read(\"/etc/nexacore/notes/a.txt\");\nprint(notes);\n}\n"

/* no handler installed: inert effect value, no I/O, no error */
NT_PRINTS(ncs_seed, capabilities_inert, SEED_CAPS, "<effect fs.read(\"/etc/nexacore/notes/a.txt\")>\n")

NT_PRINTS(ncs_seed, pure_stdlib,
	  "fn main() {\nlet parts = string::split(\"a,b,c\", \",\"); // [\"a\", \"b\", \"c\"]\n"
	  "let n = string::len(\"h\xc3\xa9llo\"); // 5\nlet up = string::upper(\"nexacore\");\n"
	  "print(string::from_int(parts.len())); // prints \"3\"\n"
	  "print(parts); print(n); print(up);\n}\n",
	  "3\n[\"a\", \"b\", \"c\"]\n5\nNEXACORE\n")

NT_PRINTS(ncs_seed, agent_task_inert,
	  "#![capabilities(agent.task)]\nfn main() {\n"
	  "let summary = agent::task(\"summarise today's files in ~/reports\");\nprint(summary);\n}\n",
	  "<effect agent.task(\"summarise today's files in ~/reports\")>\n")

NC_TEST(ncs_seed, limits_example_budget)
{
	nt_reset();
	nt_cfg.limits.max_steps = 1000000;
	nt_cfg.limits.max_alloc_bytes = 64000;
	nt_cfg.limits.deadline_micros = 5000000;
	nt_cfg.limits.max_call_depth = 64;
	NC_CHECK_EQ(nt_run("fn main() { loop { } }"), NC_NCS_ERR_LIMIT_STEPS);
	NC_CHECK_EQ(nt_result.steps, 1000000);
	NC_CHECK_EQ(nt_run("fn f(n) { f(n + 1) + 1 }\nfn main() { f(0) }"), NC_NCS_ERR_LIMIT_DEPTH);
	NC_CHECK_EQ(nt_run("fn main() { let mut a = []; loop { a.push(\"xxxxxxxx\"); } }"), NC_NCS_ERR_LIMIT_ALLOC);
	NC_CHECK_EQ(nt_run("fn main() { 2 + 3 }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "5");
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}
