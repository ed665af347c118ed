/* The NexaCore terminal shell: the part that is the same on every platform.
 * It owns the line editor, splits lines into words (lib/args), parses --grant options,
 * and dispatches to a table of commands. The commands that touch the system
 * (ps, kill, run, ...) live in their own files and reach the kernel only
 * through the runtime; the shell core itself performs no I/O but through the
 * write function it is given, so it is unit-tested on the host.
 * One shell_t per terminal; not thread-safe. */
#ifndef USER_SHELL_H
#define USER_SHELL_H

#include <nc/lineedit.h>
#include <stddef.h>
#include <stdint.h>

enum { SHELL_MAX_ARGS = 32, SHELL_MAX_GRANTS = 8, SHELL_ACTION_MAX = 32, SHELL_SCOPE_MAX = 160 };

typedef enum {
	SHELL_OK = 0,
	SHELL_EXIT,                /* the user asked to leave (Ctrl-D, exit) */
	SHELL_ERR_USAGE,           /* wrong arguments to a command */
	SHELL_ERR_NOT_FOUND,       /* no such command, program or file */
	SHELL_ERR_WORDS,           /* the line does not split into words (lib/args error) */
	SHELL_ERR_GRANT,           /* a --grant that does not parse */
	SHELL_ERR_DENIED,          /* the shell holds no capability for that */
	SHELL_ERR_SYSTEM,          /* the kernel refused; the command printed why */
	SHELL_ERR_UNSUPPORTED,     /* the service behind the command is not built yet */
} shell_err_t;

typedef struct shell shell_t;
typedef shell_err_t (*shell_cmd_fn)(shell_t *sh, int argc, char **argv);
/* A mode's line handler (e.g. the ncScript REPL): line is NULL at Ctrl-D,
 * after which the shell leaves the mode. */
typedef void (*shell_line_fn)(shell_t *sh, const char *line);

typedef struct {
	const char *name;
	const char *usage;         /* "kill PID" */
	const char *help;          /* one line */
	shell_cmd_fn fn;
} shell_cmd_t;

/* One capability to hand to a child: action (e.g. "fs.read") on scope. */
typedef struct {
	char action[SHELL_ACTION_MAX];
	char scope[SHELL_SCOPE_MAX];
} shell_grant_t;

struct shell {
	nc_le_t le;
	const shell_cmd_t *cmds;
	size_t n_cmds;
	nc_le_write_fn write;
	void *write_ctx;
	void *user;                /* the platform's own state, for its commands */
	shell_err_t last_status;
	shell_line_fn mode;         /* NULL: lines are commands */
	char words[NC_LE_LINE_MAX];  /* split words of the current line */
	char *argv[SHELL_MAX_ARGS + 1];
};

/* Set up the shell over cmds[0..n_cmds) (borrowed for the shell's lifetime) and
 * draw the first prompt. */
void shell_init(shell_t *sh, const shell_cmd_t *cmds, size_t n_cmds, nc_le_write_fn write,
		void *write_ctx, void *user);
/* Feed one input byte. Returns SHELL_EXIT once the user leaves; otherwise
 * SHELL_OK (errors of commands are printed, and kept in sh->last_status). */
shell_err_t shell_feed(shell_t *sh, uint8_t byte);
/* Send the following lines to fn with prompt shown, until Ctrl-D. */
void shell_enter_mode(shell_t *sh, shell_line_fn fn, const char *prompt);
/* Change the prompt for the next line (a mode's continuation lines). */
void shell_set_prompt(shell_t *sh, const char *prompt);
/* Run one command line now (as if typed). Returns the command's status. */
shell_err_t shell_execute(shell_t *sh, const char *line);
/* printf subset (nc/fmt.h) to the shell's terminal; "\n" becomes "\r\n". */
void shell_printf(shell_t *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse "ACTION=SCOPE" (as in `run --grant fs.read=/etc PROG`): the action must
 * be a well-formed capability action (lib/cap), the scope well-formed (lib/scope);
 * path scopes are stored normalised. Errors: SHELL_ERR_GRANT. */
shell_err_t shell_parse_grant(const char *text, shell_grant_t *out);

/* The command called name, or NULL. */
const shell_cmd_t *shell_find(const shell_t *sh, const char *name);
const char *shell_err_name(shell_err_t err);

/* Commands every platform has: help, echo, clear, history, version, exit. */
extern const shell_cmd_t shell_core_cmds[];
extern const size_t shell_n_core_cmds;

#endif
