/* lib/cap grammar: actions, key ids, access checks. */
#include "nc_test.h"
#include "cap_test_util.h"
#include <nc/mem.h>

#define S(x) x, (sizeof(x) - 1)

NC_TEST(cap, err_names)
{
	NC_CHECK_STR(nc_cap_err_name(NC_CAP_OK), "NC_CAP_OK");
	NC_CHECK_STR(nc_cap_err_name(NC_CAP_ERR_WIDENED), "NC_CAP_ERR_WIDENED");
	NC_CHECK_STR(nc_cap_err_name(NC_CAP_ERR_SIGNER), "NC_CAP_ERR_SIGNER");
	NC_CHECK_STR(nc_cap_err_name((nc_cap_err_t)1000), "NC_CAP_ERR_UNKNOWN");
}

NC_TEST(cap, action_covers)
{
	NC_CHECK(nc_cap_action_covers(S("fs.read"), S("fs.read")));
	NC_CHECK(nc_cap_action_covers(S("fs"), S("fs.read")));
	NC_CHECK(nc_cap_action_covers(S("fs"), S("fs.read.meta")));
	NC_CHECK(!nc_cap_action_covers(S("fs.read"), S("fs")));
	NC_CHECK(!nc_cap_action_covers(S("fs"), S("fsx.read")));
	NC_CHECK(!nc_cap_action_covers(S("fs.read"), S("fs.write")));
	NC_CHECK(!nc_cap_action_covers(S("fs.read"), S("fs.readx")));
	NC_CHECK(nc_cap_action_covers(S("net.connect"), S("net.connect")));
	NC_CHECK(nc_cap_action_covers(S("driver.mmio"), S("driver.mmio")));
	NC_CHECK(nc_cap_action_covers(S("ai_2.in-voke"), S("ai_2.in-voke")));
}

NC_TEST(cap, action_syntax)
{
	NC_CHECK(!nc_cap_action_covers(S("FS"), S("FS")));
	NC_CHECK(!nc_cap_action_covers(S("fs..read"), S("fs..read")));
	NC_CHECK(!nc_cap_action_covers(S(".fs"), S(".fs")));
	NC_CHECK(!nc_cap_action_covers(S("fs."), S("fs.")));
	NC_CHECK(!nc_cap_action_covers("", 0, "", 0));
	NC_CHECK(!nc_cap_action_covers(S("fs read"), S("fs read")));
	NC_CHECK(!nc_cap_action_covers(S("fs"), S("fs.")));
	char long_action[NC_CAP_MAX_ACTION_BYTES + 1];
	nc_mem_set(long_action, 'a', sizeof long_action);
	NC_CHECK(nc_cap_action_covers(long_action, NC_CAP_MAX_ACTION_BYTES, long_action, NC_CAP_MAX_ACTION_BYTES));
	NC_CHECK(!nc_cap_action_covers(long_action, sizeof long_action, long_action, sizeof long_action));
}

/* Oracle: b3sum --derive-key "NexaCore 2026-11 capability issuer key id" --length 16
 * over the mock root key of tests/lib/tee/tee_test.c. */
NC_TEST(cap, key_id_matches_b3sum)
{
	static const uint8_t pk[32] = { 0x5a, 0x36, 0x37, 0xa0, 0xd5, 0x54, 0x4d, 0x31, 0xe4, 0xd9, 0x74,
					0x66, 0xb5, 0x3e, 0x73, 0x2b, 0xdd, 0xe7, 0xc7, 0x00, 0x59, 0x42,
					0x6a, 0x56, 0x2a, 0xf5, 0x83, 0x96, 0x98, 0xad, 0x64, 0x4d };
	static const uint8_t want[16] = { 0xb2, 0x15, 0xb5, 0x0c, 0x0d, 0xb8, 0x8b, 0x01,
					  0xd8, 0xb1, 0xed, 0x38, 0x90, 0xaf, 0xbf, 0x63 };
	uint8_t id[16];
	nc_cap_key_id(id, pk);
	NC_CHECK(nc_mem_compare(id, want, 16) == 0);
}

NC_TEST(cap, check_access)
{
	nc_cap_grant_t g = cap_grant("fs.read", "/etc/nexacore", T0, T0 + 60);
	NC_CHECK_EQ(nc_cap_check(&g, S("fs.read"), S("/etc/nexacore/notes/a.txt")), NC_CAP_OK);
	NC_CHECK_EQ(nc_cap_check(&g, S("fs.read.meta"), S("/etc/nexacore")), NC_CAP_OK);
	NC_CHECK_EQ(nc_cap_check(&g, S("fs.write"), S("/etc/nexacore/a")), NC_CAP_ERR_DENIED);
	NC_CHECK_EQ(nc_cap_check(&g, S("fs.read"), S("/etc/nexacore2")), NC_CAP_ERR_DENIED);
	NC_CHECK_EQ(nc_cap_check(&g, S("fs.read"), S("/etc/nexacore/../passwd")), NC_CAP_ERR_DENIED);
	nc_cap_grant_t n = cap_grant("net.connect", "example.org:443", T0, T0 + 60);
	NC_CHECK_EQ(nc_cap_check(&n, S("net.connect"), S("example.org:443")), NC_CAP_OK);
	NC_CHECK_EQ(nc_cap_check(&n, S("net.connect"), S("example.org:80")), NC_CAP_ERR_DENIED);
}
