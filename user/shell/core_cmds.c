/* Commands that need nothing from the system: help, echo, clear, history,
 * version, exit. */
#include "shell.h"
#include <nc/abi.h>
#include <nc/mem.h>
#include <nc/version.h>

static shell_err_t cmd_help(shell_t *sh, int argc, char **argv)
{
	if (argc > 2)
		return SHELL_ERR_USAGE;
	for (size_t i = 0; i < sh->n_cmds; i++) {
		const shell_cmd_t *c = &sh->cmds[i];
		if (argc == 1 || nc_str_compare(argv[1], c->name) == 0)
			shell_printf(sh, "  %-28s %s\n", c->usage, c->help);
	}
	if (argc == 2 && !shell_find(sh, argv[1])) {
		shell_printf(sh, "help: no command '%s'\n", argv[1]);
		return SHELL_ERR_NOT_FOUND;
	}
	return SHELL_OK;
}

static shell_err_t cmd_echo(shell_t *sh, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		shell_printf(sh, "%s%s", argv[i], i + 1 < argc ? " " : "");
	shell_printf(sh, "\n");
	return SHELL_OK;
}

static shell_err_t cmd_clear(shell_t *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_ERR_USAGE;
	shell_printf(sh, "\x1b[2J\x1b[H");
	return SHELL_OK;
}

static shell_err_t cmd_history(shell_t *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_ERR_USAGE;
	size_t n = 0;
	while (nc_le_history(&sh->le, n + 1))
		n++;
	for (size_t k = n; k >= 1; k--)
		shell_printf(sh, "%4zu  %s\n", n - k + 1, nc_le_history(&sh->le, k));
	return SHELL_OK;
}

static shell_err_t cmd_version(shell_t *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_ERR_USAGE;
	shell_printf(sh, "NexaCore %s, system-call ABI v%u\n", NC_OS_VERSION, NC_ABI_VERSION);
	if (sh->after_version)
		sh->after_version(sh);
	return SHELL_OK;
}

static shell_err_t cmd_exit(shell_t *sh, int argc, char **argv)
{
	return argc == 1 ? SHELL_EXIT : SHELL_ERR_USAGE;
}

const shell_cmd_t shell_core_cmds[] = {
	{ "help", "help [COMMAND]", "list commands, or describe one", cmd_help, false },
	{ "echo", "echo [WORD]...", "print the words", cmd_echo, false },
	{ "clear", "clear", "clear the screen", cmd_clear, false },
	{ "history", "history", "list the lines typed so far", cmd_history, false },
	{ "version", "version", "OS and ABI version (and, on NexaCore, the image measurement)", cmd_version, false },
	{ "exit", "exit", "leave the shell", cmd_exit, false },
};
const size_t shell_n_core_cmds = sizeof shell_core_cmds / sizeof shell_core_cmds[0];
