/* The shell core on the host: splitting, --grant parsing, dispatch, the core
 * commands, completion, the line-editor wiring, the trailing `&` and the
 * before-prompt hook. */
#include "nc_test.h"
#include "nc_test_screen.h"
#include "shell.h"
#include <nc/fmt.h>
#include <nc/mem.h>
#include <stdio.h>
#include <string.h>

static shell_t sh;

static void setup(void)
{
	nc_test_screen_clear();
	shell_init(&sh, shell_core_cmds, shell_n_core_cmds, nc_test_screen_write, NULL, NULL);
}

static shell_err_t type(const char *keys)
{
	shell_err_t last = SHELL_OK;
	for (; *keys; keys++) {
		shell_err_t e = shell_feed(&sh, (uint8_t)*keys);
		if (e != SHELL_OK)
			last = e;
	}
	return last;
}

NC_TEST(shell_grant, parses_and_normalises)
{
	shell_grant_t g;
	NC_CHECK_EQ(shell_parse_grant("fs.read=/etc/./nexacore//notes/", &g), SHELL_OK);
	NC_CHECK_STR(g.action, "fs.read");
	NC_CHECK_STR(g.scope, "/etc/nexacore/notes");
	NC_CHECK_EQ(shell_parse_grant("ai.invoke=tiny-llama", &g), SHELL_OK);
	NC_CHECK_STR(g.scope, "tiny-llama");
	NC_CHECK_EQ(shell_parse_grant("fs.read=/etc/../..", &g), SHELL_ERR_GRANT);
	NC_CHECK_EQ(shell_parse_grant("fs.read", &g), SHELL_ERR_GRANT);
	NC_CHECK_EQ(shell_parse_grant("=/etc", &g), SHELL_ERR_GRANT);
	NC_CHECK_EQ(shell_parse_grant("fs.read=", &g), SHELL_ERR_GRANT);
	NC_CHECK_EQ(shell_parse_grant("FS READ=/etc", &g), SHELL_ERR_GRANT);
}

NC_TEST(shell, runs_core_commands)
{
	setup();
	NC_CHECK_EQ(type("echo hello   'big world'\r"), SHELL_OK);
	NC_CHECK(nc_test_screen_has("hello big world\r\n"));
	NC_CHECK_EQ(sh.last_status, SHELL_OK);
	nc_test_screen_clear();
	type("version\r");
	NC_CHECK(nc_test_screen_has("NexaCore 0.1.0, system-call ABI v"));
	nc_test_screen_clear();
	type("help\r");
	NC_CHECK(nc_test_screen_has("echo [WORD]..."));
	NC_CHECK(nc_test_screen_has("leave the shell"));
}

NC_TEST(shell, errors_are_reported_not_fatal)
{
	setup();
	type("frobnicate now\r");
	NC_CHECK(nc_test_screen_has("frobnicate: command not found"));
	NC_CHECK_EQ(sh.last_status, SHELL_ERR_NOT_FOUND);
	type("echo 'oops\r");
	NC_CHECK(nc_test_screen_has("unterminated quote"));
	type("clear extra\r");
	NC_CHECK(nc_test_screen_has("usage: clear"));
	NC_CHECK_EQ(sh.last_status, SHELL_ERR_USAGE);
	nc_test_screen_clear();
	type("echo still alive\r");
	NC_CHECK(nc_test_screen_has("still alive"));
}

NC_TEST(shell, history_and_exit)
{
	setup();
	type("echo one\r");
	type("echo two\r");
	nc_test_screen_clear();
	type("history\r");
	NC_CHECK(nc_test_screen_has("   1  echo one\r\n   2  echo two\r\n   3  history"));
	NC_CHECK_EQ(type("exit\r"), SHELL_EXIT);
	setup();
	NC_CHECK_EQ(type("\x04"), SHELL_EXIT);
}

NC_TEST(shell, ctrl_c_abandons_line_and_tab_completes)
{
	setup();
	nc_test_screen_clear();
	type("echo never\x03");
	NC_CHECK(!nc_test_screen_has("never\r\n"));
	type("ver\t\r");
	NC_CHECK(nc_test_screen_has("NexaCore 0.1.0"));
	nc_test_screen_clear();
	type("e\t");
	NC_CHECK(nc_test_screen_has("echo  exit"));
	type("\x03");
	nc_test_screen_clear();
	type("echo ver\t");
	NC_CHECK(!nc_test_screen_has("version")); /* only the first word completes */
}

static char mode_lines[4][32];
static int n_mode_lines, mode_ends;

static void record_line(shell_t *s, const char *line)
{
	if (!line) {
		mode_ends++;
		return;
	}
	nc_mem_copy(mode_lines[n_mode_lines++ % 4], line, nc_str_len(line) + 1);
	shell_set_prompt(s, "more> ");
}

static shell_err_t cmd_enter(shell_t *s, int argc, char **argv)
{
	shell_enter_mode(s, record_line, "mode> ");
	return SHELL_OK;
}

NC_TEST(shell, modes_take_lines_until_ctrl_d)
{
	static const shell_cmd_t cmds[] = { { "enter", "enter", "enter a mode", cmd_enter, false } };
	nc_test_screen_clear();
	n_mode_lines = mode_ends = 0;
	shell_init(&sh, cmds, 1, nc_test_screen_write, NULL, NULL);
	type("enter\r");
	NC_CHECK(nc_test_screen_has("mode> "));
	type("help\r"); /* not a command now: the mode gets it */
	NC_CHECK_EQ(n_mode_lines, 1);
	NC_CHECK_STR(mode_lines[0], "help");
	NC_CHECK(nc_test_screen_has("more> "));
	NC_CHECK_EQ(type("\x04"), SHELL_OK); /* Ctrl-D ends the mode, not the shell */
	NC_CHECK_EQ(mode_ends, 1);
	nc_test_screen_clear();
	type("nope\r");
	NC_CHECK(nc_test_screen_has("nope: command not found"));
	NC_CHECK_EQ(type("\x04"), SHELL_EXIT);
}

/* A mode that ends itself on an empty line (as `tee unseal` does). */
static void until_empty(shell_t *s, const char *line)
{
	if (line && !*line) {
		mode_ends++;
		shell_leave_mode(s);
	} else if (line)
		n_mode_lines++;
}

static shell_err_t cmd_enter_until_empty(shell_t *s, int argc, char **argv)
{
	shell_enter_mode(s, until_empty, "hex> ");
	return SHELL_OK;
}

NC_TEST(shell, mode_can_leave_itself)
{
	static const shell_cmd_t cmds[] = { { "enter", "enter", "enter a mode", cmd_enter_until_empty, false } };
	nc_test_screen_clear();
	n_mode_lines = mode_ends = 0;
	shell_init(&sh, cmds, 1, nc_test_screen_write, NULL, NULL);
	type("enter\rab\rcd\r\r");
	NC_CHECK_EQ(n_mode_lines, 2);
	NC_CHECK_EQ(mode_ends, 1);
	nc_test_screen_clear();
	type("nope\r"); /* a command again, at the shell's prompt */
	NC_CHECK(nc_test_screen_has("nope: command not found"));
	NC_CHECK(nc_test_screen_has("nexacore> "));
}

static void version_extra(shell_t *s) { shell_printf(s, "image measurement 00ff\n"); }

NC_TEST(shell, version_runs_the_platform_addition)
{
	setup();
	sh.after_version = version_extra;
	type("version\r");
	NC_CHECK(nc_test_screen_has("system-call ABI v"));
	NC_CHECK(nc_test_screen_has("image measurement 00ff\r\n"));
}

static int bg_calls, bg_argc, prompts;
static bool bg_seen;
static char bg_last[32];

static shell_err_t cmd_bg(shell_t *s, int argc, char **argv)
{
	bg_calls++;
	bg_argc = argc;
	bg_seen = s->background;
	nc_mem_copy(bg_last, argv[argc - 1], nc_str_len(argv[argc - 1]) + 1);
	return SHELL_OK;
}

static void count_prompt(shell_t *s)
{
	prompts++;
	shell_printf(s, "[hook]\n");
}

static const shell_cmd_t bg_cmds[] = {
	{ "bg", "bg [WORD]... [&]", "a command that may run in the background", cmd_bg, true },
	{ "fgonly", "fgonly", "a command that may not", cmd_bg, false },
};

static void setup_bg(void)
{
	nc_test_screen_clear();
	bg_calls = prompts = 0;
	shell_init(&sh, bg_cmds, 2, nc_test_screen_write, NULL, NULL);
	sh.before_prompt = count_prompt;
}

NC_TEST(shell_background, trailing_ampersand_is_taken_off)
{
	setup_bg();
	type("bg one &\r");
	NC_CHECK_EQ(bg_calls, 1);
	NC_CHECK(bg_seen);
	NC_CHECK_EQ(bg_argc, 2);
	NC_CHECK_STR(bg_last, "one");
	type("bg two&  \r"); /* attached, blanks after it */
	NC_CHECK(bg_seen);
	NC_CHECK_STR(bg_last, "two");
	type("bg 'x y'&\r");
	NC_CHECK(bg_seen);
	NC_CHECK_STR(bg_last, "x y");
	type("bg plain\r");
	NC_CHECK(!bg_seen);
	NC_CHECK(!sh.background); /* only set while the command runs */
}

NC_TEST(shell_background, quoted_or_escaped_ampersand_is_a_word)
{
	setup_bg();
	type("bg '&'\r");
	NC_CHECK(!bg_seen);
	NC_CHECK_STR(bg_last, "&");
	type("bg \"a &\"\r");
	NC_CHECK(!bg_seen);
	NC_CHECK_STR(bg_last, "a &");
	type("bg a\\&\r");
	NC_CHECK(!bg_seen);
	NC_CHECK_STR(bg_last, "a&");
	type("bg a\\\\&\r"); /* an escaped backslash, then a real & */
	NC_CHECK(bg_seen);
	NC_CHECK_STR(bg_last, "a\\");
	type("bg 'a\\'&\r"); /* a backslash is literal inside '...' */
	NC_CHECK(bg_seen);
	NC_CHECK_STR(bg_last, "a\\");
	NC_CHECK_EQ(bg_calls, 5);
}

NC_TEST(shell_background, refused_where_not_supported)
{
	setup_bg();
	type("fgonly &\r");
	NC_CHECK_EQ(bg_calls, 0);
	NC_CHECK(nc_test_screen_has("fgonly: cannot run in the background"));
	NC_CHECK_EQ(sh.last_status, SHELL_ERR_USAGE);
	type("  & \r");
	NC_CHECK_EQ(bg_calls, 0);
	NC_CHECK(nc_test_screen_has("'&' needs a command"));
	type("bg 'open &\r");
	NC_CHECK_EQ(bg_calls, 0);
	NC_CHECK(nc_test_screen_has("unterminated quote"));
}

NC_TEST(shell_background, hook_runs_before_every_prompt)
{
	setup_bg();
	type("bg\r");
	NC_CHECK_EQ(prompts, 1);
	type("\r");
	type("half\x03"); /* Ctrl-C abandons the line: a fresh prompt too */
	NC_CHECK_EQ(prompts, 3);
	NC_CHECK(nc_test_screen_has("[hook]\r\nnexacore> "));
}

/* Command lists: "ok W" and "no W" add W (and "&" when in the background) to
 * the log; "no" fails. */
static char list_log[128];

static shell_err_t log_word(shell_t *s, int argc, char **argv, shell_err_t result)
{
	size_t n = nc_str_len(list_log);
	nc_fmt_format(list_log + n, sizeof list_log - n, "%s%s ", argc > 1 ? argv[1] : "-", s->background ? "&" : "");
	return result;
}

static shell_err_t cmd_ok(shell_t *s, int argc, char **argv) { return log_word(s, argc, argv, SHELL_OK); }
static shell_err_t cmd_no(shell_t *s, int argc, char **argv) { return log_word(s, argc, argv, SHELL_ERR_SYSTEM); }

static const shell_cmd_t list_cmds[] = {
	{ "ok", "ok [W]", "succeeds", cmd_ok, true },
	{ "no", "no [W]", "fails", cmd_no, false },
};

/* The log of the commands line runs, and its status. */
static bool list_runs(const char *line, const char *log, shell_err_t status)
{
	list_log[0] = 0;
	nc_test_screen_clear();
	shell_init(&sh, list_cmds, 2, nc_test_screen_write, NULL, NULL);
	shell_err_t got = shell_execute(&sh, line);
	if (got == status && !nc_str_compare(list_log, log))
		return true;
	nc_test_failf("`%s`: ran \"%s\" (%s), want \"%s\" (%s)", line, list_log, shell_err_name(got), log,
		      shell_err_name(status));
	return false;
}

NC_TEST(shell_list, separators)
{
	NC_CHECK(list_runs("ok a; ok b;ok c", "a b c ", SHELL_OK));
	NC_CHECK(list_runs("no a; ok b", "a b ", SHELL_OK));
	NC_CHECK(list_runs("ok a; no b", "a b ", SHELL_ERR_SYSTEM));
	NC_CHECK(list_runs("ok a && ok b", "a b ", SHELL_OK));
	NC_CHECK(list_runs("no a && ok b", "a ", SHELL_ERR_SYSTEM));
	NC_CHECK(list_runs("no a || ok b", "a b ", SHELL_OK));
	NC_CHECK(list_runs("ok a || ok b", "a ", SHELL_OK));
	/* a skipped command keeps the last status: sh's left-to-right lists */
	NC_CHECK(list_runs("no a && ok b || ok c", "a c ", SHELL_OK));
	NC_CHECK(list_runs("ok a || ok b && ok c", "a c ", SHELL_OK));
	NC_CHECK(list_runs("no a && ok b && ok c; ok d", "a d ", SHELL_OK));
	/* `&`: in the background, then the next; a trailing one as before */
	NC_CHECK(list_runs("ok a & ok b", "a& b ", SHELL_OK));
	NC_CHECK(list_runs("ok a&ok b &", "a& b& ", SHELL_OK));
	NC_CHECK(list_runs("no a & ok b", "b ", SHELL_OK)); /* "no" refuses the background; the next runs */
	NC_CHECK(nc_test_screen_has("no: cannot run in the background"));
	NC_CHECK(list_runs("ok a;", "a ", SHELL_OK));
	NC_CHECK(list_runs("ok a ;  ", "a ", SHELL_OK));
	NC_CHECK(list_runs("", "", SHELL_OK));
}

NC_TEST(shell_list, quoted_separators_are_words)
{
	NC_CHECK(list_runs("ok 'a;b'", "a;b ", SHELL_OK));
	NC_CHECK(list_runs("ok \"a && b\"; ok c", "a && b c ", SHELL_OK));
	NC_CHECK(list_runs("ok a\\;b", "a;b ", SHELL_OK));
	NC_CHECK(list_runs("ok 'x||y' || ok z", "x||y ", SHELL_OK));
	NC_CHECK(list_runs("ok | ok", "| ", SHELL_OK)); /* no pipelines: a lone `|` is a word */
	NC_CHECK(list_runs("ok \"a\\\";\" ; ok b", "a\"; b ", SHELL_OK)); /* \" inside "..." */
}

/* A separator without its commands: nothing on the line runs. */
NC_TEST(shell_list, malformed_lists_run_nothing)
{
	static const char *const bad[] = { "; ok a", "ok a ;; ok b", "ok a && && ok b", "ok a &&", "ok a ||  ",
					   "&& ok a", "ok a & ; ok b", "|| ok a" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		NC_CHECK(list_runs(bad[i], "", SHELL_ERR_USAGE));
	NC_CHECK(list_runs("ok a && ok b", "a b ", SHELL_OK));
	NC_CHECK(nc_test_screen_has("") && !nc_test_screen_has("needs a command"));
	NC_CHECK(list_runs("ok a ||", "", SHELL_ERR_USAGE));
	NC_CHECK(nc_test_screen_has("shell: '||' needs a command after it"));
	NC_CHECK(list_runs("ok a; ;", "", SHELL_ERR_USAGE));
	NC_CHECK(nc_test_screen_has("shell: ';' needs a command before it"));
}

/* Output redirection through a fake platform: files are one in-memory buffer. */
static char file_buf[256], file_path[64];
static size_t file_len;
static bool file_append, file_open;
static int n_opens, n_closes;

static void file_put(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (file_len + n <= sizeof file_buf) {
		memcpy(file_buf + file_len, s, n);
		file_len += n;
	}
}

static shell_err_t fake_open(shell_t *s, const shell_cmd_t *cmd, const char *path, bool append,
			     nc_le_write_fn *write, void **ctx)
{
	(void)s;
	if (strcmp(path, "/denied") == 0)
		return SHELL_ERR_DENIED;
	snprintf(file_path, sizeof file_path, "%s", path);
	if (!append)
		file_len = 0;
	file_append = append;
	file_open = true;
	n_opens++;
	/* a program command gets the file itself (the platform passes it on) */
	*write = strcmp(cmd->name, "prog") == 0 ? NULL : file_put;
	*ctx = NULL;
	return SHELL_OK;
}

static void fake_close(shell_t *s, void *ctx)
{
	(void)s;
	(void)ctx;
	file_open = false;
	n_closes++;
}

static const shell_redirect_t fake_redirect = { fake_open, fake_close };

static int n_prog_runs;
static bool prog_saw_redirected, prog_saw_file_open;

static shell_err_t cmd_prog(shell_t *s, int argc, char **argv)
{
	(void)argv;
	n_prog_runs++;
	prog_saw_redirected = s->redirected;
	prog_saw_file_open = file_open;
	shell_printf(s, "prog: started with %d words\n", argc);
	return SHELL_OK;
}

static const shell_cmd_t redirect_cmds[] = {
	{ "echo", "echo [WORD]...", "core echo", NULL, false },
	{ "prog", "prog", "runs a program", cmd_prog, false },
};

NC_TEST(shell_redirect, built_in_output_goes_to_the_file)
{
	static shell_cmd_t cmds[2];
	memcpy(cmds, redirect_cmds, sizeof cmds);
	cmds[0].fn = shell_find(&(shell_t){ .cmds = shell_core_cmds, .n_cmds = shell_n_core_cmds }, "echo")->fn;
	nc_test_screen_clear();
	shell_init(&sh, cmds, 2, nc_test_screen_write, NULL, NULL);
	file_len = 0;
	n_opens = n_closes = 0;
	/* without a platform hook: refused */
	NC_CHECK_EQ(shell_execute(&sh, "echo a > /f"), SHELL_ERR_UNSUPPORTED);
	NC_CHECK_EQ(n_opens, 0);
	sh.redirect = &fake_redirect;
	NC_CHECK_EQ(shell_execute(&sh, "echo one two > /disk/f"), SHELL_OK);
	NC_CHECK(file_len == 8 && memcmp(file_buf, "one two\n", 8) == 0); /* "\n" untranslated */
	NC_CHECK_STR(file_path, "/disk/f");
	NC_CHECK(!file_append && !file_open && !sh.redirected);
	NC_CHECK_EQ(shell_execute(&sh, "echo three >>/disk/f"), SHELL_OK);
	NC_CHECK(file_append && file_len == 14 && memcmp(file_buf + 8, "three\n", 6) == 0);
	NC_CHECK_EQ(shell_execute(&sh, "echo 'x' >> '/disk/g h'"), SHELL_OK);
	NC_CHECK_STR(file_path, "/disk/g h");
	NC_CHECK(!nc_test_screen_has("one two") && !nc_test_screen_has("three"));
	/* misplaced or missing file names, programs, a refused open */
	NC_CHECK_EQ(shell_execute(&sh, "echo a > f b"), SHELL_ERR_USAGE);
	NC_CHECK_EQ(shell_execute(&sh, "echo a >"), SHELL_ERR_USAGE);
	NC_CHECK_EQ(shell_execute(&sh, "echo a >>>f"), SHELL_ERR_USAGE);
	NC_CHECK_EQ(shell_execute(&sh, "echo a > /denied"), SHELL_ERR_DENIED);
	NC_CHECK_EQ(n_opens, 3);
	NC_CHECK_EQ(n_closes, 3);
	/* a program gets the file; the shell's own messages about it stay on the terminal */
	size_t before = file_len;
	NC_CHECK_EQ(shell_execute(&sh, "prog x >> /disk/f"), SHELL_OK);
	NC_CHECK(n_prog_runs == 1 && prog_saw_file_open && !prog_saw_redirected);
	NC_CHECK(nc_test_screen_has("prog: started with 2 words\r\n"));
	NC_CHECK(file_append && file_len == before && !file_open);
	NC_CHECK_EQ(n_closes, 4);
	NC_CHECK_EQ(shell_execute(&sh, "prog > /denied"), SHELL_ERR_DENIED);
	NC_CHECK_EQ(n_prog_runs, 1); /* a refused file: the program never starts */
	nc_test_screen_clear();
	NC_CHECK_EQ(shell_execute(&sh, "echo back"), SHELL_OK);
	NC_CHECK(nc_test_screen_has("back\r\n"));
}
