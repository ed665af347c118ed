/* lib/base memory and string primitives. */
#include "nc_test.h"
#include <nc/mem.h>

NC_TEST(base_mem, copy_and_compare)
{
	char a[8] = "abcdefg", b[8] = { 0 };
	NC_CHECK(nc_mem_copy(b, a, 8) == b);
	NC_CHECK_EQ(nc_mem_compare(a, b, 8), 0);
	b[3] = 'z';
	NC_CHECK(nc_mem_compare(a, b, 8) < 0);
	NC_CHECK(nc_mem_compare(b, a, 8) > 0);
	NC_CHECK_EQ(nc_mem_compare(a, b, 3), 0);
}

NC_TEST(base_mem, move_overlapping_forward_and_back)
{
	char s[11] = "0123456789";
	nc_mem_move(s + 2, s, 5);
	NC_CHECK_STR(s, "0101234789");
	char t[11] = "0123456789";
	nc_mem_move(t, t + 3, 5);
	NC_CHECK_STR(t, "3456756789");
}

NC_TEST(base_mem, set_and_wipe)
{
	unsigned char buf[5];
	nc_mem_set(buf, 0xab, sizeof buf);
	for (int i = 0; i < 5; i++)
		NC_CHECK_EQ(buf[i], 0xab);
	nc_mem_wipe(buf, 4);
	NC_CHECK_EQ(buf[3], 0);
	NC_CHECK_EQ(buf[4], 0xab);
}

NC_TEST(base_mem, equal_ct)
{
	NC_CHECK(nc_mem_equal_ct("abc", "abc", 3));
	NC_CHECK(!nc_mem_equal_ct("abc", "abd", 3));
	NC_CHECK(nc_mem_equal_ct("x", "y", 0));
}

NC_TEST(base_str, len_compare_prefix)
{
	NC_CHECK_EQ(nc_str_len(""), 0);
	NC_CHECK_EQ(nc_str_len("hello"), 5);
	NC_CHECK_EQ(nc_str_len_max("hello", 3), 3);
	NC_CHECK_EQ(nc_str_len_max("hi", 30), 2);
	NC_CHECK(nc_str_compare("abc", "abd") < 0);
	NC_CHECK(nc_str_compare("abc", "ab") > 0);
	NC_CHECK_EQ(nc_str_compare("same", "same"), 0);
	NC_CHECK(nc_str_starts_with("/etc/nexacore", "/etc"));
	NC_CHECK(!nc_str_starts_with("/et", "/etc"));
}
