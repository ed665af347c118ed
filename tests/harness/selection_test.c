/* The harness's own selection rule (nc_test_matches_any): the comma-separated
 * prefix lists of usertests' only:/skip:, aitests' and libtests' arguments
 * and nc_test_run_all's prefix. */
#include "nc_test.h"

NC_TEST(harness, prefix_lists_select_by_prefix)
{
	NC_CHECK(nc_test_matches_any("ipc.call", "ipc"));
	NC_CHECK(nc_test_matches_any("ipc_short.call", "ipc"));
	NC_CHECK(nc_test_matches_any("drivers.dmatest", "sched.fairness,drivers.,blk."));
	NC_CHECK(nc_test_matches_any("blk.random", "sched.fairness,drivers.,blk."));
	NC_CHECK(nc_test_matches_any("sched.fairness", "sched.fairness,drivers."));
	NC_CHECK(!nc_test_matches_any("sched.fair", "sched.fairness"));
	NC_CHECK(!nc_test_matches_any("disk.seed", "sched.fairness,drivers.,blk."));
	NC_CHECK(!nc_test_matches_any("net.x", "netq.,netns."));
}

NC_TEST(harness, empty_entries_and_lists_match_nothing)
{
	NC_CHECK(!nc_test_matches_any("ipc.call", NULL));
	NC_CHECK(!nc_test_matches_any("ipc.call", ""));
	NC_CHECK(!nc_test_matches_any("ipc.call", ",,"));
	NC_CHECK(nc_test_matches_any("ipc.call", ",ipc,"));
	NC_CHECK(!nc_test_matches_any("", "ipc"));
}
