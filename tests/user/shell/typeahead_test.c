/* The type-ahead queue (user/shell/typeahead.c): order, wrap-around, overflow. */
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
