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

/* Every length 0..40 at every source and destination offset 0..7 (the word steps and the byte
 * tail): exactly the bytes asked for change, to exactly the source's (checked byte by byte
 * against the index pattern, not against another copy routine). */
NC_TEST(base_mem, copy_and_set_every_length_and_alignment)
{
	enum { MAX = 40, SLACK = 8, SIZE = MAX + 2 * SLACK };
	unsigned char src[SIZE], dst[SIZE];
	for (size_t i = 0; i < SIZE; i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (size_t so = 0; so < 8; so++)
		for (size_t d_off = 0; d_off < 8; d_off++)
			for (size_t n = 0; n <= MAX; n++) {
				for (size_t i = 0; i < SIZE; i++)
					dst[i] = 0xee;
				NC_CHECK(nc_mem_copy(dst + d_off, src + so, n) == dst + d_off);
				for (size_t i = 0; i < SIZE; i++) {
					bool inside = i >= d_off && i < d_off + n;
					NC_CHECK_EQ(dst[i], inside ? src[so + i - d_off] : 0xee);
				}
				NC_CHECK(nc_mem_set(dst + so, 0x5a + (int)n, n) == dst + so);
				for (size_t i = so; i < so + n; i++)
					NC_CHECK_EQ(dst[i], (unsigned char)(0x5a + n));
				NC_CHECK_EQ(dst[so + n], so + n >= d_off && so + n < d_off + n ? src[so + (so + n) - d_off]
												  : 0xee);
			}
	unsigned char big[4096 + 3];
	nc_mem_set(big, 0x100 + 0x42, sizeof big); /* only the low byte counts */
	for (size_t i = 0; i < sizeof big; i++)
		NC_CHECK_EQ(big[i], 0x42);
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
