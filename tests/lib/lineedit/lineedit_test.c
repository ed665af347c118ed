/* lib/lineedit: key sequences as a VT100/xterm terminal sends them, and the
 * line, events and history they must produce. */
#include "nc_test.h"
#include "nc_test_screen.h"
#include <nc/lineedit.h>
#include <nc/mem.h>

static nc_le_t le;

static void setup(void)
{
	nc_test_screen_clear();
	nc_le_init(&le, nc_test_screen_write, NULL, "nc> ");
}

/* Feed every byte of keys; return the last event that was not NC_LE_NONE. */
static nc_le_event_t type(const char *keys)
{
	nc_le_event_t last = NC_LE_NONE;
	for (; *keys; keys++) {
		nc_le_event_t ev = nc_le_feed(&le, (uint8_t)*keys);
		if (ev != NC_LE_NONE)
			last = ev;
	}
	return last;
}

NC_TEST(lineedit, prompt_and_plain_line)
{
	setup();
	NC_CHECK_STR(nc_test_screen, "nc> ");
	NC_CHECK_EQ(type("ls -l\r"), NC_LE_LINE);
	NC_CHECK_STR(nc_le_line(&le), "ls -l");
	NC_CHECK(nc_test_screen_has("nc> ls -l\x1b[K"));
}

NC_TEST(lineedit, crlf_is_one_line_and_lf_alone_ends_a_line)
{
	setup();
	NC_CHECK_EQ(type("a\r"), NC_LE_LINE);
	nc_le_start(&le);
	NC_CHECK_EQ(type("\n"), NC_LE_NONE); /* the LF of CR LF */
	NC_CHECK_EQ(type("b\n"), NC_LE_LINE);
	NC_CHECK_STR(nc_le_line(&le), "b");
}

NC_TEST(lineedit, cursor_movement_and_insert)
{
	setup();
	/* "helo", Left, insert "l", Home, insert ">", End, "!" */
	NC_CHECK_EQ(type("helo\x1b[Dl\x1b[H>\x1b[F!\r"), NC_LE_LINE);
	NC_CHECK_STR(nc_le_line(&le), ">hello!");
	setup();
	NC_CHECK_EQ(type("abc\x02\x02X\x05Y\x01Z\r"), NC_LE_LINE); /* Ctrl-B, Ctrl-E, Ctrl-A */
	NC_CHECK_STR(nc_le_line(&le), "ZaXbcY");
}

NC_TEST(lineedit, backspace_delete_and_kill)
{
	setup();
	NC_CHECK_EQ(type("abcd\x7f\x08x\r"), NC_LE_LINE);
	NC_CHECK_STR(nc_le_line(&le), "abx");
	setup();
	NC_CHECK_EQ(type("abcd\x1b[D\x1b[D\x1b[3~\r"), NC_LE_LINE); /* Delete under the cursor */
	NC_CHECK_STR(nc_le_line(&le), "abd");
	setup();
	NC_CHECK_EQ(type("hello world\x1b[D\x1b[D\x0b\r"), NC_LE_LINE); /* Ctrl-K */
	NC_CHECK_STR(nc_le_line(&le), "hello wor");
	setup();
	NC_CHECK_EQ(type("hello world\x01\x1b[C\x1b[C\x15\r"), NC_LE_LINE); /* Ctrl-U */
	NC_CHECK_STR(nc_le_line(&le), "llo world");
}

NC_TEST(lineedit, utf8_code_points_move_and_delete_whole)
{
	setup();
	/* "h\xc3\xa9llo" = "héllo"; Left x4 lands after 'h'... then Right over the é, Backspace removes it */
	NC_CHECK_EQ(type("h\xc3\xa9llo\x1b[D\x1b[D\x1b[D\x7f\r"), NC_LE_LINE);
	NC_CHECK_STR(nc_le_line(&le), "hllo");
	setup();
	type("\xc3\xa9\xc3\xa9");
	type("\x1b[D");
	NC_CHECK(nc_test_screen_has("\x1b[1D"));
}

NC_TEST(lineedit, ctrl_c_cancels_ctrl_d_ends_input)
{
	setup();
	NC_CHECK_EQ(type("rm -rf\x03"), NC_LE_CANCEL);
	NC_CHECK(nc_test_screen_has("^C"));
	nc_le_start(&le);
	NC_CHECK_EQ(type("ab\x01\x04\r"), NC_LE_LINE); /* Ctrl-D mid-line deletes */
	NC_CHECK_STR(nc_le_line(&le), "b");
	nc_le_start(&le);
	NC_CHECK_EQ(type("\x04"), NC_LE_EOF);
}

NC_TEST(lineedit, history_up_down_keeps_draft)
{
	setup();
	type("first\r");
	nc_le_start(&le);
	type("second\r");
	nc_le_start(&le);
	type("second\r"); /* a repeat is stored once */
	nc_le_start(&le);
	type("\r"); /* empty lines are not stored */
	nc_le_start(&le);
	NC_CHECK_STR(nc_le_history(&le, 1), "second");
	NC_CHECK_STR(nc_le_history(&le, 2), "first");
	NC_CHECK(nc_le_history(&le, 3) == NULL);
	type("dra");
	type("\x1b[A\x1b[A\x1b[A"); /* past the oldest stays on it */
	NC_CHECK_STR(nc_le_line(&le), "first");
	type("\x1b[B");
	NC_CHECK_STR(nc_le_line(&le), "second");
	type("\x1b[B");
	NC_CHECK_STR(nc_le_line(&le), "dra");
	NC_CHECK_EQ(type("\x10!\r"), NC_LE_LINE); /* Ctrl-P then edit */
	NC_CHECK_STR(nc_le_line(&le), "second!");
}

NC_TEST(lineedit, history_drops_oldest_past_capacity)
{
	setup();
	for (int i = 0; i < NC_LE_HISTORY + 5; i++) {
		char cmd[8] = { 'c', (char)('0' + i / 10), (char)('0' + i % 10), '\r', 0 };
		type(cmd);
		nc_le_start(&le);
	}
	NC_CHECK_STR(nc_le_history(&le, 1), "c36");
	NC_CHECK_STR(nc_le_history(&le, NC_LE_HISTORY), "c05");
	NC_CHECK(nc_le_history(&le, NC_LE_HISTORY + 1) == NULL);
}

static const char *const commands[] = { "help", "history", "kill", "ls", "ps" };

static size_t complete_commands(void *ctx, const char *word, size_t n, const char **out, size_t max)
{
	(void)ctx;
	size_t k = 0;
	for (size_t i = 0; i < sizeof commands / sizeof *commands && k < max; i++)
		if (nc_str_len(commands[i]) >= n && nc_mem_compare(commands[i], word, n) == 0)
			out[k++] = commands[i];
	return k;
}

NC_TEST(lineedit, tab_completes_unique_extends_common_lists_many)
{
	setup();
	nc_le_set_completer(&le, complete_commands, NULL);
	NC_CHECK_EQ(type("k\t\r"), NC_LE_LINE);
	NC_CHECK_STR(nc_le_line(&le), "kill ");
	nc_le_start(&le);
	type("h\t"); /* help, history: common prefix is just "h" -> list */
	NC_CHECK(nc_test_screen_has("help  history\r\n"));
	NC_CHECK_EQ(type("i\t\r"), NC_LE_LINE);
	NC_CHECK_STR(nc_le_line(&le), "history ");
	nc_le_start(&le);
	nc_test_screen_clear();
	type("z\t");
	NC_CHECK(nc_test_screen_has("\a"));
}

NC_TEST(lineedit, overlong_input_is_refused_with_bell)
{
	setup();
	for (int i = 0; i < NC_LE_LINE_MAX - 1; i++)
		nc_le_feed(&le, 'x');
	nc_test_screen_clear();
	NC_CHECK(!nc_test_screen_has("\a"));
	nc_le_feed(&le, 'y');
	NC_CHECK_STR(nc_test_screen, "\a");
	NC_CHECK_EQ(type("\r"), NC_LE_LINE);
	NC_CHECK_EQ(nc_str_len(nc_le_line(&le)), NC_LE_LINE_MAX - 1);
}

NC_TEST(lineedit, unknown_escapes_and_controls_are_ignored)
{
	setup();
	NC_CHECK_EQ(type("a\x1b[99~\x1bOPb\x07\x1b[1;5Cc\r"), NC_LE_LINE);
	NC_CHECK_STR(nc_le_line(&le), "abc");
}
