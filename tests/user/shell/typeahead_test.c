/* The type-ahead queue (user/shell/typeahead.c): order, wrap-around, overflow,
 * peek and discard. */
#include "nc_test.h"
#include "shell.h"

NC_TEST(shell_typeahead, keeps_order_across_wrap)
{
	static shell_typeahead_t t;
	uint8_t b;
	NC_CHECK(!shell_typeahead_pop(&t, &b));
	/* walk the head most of the way round so the next pushes wrap */
	for (int i = 0; i < SHELL_TYPEAHEAD_BYTES - 3; i++) {
		shell_typeahead_push(&t, 'x');
		NC_CHECK(shell_typeahead_pop(&t, &b));
	}
	const char *typed = "echo one\r";
	for (const char *c = typed; *c; c++)
		shell_typeahead_push(&t, (uint8_t)*c);
	for (const char *c = typed; *c; c++) {
		NC_CHECK(shell_typeahead_pop(&t, &b));
		NC_CHECK_EQ(b, (uint8_t)*c);
	}
	NC_CHECK(!shell_typeahead_pop(&t, &b));
	NC_CHECK_EQ(t.n_dropped, 0u);
}

NC_TEST(shell_typeahead, drops_and_counts_beyond_capacity)
{
	static shell_typeahead_t t;
	for (int i = 0; i < SHELL_TYPEAHEAD_BYTES + 5; i++)
		shell_typeahead_push(&t, (uint8_t)(i % 251));
	NC_CHECK_EQ(t.n_dropped, 5u);
	uint8_t b;
	for (int i = 0; i < SHELL_TYPEAHEAD_BYTES; i++) {
		NC_CHECK(shell_typeahead_pop(&t, &b));
		NC_CHECK_EQ(b, (uint8_t)(i % 251)); /* the oldest kept, the newest dropped */
	}
	NC_CHECK(!shell_typeahead_pop(&t, &b));
}

NC_TEST(shell_typeahead, peek_leaves_and_discard_takes_across_wrap)
{
	static shell_typeahead_t t;
	uint8_t b, out[8];
	for (int i = 0; i < SHELL_TYPEAHEAD_BYTES - 2; i++) { /* head two bytes before the end */
		shell_typeahead_push(&t, 'x');
		NC_CHECK(shell_typeahead_pop(&t, &b));
	}
	for (const char *c = "abcde"; *c; c++)
		shell_typeahead_push(&t, (uint8_t)*c);
	NC_CHECK_EQ(shell_typeahead_peek(&t, out, 3), 3u);
	NC_CHECK(out[0] == 'a' && out[1] == 'b' && out[2] == 'c');
	NC_CHECK_EQ(shell_typeahead_peek(&t, out, sizeof out), 5u); /* nothing was taken */
	NC_CHECK(out[3] == 'd' && out[4] == 'e');
	shell_typeahead_discard(&t, 3);
	NC_CHECK(shell_typeahead_pop(&t, &b) && b == 'd');
	shell_typeahead_discard(&t, 10); /* more than there is: empties it */
	NC_CHECK_EQ(shell_typeahead_peek(&t, out, sizeof out), 0u);
	NC_CHECK(!shell_typeahead_pop(&t, &b));
}
