/* A program of ordered cases with known outcomes, for cases_test.sh: it runs
 * them with nc_test_run_cases under the plan its arguments give (argv[1]:
 * only, argv[2]: skip; "-" for none) and exits with the number of failures. */
#include "nc_test.h"
#include <stdio.h>
#include <string.h>

void nc_test_write(const char *s, size_t len)
{
	fwrite(s, 1, len, stdout);
}

static int ticks;
static uint64_t clock_ns(void) { return (uint64_t)ticks++ * 3000000; }

static bool passes(void) { return true; }
static bool fails_with_message(void) { return NC_FAIL("got %d, want %d", 1, 2); }
static bool fails_a_requirement(void)
{
	int x = 3;
	NC_REQUIRE(x == 4);
	return true;
}
static bool returns_false(void) { return false; }
/* Only the first failure of a case is printed; a recorded failure fails
 * the case even when it returns true. */
static bool fails_twice_then_returns_true(void)
{
	NC_FAIL("first");
	NC_FAIL("second");
	return true;
}

static const nc_test_case_t first[] = {
	{ "a.passes", passes },
	{ "a.fails_with_message", fails_with_message },
	{ NULL, NULL },
};
static const nc_test_case_t second[] = {
	{ "b.fails_a_requirement", fails_a_requirement },
	{ "b.returns_false", returns_false },
	{ "b.fails_twice", fails_twice_then_returns_true },
	{ "c.passes", passes },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	static const nc_test_case_t *const tables[] = { first, second };
	nc_test_plan_t plan = { NULL, NULL, NULL };
	if (argc > 1 && strcmp(argv[1], "-"))
		plan.only = argv[1];
	if (argc > 2 && strcmp(argv[2], "-"))
		plan.skip = argv[2];
	if (argc > 3)
		plan.clock_ns = clock_ns;
	int failed = nc_test_run_cases("probe", tables, 2, &plan);
	/* outside a case a failure prints nothing and returns false */
	return NC_FAIL("not in a case") ? 100 : failed;
}
