/* lib/args: word splitting with quotes and escapes, as a POSIX shell's
 * quoting rules (single quotes literal, double quotes with \" and \\) give. */
#include "nc_test.h"
#include <nc/args.h>
#include <nc/mem.h>

static char buf[128];
static char *argv[8];
static int argc;

static nc_args_err_t split(const char *line, int max)
{
	return nc_args_split(line, nc_str_len(line), buf, sizeof buf, argv, max, &argc);
}

NC_TEST(args, words_quotes_escapes)
{
	NC_CHECK_EQ(split("  run  --grant 'fs.read=/a b'  \"x \\\"y\\\"\" a\\ b ", 7), NC_ARGS_OK);
	NC_CHECK_EQ(argc, 5);
	NC_CHECK_STR(argv[0], "run");
	NC_CHECK_STR(argv[1], "--grant");
	NC_CHECK_STR(argv[2], "fs.read=/a b");
	NC_CHECK_STR(argv[3], "x \"y\"");
	NC_CHECK_STR(argv[4], "a b");
	NC_CHECK(argv[5] == NULL);
	NC_CHECK_EQ(split("a'b'c \"\" 'x\\y' \"p\\q\"", 7), NC_ARGS_OK);
	NC_CHECK_EQ(argc, 4);
	NC_CHECK_STR(argv[0], "abc");
	NC_CHECK_STR(argv[1], "");
	NC_CHECK_STR(argv[2], "x\\y");
	NC_CHECK_STR(argv[3], "p\\q");
}

NC_TEST(args, empty_and_blank_lines)
{
	NC_CHECK_EQ(split("", 7), NC_ARGS_OK);
	NC_CHECK_EQ(argc, 0);
	NC_CHECK(argv[0] == NULL);
	NC_CHECK_EQ(split(" \t  ", 7), NC_ARGS_OK);
	NC_CHECK_EQ(argc, 0);
}

NC_TEST(args, length_bound_respected)
{
	NC_CHECK_EQ(nc_args_split("one two", 3, buf, sizeof buf, argv, 7, &argc), NC_ARGS_OK);
	NC_CHECK_EQ(argc, 1);
	NC_CHECK_STR(argv[0], "one");
	NC_CHECK_EQ(nc_args_split("ab\\", 3, buf, sizeof buf, argv, 7, &argc), NC_ARGS_OK);
	NC_CHECK_STR(argv[0], "ab\\"); /* a trailing backslash stays itself */
}

NC_TEST(args, errors)
{
	char small[8];
	NC_CHECK_EQ(split("echo 'open", 3), NC_ARGS_ERR_QUOTE);
	NC_CHECK_EQ(split("echo \"open\\\"", 3), NC_ARGS_ERR_QUOTE);
	NC_CHECK_EQ(split("a b c d", 3), NC_ARGS_ERR_TOO_MANY);
	NC_CHECK_EQ(nc_args_split("abcdefgh", 8, small, sizeof small, argv, 3, &argc), NC_ARGS_ERR_NO_ROOM);
	NC_CHECK_STR(nc_args_err_name(NC_ARGS_ERR_QUOTE), "unterminated quote");
}
