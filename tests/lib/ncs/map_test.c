/* Maps: construction, methods, indexing, iteration order, value semantics,
 * equality, key types and their errors, step charging under colliding keys,
 * the memory limit and allocation failure. Expected values are worked out by
 * hand from the documented semantics (insertion order, Option results). */
#include "ncs_test_support.h"
#include <nc/fmt.h>

#define M(body) "fn main() { " body " }"

/* construction and printing */
NT_CASE(ncs_map, new_is_empty, M("let m = map::new(); (m, m.len(), m.is_empty())"), "({}, 0, true)")
NT_CASE(ncs_map, prints_in_insertion_order,
	M("let mut m = map::new(); m.insert(\"b\", 1); m.insert(2, [3]); m.insert(true, \"t\"); m"),
	"{\"b\": 1, 2: [3], true: \"t\"}")
NT_PRINTS(ncs_map, print_quotes_strings_inside, M("print(map::from([(\"k\", \"v\")]));"), "{\"k\": \"v\"}\n")
NT_CASE(ncs_map, from_pairs, M("map::from([(1, \"a\"), (2, \"b\")])"), "{1: \"a\", 2: \"b\"}")
NT_CASE(ncs_map, from_later_duplicate_wins_first_position, M("map::from([(1, \"a\"), (2, \"b\"), (1, \"c\")])"),
	"{1: \"c\", 2: \"b\"}")
NT_CASE(ncs_map, from_empty, M("map::from([]).len()"), "0")
NT_CASE(ncs_map, as_string, M("map::from([(1, 2)]) as String"), "\"{1: 2}\"")
NT_CASE(ncs_map, nested_maps, M("let mut m = map::new(); m.insert(\"in\", map::from([(1, 2)])); m"),
	"{\"in\": {1: 2}}")

/* methods */
NT_CASE(ncs_map, insert_returns_old_value,
	M("let mut m = map::new(); let a = m.insert(\"a\", 1); let b = m.insert(\"a\", 2); (a, b, m)"),
	"(None, Some(1), {\"a\": 2})")
NT_CASE(ncs_map, overwrite_keeps_position,
	M("let mut m = map::new(); m.insert(\"a\", 1); m.insert(\"b\", 2); m.insert(\"a\", 3); m"),
	"{\"a\": 3, \"b\": 2}")
NT_CASE(ncs_map, get_some_none, M("let m = map::from([(\"x\", 5)]); (m.get(\"x\"), m.get(\"y\"))"), "(Some(5), None)")
NT_CASE(ncs_map, get_or, M("let m = map::from([(\"x\", 5)]); (m.get_or(\"x\", 0), m.get_or(\"y\", 0))"), "(5, 0)")
NT_CASE(ncs_map, contains, M("let m = map::from([(1, ())]); (m.contains(1), m.contains_key(1), m.contains(2))"),
	"(true, true, false)")
NT_CASE(ncs_map, remove_then_reinsert_goes_last,
	M("let mut m = map::from([(\"a\", 1), (\"b\", 2), (\"c\", 3)]);\n"
	  "let r = m.remove(\"a\"); let s = m.remove(\"zz\"); m.insert(\"a\", 4); (r, s, m, m.len())"),
	"(Some(1), None, {\"b\": 2, \"c\": 3, \"a\": 4}, 3)")
NT_CASE(ncs_map, remove_everything, M("let mut m = map::from([(1, 1), (2, 2)]); m.remove(1); m.remove(2); (m, m.is_empty())"),
	"({}, true)")
NT_CASE(ncs_map, keys_values_in_order, M("let m = map::from([(\"z\", 1), (\"a\", 2), (\"m\", 3)]); (m.keys(), m.values())"),
	"([\"z\", \"a\", \"m\"], [1, 2, 3])")
NT_CASE(ncs_map, clear, M("let mut m = map::from([(1, 2)]); m.clear(); m.insert(3, 4); m"), "{3: 4}")
NT_CASE(ncs_map, function_forms, M("let m = map::from([(1, 2)]); (map::len(m), map::get(m, 1), map::keys(m))"),
	"(1, Some(2), [1])")

/* key types: Int, Bool, String, tuples and arrays of them; all distinct */
NT_CASE(ncs_map, keys_of_different_types_are_distinct,
	M("let mut m = map::new(); m.insert(1, \"int\"); m.insert(\"1\", \"str\"); m.insert(true, \"bool\");\n"
	  "m.insert((1,), \"tuple\"); m.insert([1], \"array\"); (m.len(), m[1], m[\"1\"], m[true], m[(1,)], m[[1]])"),
	"(5, \"int\", \"str\", \"bool\", \"tuple\", \"array\")")
NT_CASE(ncs_map, tuple_keys, M("let mut g = map::new(); g[(0, 1)] = \"a\"; g[(1, 0)] = \"b\"; (g[(1, 0)], g.get((2, 2)))"),
	"(\"b\", None)")
NT_CASE(ncs_map, extreme_int_keys,
	M("let mut m = map::new(); m[-9223372036854775807 - 1] = 1; m[9223372036854775807] = 2; m[0] = 3;\n"
	  "(m[-9223372036854775807 - 1], m[9223372036854775807], m[0])"),
	"(1, 2, 3)")
NT_CASE(ncs_map, long_string_keys,
	M("let a = \"x\".repeat(100); let b = \"x\".repeat(99) + \"y\"; let mut m = map::new();\n"
	  "m[a] = 1; m[b] = 2; (m[\"x\".repeat(100)], m[\"x\".repeat(99) + \"y\"], m.len())"),
	"(1, 2, 2)")
NT_CASE(ncs_map, empty_string_key, M("let mut m = map::new(); m[\"\"] = 1; m[\"\"]"), "1")

/* indexing */
NT_CASE(ncs_map, index_set_and_compound,
	M("let mut m = map::new(); m[\"a\"] = 1; m[\"a\"] += 41; m[\"b\"] = 0; m"), "{\"a\": 42, \"b\": 0}")
NT_CASE(ncs_map, nested_place_update,
	M("let mut m = map::from([(\"xs\", [1, 2, 3])]); m[\"xs\"][1] = 5; m[\"xs\"].push(4); m"),
	"{\"xs\": [1, 5, 3, 4]}")
NT_CASE(ncs_map, map_in_struct_field,
	"struct Reg { m: Int }\n"
	M("let mut r = Reg { m: map::new() }; r.m.insert(\"k\", 1); r.m[\"j\"] = 2; r.m"),
	"{\"k\": 1, \"j\": 2}")
NC_TEST(ncs_map, missing_key_index_error)
{
	nt_reset();
	NC_CHECK_EQ(nt_run(M("let m = map::from([(\"a\", 1)]);\nm[\"zz\"]")), NC_NCS_ERR_INDEX);
	NC_CHECK(nt_contains(nt_result.message, "test.ncs:2:2: error: map has no key \"zz\" [NC_NCS_ERR_INDEX]"));
	NC_CHECK_EQ(nt_run(M("let m = map::new(); m[-7]")), NC_NCS_ERR_INDEX);
	NC_CHECK(nt_contains(nt_result.message, "error: map has no key -7 [NC_NCS_ERR_INDEX]"));
	NC_CHECK_EQ(nt_run(M("let m = map::new(); m[(1, 2)]")), NC_NCS_ERR_INDEX);
	NC_CHECK(nt_contains(nt_result.message, "error: map has no key (1, 2) [NC_NCS_ERR_INDEX]"));
	NC_CHECK_EQ(nt_run(M("let m = map::new(); m[[(true,), (\"a\\\"b\", -1)]]")), NC_NCS_ERR_INDEX);
	NC_CHECK(nt_contains(nt_result.message, "error: map has no key [(true,), (\"a\\\"b\", -1)] [NC_NCS_ERR_INDEX]"));
	/* long keys are cut after 48 bytes, at a character boundary: the quote and
	 * 23 two-byte characters fit, the 24th would not */
	NC_CHECK_EQ(nt_run(M("let m = map::new(); m[\"\xc3\xa9\".repeat(30)]")), NC_NCS_ERR_INDEX);
	NC_CHECK(nt_contains(nt_result.message, "error: map has no key \""
			     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			     "\xc3\xa9\xc3\xa9\xc3\xa9... [NC_NCS_ERR_INDEX]"));
	NC_CHECK_EQ(nt_run(M("let m = map::new(); m[\"x\".repeat(60)]")), NC_NCS_ERR_INDEX);
	NC_CHECK(nt_contains(nt_result.message, "error: map has no key \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... ["));
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

/* iteration: (key, value) tuples in insertion order */
NT_PRINTS(ncs_map, for_pairs_in_order,
	  M("let mut m = map::new(); m[\"one\"] = 1; m[\"two\"] = 2; m[\"three\"] = 3; m.remove(\"two\");\n"
	    "for (k, v) in m { print(k + \"=\" + (v as String)); }"),
	  "one=1\nthree=3\n")
NT_PRINTS(ncs_map, for_over_keys, M("let m = map::from([(3, 0), (1, 0)]); for k in m.keys() { print(k); }"), "3\n1\n")
NT_CASE(ncs_map, iteration_methods, M("let m = map::from([(1, 10), (2, 20)]);\n"
				      "(m.map(|(k, v)| k + v), m.fold(0, |acc, (k, v)| acc + v), m.filter(|(k, v)| k > 1))"),
	"([11, 22], 30, [(2, 20)])")
NT_CASE(ncs_map, mutating_while_iterating_copies,
	M("let mut m = map::from([(1, 1), (2, 2)]); let mut n = 0;\n"
	  "for (k, v) in m { m.insert(k + 10, v); n += 1; } (n, m.len())"),
	"(2, 4)")
NT_CASE(ncs_map, empty_loop, M("let mut n = 0; for (k, v) in map::new() { n += 1; } n"), "0")

/* value semantics, like arrays */
NT_CASE(ncs_map, assignment_copies, M("let mut a = map::from([(1, 1)]); let b = a; a.insert(2, 2); a[1] = 9; (a, b)"),
	"({1: 9, 2: 2}, {1: 1})")
NT_CASE(ncs_map, argument_is_a_copy, "fn f(mut m) { m.insert(\"x\", 1); m.len() }\n" M("let m = map::new(); (f(m), m.len())"),
	"(1, 0)")
NT_CASE(ncs_map, closure_captures_copy,
	M("let mut m = map::from([(1, 1)]); let f = || m.len(); m.insert(2, 2); (f(), m.len())"), "(1, 2)")
NT_CASE(ncs_map, self_insert_no_cycle, M("let mut m = map::from([(1, 1)]); m.insert(2, m); m"), "{1: 1, 2: {1: 1}}")
NT_CASE(ncs_map, array_of_maps_copy,
	M("let mut xs = [map::new(), map::new()]; xs[0][\"a\"] = 1; let ys = xs; xs[1][\"b\"] = 2; (xs, ys)"),
	"([{\"a\": 1}, {\"b\": 2}], [{\"a\": 1}, {}])")

/* equality is by content, not by order */
NT_CASE(ncs_map, equality, M("let a = map::from([(1, \"x\"), (2, \"y\")]); let b = map::from([(2, \"y\"), (1, \"x\")]);\n"
			     "let c = map::from([(1, \"x\"), (2, \"z\")]); let d = map::from([(1, \"x\")]);\n"
			     "(a == b, a == c, a == d, a != c, map::new() == map::new(), a == [1])"),
	"(true, false, false, true, true, false)")
NT_CASE(ncs_map, equality_after_remove, M("let mut a = map::from([(1, 1), (2, 2)]); a.remove(2); a == map::from([(1, 1)])"),
	"true")
NT_CASE(ncs_map, match_on_get, M("let m = map::from([(\"k\", 3)]); match m.get(\"k\") { Some(v) => v * 2, None => 0 }"),
	"6")
NT_CASE(ncs_map, try_on_get, "fn f(m) { let v = m.get(\"k\")?; Some(v + 1) }\n"
	M("(f(map::from([(\"k\", 1)])), f(map::new()))"), "(Some(2), None)")

/* errors */
NC_TEST(ncs_map, key_type_errors)
{
	const char *msg = "map keys must be Int, Bool, String or tuples/arrays of them, not ";
	static const struct { const char *src, *type; } cases[] = {
		{ M("let mut m = map::new(); m.insert(1.5, 0)"), "Float [NC_NCS_ERR_TYPE]" },
		{ M("let mut m = map::new(); m[(1, 2.0)] = 0"), "Float [NC_NCS_ERR_TYPE]" },
		{ M("let m = map::new(); m.get(map::new())"), "Map [NC_NCS_ERR_TYPE]" },
		{ M("let m = map::new(); m[()]"), "Unit [NC_NCS_ERR_TYPE]" },
		{ M("let m = map::new(); m.contains(Some(1))"), "Variant [NC_NCS_ERR_TYPE]" },
		{ M("let mut m = map::new(); m.remove([[1], [|x| x]])"), "Fn [NC_NCS_ERR_TYPE]" },
		{ M("map::from([(1.0, 1)])"), "Float [NC_NCS_ERR_TYPE]" },
	};
	for (uint32_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char want[160];
		nc_fmt_format(want, sizeof want, "%s%s", msg, cases[i].type);
		nt_expect_error(cases[i].src, NC_NCS_ERR_TYPE, want);
	}
}

/* A key has at most 1024 parts (itself and each element, a shared part counted
 * each time), so checking, hashing and comparing keys is bounded even for
 * values that share parts: the 2^40-part key below is refused at once. */
NC_TEST(ncs_map, key_size_limit)
{
	nt_reset();
	NC_CHECK_EQ(nt_run(M("let mut m = map::new(); m[[0; 1023]] = 1; m[[0; 1023]]")), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "1");
	nt_release();
	nt_expect_error(M("let mut m = map::new(); m[[0; 1024]] = 1"), NC_NCS_ERR_VALUE,
			"test.ncs:1:38: error: map key too large: more than 1024 parts (shared parts count each time) [NC_NCS_ERR_VALUE]");
	nt_expect_error(M("let mut k = [1]; for i in 0..40 { k = [k, k]; } let m = map::new(); m.contains(k)"),
			NC_NCS_ERR_VALUE, "map key too large");
	nt_expect_error(M("let mut k = (1,); for i in 0..40 { k = (k, k); } map::from([(k, 0)])"), NC_NCS_ERR_VALUE,
			"map key too large");
}

NC_TEST(ncs_map, other_errors)
{
	nt_expect_error(M("map::from([1, 2])"), NC_NCS_ERR_TYPE,
		    "map::from: element 0 must be a (key, value) tuple, not Int [NC_NCS_ERR_TYPE]");
	nt_expect_error(M("map::from([(1, 2), (1, 2, 3)])"), NC_NCS_ERR_TYPE,
		    "map::from: element 1 must be a (key, value) tuple, not Tuple [NC_NCS_ERR_TYPE]");
	nt_expect_error(M("map::from(3)"), NC_NCS_ERR_TYPE, "map::from: argument 1 must be Array, not Int");
	nt_expect_error(M("map::len([1])"), NC_NCS_ERR_TYPE, "len: argument 1 must be Map, not Array [NC_NCS_ERR_TYPE]");
	nt_expect_error(M("let m = map::new(); m.keys"), NC_NCS_ERR_TYPE, "Map has no field `keys`");
	nt_expect_error(M("let x = 3; x.keys()"), NC_NCS_ERR_TYPE, "Int has no method `keys` [NC_NCS_ERR_TYPE]");
	nt_expect_error(M("[1].keys()"), NC_NCS_ERR_TYPE, "Array has no method `keys`");
	nt_expect_error(M("let m = map::new(); m.push(1)"), NC_NCS_ERR_RESOLVE, "`push` changes `m`, which is not `let mut`");
	nt_expect_error(M("let m = map::new(); m.insert(1, 2)"), NC_NCS_ERR_RESOLVE,
		    "`insert` changes `m`, which is not `let mut`");
	nt_expect_error(M("let mut m = map::new(); m.push(1)"), NC_NCS_ERR_TYPE, "Map has no method `push`");
	nt_expect_error(M("let m = map::new(); m.get(1, 2, 3)"), NC_NCS_ERR_ARGS, "wrong number of arguments to `get`");
	nt_expect_error(M("map::new(1)"), NC_NCS_ERR_ARGS, "`map::new` takes 0 to 0 arguments, 1 given");
	/* mutating builtins only as methods: the function form would change a copy */
	nt_expect_error(M("let mut m = map::new();\nmap::insert(m, 1, 2); m"), NC_NCS_ERR_RESOLVE,
			"test.ncs:2:1: error: `map::insert` changes its receiver: call it as a method (`x.insert(...)` on a `let mut` x)");
	nt_expect_error(M("let mut a = [1]; array::push(a, 2); a"), NC_NCS_ERR_RESOLVE,
			"`array::push` changes its receiver: call it as a method (`x.push(...)` on a `let mut` x)");
	nt_expect_error(M("map::new() < map::new()"), NC_NCS_ERR_TYPE, "cannot compare Map < Map");
	nt_expect_error(M("let mut xs = [map::new(), map::new()]; xs.sort(); xs"), NC_NCS_ERR_TYPE,
		    "sort: Map values have no order");
	nt_expect_error(M("map::new() + map::new()"), NC_NCS_ERR_TYPE, "cannot apply + to Map and Map");
	nt_expect_error(M("let mut m = map::new(); m[0] = 1; m[0][1] = 2"), NC_NCS_ERR_TYPE,
		    "cannot assign into an element of Int");
}

/* A bigger table: 1000 inserts, every lookup, half removed, then reinserted. */
NT_CASE(ncs_map, thousand_entries,
	M("let mut m = map::new(); for i in 0..1000 { m.insert(i, i * i); }\n"
	  "let mut ok = true; for i in 0..1000 { ok = ok && m[i] == i * i; }\n"
	  "for i in 0..500 { m.remove(2 * i); }\n"
	  "let odd = m.keys().sum(); let first = m.keys()[0];\n"
	  "for i in 0..500 { m.insert(2 * i, 0); }\n"
	  "(ok, odd, first, m.len(), m.keys()[500], m.get(999))"),
	/* odd keys 1..999 sum to 500^2; the re-inserted even keys follow the odd ones */
	"(true, 250000, 1, 1000, 0, Some(998001))")
NT_CASE(ncs_map, string_keys_word_count,
	M("let mut c = map::new();\n"
	  "for w in \"the cat and the hat and the bat\".split(\" \") { c[w] = c.get_or(w, 0) + 1; }\n"
	  "c"),
	"{\"the\": 3, \"cat\": 1, \"and\": 2, \"hat\": 1, \"bat\": 1}")

/* Removing and re-inserting forever does not grow the table: the peak is the
 * same for 10 and for 10000 rounds. */
NC_TEST(ncs_map, churn_does_not_grow)
{
	nt_reset();
	NC_CHECK_EQ(nt_run(M("let mut m = map::new(); for i in 0..10 { m.insert(i, i); m.remove(i); } m.len()")), NC_NCS_OK);
	uint64_t small = nt_result.peak_alloc_bytes;
	NC_CHECK_EQ(nt_run(M("let mut m = map::new(); for i in 0..10000 { m.insert(i, i); m.remove(i); } m.len()")),
		    NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "0");
	NC_CHECK_EQ(nt_result.peak_alloc_bytes, small);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

static nc_ncs_err_t run_inserts(const int64_t *keys, uint32_t n, char *src, size_t cap)
{
	size_t len = nc_fmt_format(src, cap, "fn main() { let mut m = map::new();");
	for (uint32_t i = 0; i < n; i++)
		len += nc_fmt_format(src + len, cap - len, " m.insert(%lld, 0);", (long long)keys[i]);
	nc_fmt_format(src + len, cap - len, " m.len() }");
	return nt_run(src);
}

/* Int keys hash to themselves and a key's first slot is its hash modulo
 * (slots - 1); tables of up to 64 entries have 8, 16, 32, 64 or 128 slots.
 * Keys 5 + j * L, L = lcm(7, 15, 31, 63, 127), share their first slot at every
 * size, so with linear probing the j-th passes the j keys before it (one step
 * each); the consecutive keys 300.. never collide. The flood costs exactly
 * k(k-1)/2 steps more, and the same program costs the same every run. */
NC_TEST(ncs_map, colliding_keys_are_charged)
{
	enum { K = 64 };
	static char src[4096];
	int64_t same[K], spread[K];
	for (int64_t i = 0; i < K; i++) {
		same[i] = 5 + i * 1240155;
		spread[i] = 300 + i;
	}
	nt_reset();
	NC_CHECK_EQ(run_inserts(spread, K, src, sizeof src), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "64");
	uint64_t base = nt_result.steps;
	NC_CHECK_EQ(run_inserts(same, K, src, sizeof src), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "64");
	uint64_t flood = nt_result.steps;
	NC_CHECK_EQ(flood - base, (uint64_t)K * (K - 1) / 2);
	NC_CHECK_EQ(run_inserts(same, K, src, sizeof src), NC_NCS_OK);
	NC_CHECK_EQ(nt_result.steps, flood);
	/* the step limit stops the flood: one step short fails */
	nt_cfg.limits.max_steps = flood - 1;
	NC_CHECK_EQ(run_inserts(same, K, src, sizeof src), NC_NCS_ERR_LIMIT_STEPS);
	nt_cfg.limits.max_steps = flood;
	NC_CHECK_EQ(run_inserts(same, K, src, sizeof src), NC_NCS_OK);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

/* A map emptied by remove keeps its entry slots until it grows again: walking
 * it is charged per slot, so 500 walks over 1 live entry and 1999 removed ones
 * cost about 1M steps, not 500 loop rounds. */
NC_TEST(ncs_map, hollow_map_walks_are_charged)
{
	const char *hollow = M("let mut m = map::new(); for i in 0..2000 { m[i] = i; } for i in 0..1999 { m.remove(i); }\n"
			       "let mut n = 0; for r in 0..500 { for (k, v) in m { n += 1; } } n");
	const char *keys = M("let mut m = map::new(); for i in 0..2000 { m[i] = i; } for i in 0..1999 { m.remove(i); }\n"
			     "let mut n = 0; for r in 0..500 { n += m.keys().len(); } n");
	nt_reset();
	NC_CHECK_EQ(nt_run(hollow), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "500");
	NC_CHECK(nt_result.steps > 1999 * 500);
	NC_CHECK_EQ(nt_run(keys), NC_NCS_OK);
	NC_CHECK(nt_result.steps > 2000 * 500);
	nt_cfg.limits.max_steps = 200000;
	NC_CHECK_EQ(nt_run(hollow), NC_NCS_ERR_LIMIT_STEPS);
	NC_CHECK_EQ(nt_run(keys), NC_NCS_ERR_LIMIT_STEPS);
	/* the same walks over a map that only ever held the one entry fit easily */
	NC_CHECK_EQ(nt_run(M("let mut m = map::new(); m[1999] = 1999;\n"
			     "let mut n = 0; for r in 0..500 { for (k, v) in m { n += 1; } } n")), NC_NCS_OK);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

/* Copy-on-write copies are charged one step per entry. */
NC_TEST(ncs_map, copy_is_charged)
{
	nt_reset();
	NC_CHECK_EQ(nt_run(M("let mut m = map::new(); for i in 0..100 { m[i] = i; } let k = m; m.clear(); 0")), NC_NCS_OK);
	uint64_t with_copy = nt_result.steps;
	NC_CHECK_EQ(nt_run(M("let mut m = map::new(); for i in 0..100 { m[i] = i; } let k = 0; m.clear(); 0")), NC_NCS_OK);
	NC_CHECK_EQ(with_copy - nt_result.steps, 100);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_map, memory_limit)
{
	nt_reset();
	nt_cfg.limits.max_alloc_bytes = 100000;
	NC_CHECK_EQ(nt_run(M("let mut m = map::new(); let mut i = 0; loop { m.insert(i, i); i += 1; }")),
		    NC_NCS_ERR_LIMIT_ALLOC);
	NC_CHECK(nt_result.peak_alloc_bytes <= 100000);
	NC_CHECK(nt_contains(nt_result.message, "[NC_NCS_ERR_LIMIT_ALLOC]"));
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
	NC_CHECK_EQ(nt_run(M("let mut m = map::new(); let mut i = 0; loop { m[\"k\" + (i as String)] = [i]; i += 1; }")),
		    NC_NCS_ERR_LIMIT_ALLOC);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
	/* copies count too */
	NC_CHECK_EQ(nt_run(M("let mut m = map::new(); for i in 0..1000 { m[i] = i; } let mut keep = [];\n"
			     "loop { keep.push(m); m[0] += 1; }")),
		    NC_NCS_ERR_LIMIT_ALLOC);
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_map, value_depth_limit)
{
	nt_reset();
	NC_CHECK_EQ(nt_run(M("let mut m = map::new(); loop { let mut n = map::new(); n[0] = m; m = n; }")),
		    NC_NCS_ERR_LIMIT_VALUE_DEPTH);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

/* Every step limit from 1 to what the program needs: LIMIT_STEPS or the right
 * answer, never a leak (a limit can hit between a table change and its charge). */
NC_TEST(ncs_map, every_step_limit)
{
	const char *src = M("let mut m = map::from([(\"a\", [1]), (\"b\", [2])]);\n"
			    "m.insert(\"a\", [3]); m[\"b\"] = [4]; let r = m.remove(\"a\"); let s = m.remove(\"b\");\n"
			    "m[(1, \"x\")] = \"y\"; let t = m.get((1, \"x\")); let mut n = 0; for (k, v) in m { n += 1; }\n"
			    "(r, s, t, n, m.keys())");
	nt_reset();
	NC_CHECK_EQ(nt_run(src), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "(Some([3]), Some([4]), Some(\"y\"), 1, [(1, \"x\")])");
	uint64_t need = nt_result.steps;
	for (uint64_t lim = 1; lim <= need; lim++) {
		nt_cfg.limits.max_steps = lim;
		NC_CHECK_EQ(nt_run(src), lim == need ? NC_NCS_OK : NC_NCS_ERR_LIMIT_STEPS);
		nt_release();
		NC_CHECK_EQ(nt_live_bytes(), 0);
	}
	nt_reset();
}

/* Every memory limit below what the program needs (in 8-byte steps) is
 * LIMIT_ALLOC without a leak; exactly the peak is enough. */
NC_TEST(ncs_map, every_alloc_limit)
{
	const char *src = M("let mut m = map::from([(\"a\", [1]), ((2, \"b\"), [2])]);\n"
			    "for i in 0..12 { m[i] = [i]; } m.insert(\"a\", [3]); let c = m; m.remove(3); m[[5]] = \"z\";\n"
			    "let mut n = 0; for (k, v) in c { n += 1; } (n, m.len(), m.get(11), m[[5]])");
	nt_reset();
	NC_CHECK_EQ(nt_run(src), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "(14, 14, Some([11]), \"z\")");
	uint64_t peak = nt_result.peak_alloc_bytes;
	for (uint64_t lim = 8; lim < peak; lim += 8) {
		nt_cfg.limits.max_alloc_bytes = lim;
		NC_CHECK_EQ(nt_run(src), NC_NCS_ERR_LIMIT_ALLOC);
		nt_release();
		NC_CHECK_EQ(nt_live_bytes(), 0);
	}
	nt_cfg.limits.max_alloc_bytes = peak; /* exactly the peak is enough */
	NC_CHECK_EQ(nt_run(src), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "(14, 14, Some([11]), \"z\")");
	nt_reset();
}

/* Every allocation failing in turn: NOMEM or the right answer, never a leak. */
NC_TEST(ncs_map, allocation_failure)
{
	const char *src = M("let mut m = map::from([(\"a\", [1]), (\"b\", [2])]);\n"
			    "for i in 0..6 { m[i] = i; } m.remove(\"a\"); let c = m; m[\"b\"].push(3);\n"
			    "let mut s = 0; for (k, v) in c { s += 1; } (m[\"b\"], s, m.keys().len(), m.get(5))");
	uint32_t oks = 0;
	for (uint64_t n = 1; n < 200; n++) {
		nt_reset();
		nt_fail_alloc_at(n);
		nc_ncs_err_t e = nt_run(src);
		NC_CHECK(e == NC_NCS_OK || e == NC_NCS_ERR_NOMEM);
		if (e == NC_NCS_OK) {
			NC_CHECK_STR(nt_result.value, "([2, 3], 7, 7, Some(5))");
			oks++;
		}
		nt_fail_alloc_at(0);
		nt_release();
		NC_CHECK_EQ(nt_live_bytes(), 0);
	}
	NC_CHECK(oks > 0 && oks < 199); /* both outcomes were reached */
	nt_reset();
}
