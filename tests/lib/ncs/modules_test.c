/* Modules: `use a::b;` through a host loader, pub exports, dependency order,
 * cycles rejected before execution with the cycle named. */
#include "ncs_test_support.h"
#include <nc/mem.h>

static const nt_module_t files[] = {
	{ "geo", "pub struct Pt { x: Int, y: Int }\npub fn origin() { Pt { x: 0, y: 0 } }\n"
		 "pub fn add(a, b) { Pt { x: a.x + b.x, y: a.y + b.y } }\nfn secret() { 1 }\n"
		 "pub enum Dir { N, S(Int) }\n" },
	{ "util::text", "pub fn shout(s) { string::upper(s) + \"!\" }\n" },
	{ "a", "use b::fb;\npub fn fa() { fb() + 1 }\n" },
	{ "b", "use c::fc;\npub fn fb() { fc() + 1 }\n" },
	{ "c", "use a::fa;\npub fn fc() { 1 }\n" },
	{ "bad", "pub fn f( { }\n" },
	{ "lib1", "use lib2::two;\npub fn one() { 1 }\npub fn three() { two() + one() }\n" },
	{ "lib2", "pub fn two() { print(\"lib2 runs\"); 2 }\n" },
	{ "accmod", "pub struct Acc { total: Int }\nimpl Acc {\n pub fn new() { Acc { total: 0 } }\n"
		    " fn add(&mut self, v: Int) { self.total += v; }\n fn total(&self) { self.total }\n"
		    " fn hidden() { 1 }\n}\n" },
	{ NULL, NULL },
};

static void setup(void)
{
	nt_reset();
	nt_cfg.load = nt_load_module;
	nt_cfg.load_ud = (void *)files;
}

NC_TEST(ncs_mod, import_fn_and_struct)
{
	setup();
	NC_CHECK_EQ(nt_run("use geo::{Pt, add, origin};\nfn main() { let p = add(origin(), Pt { x: 2, y: 3 }); p.x * 10 + p.y }"),
		    NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "23");
	nt_reset();
}

NC_TEST(ncs_mod, nested_module_path)
{
	setup();
	NC_CHECK_EQ(nt_run("use util::text::shout;\nfn main() { shout(\"hi\") }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"HI!\"");
	nt_reset();
}

NC_TEST(ncs_mod, imported_enum)
{
	setup();
	NC_CHECK_EQ(nt_run("use geo::Dir;\nfn main() { match Dir::S(4) { Dir::N => 0, Dir::S(n) => n } }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "4");
	nt_reset();
}

NC_TEST(ncs_mod, private_symbol_rejected)
{
	setup();
	NC_CHECK_EQ(nt_run("use geo::secret;\nfn main() { secret() }"), NC_NCS_ERR_MODULE);
	NC_CHECK(nt_contains(nt_result.message, "`secret` is private to module `geo`"));
	NC_CHECK_EQ(nt_run("use geo::nothing;\nfn main() { 1 }"), NC_NCS_ERR_MODULE);
	nt_reset();
}

NC_TEST(ncs_mod, not_imported_is_unknown)
{
	setup();
	NC_CHECK_EQ(nt_run("use geo::origin;\nfn main() { add(origin(), origin()) }"), NC_NCS_ERR_RESOLVE);
	nt_reset();
}

NC_TEST(ncs_mod, missing_module)
{
	setup();
	NC_CHECK_EQ(nt_run("use nowhere::x;\nfn main() { 1 }"), NC_NCS_ERR_MODULE);
	NC_CHECK(nt_contains(nt_result.message, "module `nowhere` not found"));
	nt_reset();
	NC_CHECK_EQ(nt_run("use geo::origin;\nfn main() { 1 }"), NC_NCS_ERR_MODULE); /* no loader */
	nt_reset();
}

NC_TEST(ncs_mod, cycle_named_before_execution)
{
	setup();
	NC_CHECK_EQ(nt_run("use a::fa;\nfn main() { print(\"never\"); fa() }"), NC_NCS_ERR_MODULE_CYCLE);
	NC_CHECK(nt_contains(nt_result.message, "import cycle: a -> b -> c -> a"));
	NC_CHECK(nt_result.output == NULL);
	NC_CHECK_EQ(nt_check("use a::fa;\nfn main() { 1 }"), NC_NCS_ERR_MODULE_CYCLE);
	nt_reset();
}

NC_TEST(ncs_mod, self_import_cycle)
{
	setup();
	NC_CHECK_EQ(nt_run("use c::fc;\nfn main() { fc() }"), NC_NCS_ERR_MODULE_CYCLE);
	NC_CHECK(nt_contains(nt_result.message, "c -> a -> b -> c"));
	nt_reset();
}

NC_TEST(ncs_mod, error_in_module_names_its_file)
{
	setup();
	NC_CHECK_EQ(nt_run("use bad::f;\nfn main() { 1 }"), NC_NCS_ERR_SYNTAX);
	NC_CHECK(nt_contains(nt_result.message, "bad:1:"));
	nt_reset();
}

NC_TEST(ncs_mod, transitive_dependencies)
{
	setup();
	NC_CHECK_EQ(nt_run("use lib1::three;\nfn main() { three() }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "3");
	NC_CHECK_STR(nt_result.output, "lib2 runs\n");
	nt_reset();
}

NC_TEST(ncs_mod, check_only_does_not_run)
{
	setup();
	NC_CHECK_EQ(nt_check("use lib1::three;\nfn main() { print(\"x\"); three() }"), NC_NCS_OK);
	NC_CHECK(nt_result.output == NULL);
	NC_CHECK(nt_result.value == NULL);
	nt_reset();
}

NC_TEST(ncs_mod, imported_struct_methods)
{
	/* methods are found through the value's struct; associated fns need `pub` */
	setup();
	NC_CHECK_EQ(nt_run("use accmod::Acc;\nfn main() { let mut a = Acc::new(); a.add(4); a.add(5); a.total() }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "9");
	NC_CHECK_EQ(nt_run("use accmod::Acc;\nfn main() { Acc::hidden() }"), NC_NCS_ERR_RESOLVE);
	nt_reset();
}
