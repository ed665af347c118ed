/* The NexaCore terminal shell: the part that is the same on every platform.
 * It owns the line editor, splits lines into words (lib/args), parses --grant options,
 * recognises a trailing `&` (run in the background), keeps the keys typed ahead
 * while a program runs (typeahead.c) and the table of background jobs (jobs.c),
 * and dispatches to a table of commands. The commands that touch the system
 * (ps, kill, run, ...) live in their own files and reach the kernel only
 * through the runtime; the shell core itself performs no I/O but through the
 * write function it is given, so it is unit-tested on the host.
 * One shell_t per terminal; not thread-safe. */
#ifndef USER_SHELL_H
#define USER_SHELL_H

#include <nc/lineedit.h>
#include <stdbool.h>
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
/* Called just before the shell draws a fresh prompt (the platform reports
 * ended background jobs there). */
typedef void (*shell_hook_fn)(shell_t *sh);

typedef struct {
	const char *name;
	const char *usage;         /* "kill PID" */
	const char *help;          /* one line */
	shell_cmd_fn fn;
	bool background;           /* accepts a trailing `&` (sh->background is then set) */
} shell_cmd_t;

/* Keys typed while a program runs in the foreground, kept in order for the
 * next prompt: a FIFO of bytes. Zeroed memory is an empty queue. */
enum { SHELL_TYPEAHEAD_BYTES = 1024 };
typedef struct {
	uint8_t bytes[SHELL_TYPEAHEAD_BYTES];
	size_t head, count;        /* oldest byte at bytes[head] */
	uint64_t n_dropped;        /* bytes refused because the queue was full */
} shell_typeahead_t;

/* Append byte; when the queue is full the byte is dropped and counted in n_dropped. */
void shell_typeahead_push(shell_typeahead_t *t, uint8_t byte);
/* Take the oldest byte into *out; false when the queue is empty. */
bool shell_typeahead_pop(shell_typeahead_t *t, uint8_t *out);
/* Copy up to max of the oldest bytes into out without taking them; returns
 * how many. */
size_t shell_typeahead_peek(const shell_typeahead_t *t, uint8_t *out, size_t max);
/* Take (and forget) the n oldest bytes, at most all of them. */
void shell_typeahead_discard(shell_typeahead_t *t, size_t n);

/* Jobs: processes started with `&`, or stopped with Ctrl-Z, that the shell
 * has not yet seen end. A job's number is its slot + 1 (the lowest free
 * number is reused). Zeroed memory is an empty table. */
enum { SHELL_MAX_JOBS = 8, SHELL_JOB_TEXT_MAX = 64, SHELL_STATUS_TEXT_MAX = 48 };
/* A program's standard input as the shell holds it (stdin.c, on NexaCore):
 * end sends to the program, peer is a copy of the program's own end, kept to
 * take back what the program did not read. 0: none. */
typedef struct {
	uint64_t end, peer;
	bool eof;                  /* Ctrl-D: end the input once the queued keys are sent */
} shell_stdin_t;
typedef struct {
	uint64_t pid;              /* 0: free slot */
	uint64_t seq;              /* start order: the highest is the newest job */
	bool stopped;              /* suspended (Ctrl-Z) until bg or fg resumes it */
	shell_stdin_t in;          /* its standard input, fed while it runs in the foreground */
	char text[SHELL_JOB_TEXT_MAX]; /* the program and its argument, for listings */
} shell_job_t;
typedef struct {
	shell_job_t slots[SHELL_MAX_JOBS];
	uint64_t next_seq;
} shell_jobs_t;

/* Record pid (non-zero) as a running job, text copied and cut to fit. Returns
 * the job number 1..SHELL_MAX_JOBS, or 0 when the table is full (nothing
 * recorded). */
int shell_jobs_add(shell_jobs_t *j, uint64_t pid, const char *text);
/* True when every slot is taken (shell_jobs_add would return 0). */
bool shell_jobs_full(const shell_jobs_t *j);
/* Job number n, or the newest job when n is 0; NULL when there is none. The
 * pointer stays valid until the job is removed. */
shell_job_t *shell_jobs_find(shell_jobs_t *j, int n);
/* The number of job (a pointer from shell_jobs_find). */
int shell_jobs_number(const shell_jobs_t *j, const shell_job_t *job);
/* Forget job n (no effect when there is none). */
void shell_jobs_remove(shell_jobs_t *j, int n);
/* Parse a job reference as `fg` takes it: "N" or "%N", N in 1..SHELL_MAX_JOBS. */
bool shell_jobs_parse(const char *text, int *n);
/* How a process ended, from its ProcessWait status (NC_SYS_EXIT_*), into
 * out[0..cap) (NUL-terminated, cut to fit): "exit status 3", "killed", or
 * "crashed: CPU exception 14". */
void shell_format_status(uint64_t status, char *out, size_t cap);

/* One capability to hand to a child: action (e.g. "fs.read") on scope. */
typedef struct {
	char action[SHELL_ACTION_MAX];
	char scope[SHELL_SCOPE_MAX];
} shell_grant_t;

/* Output redirection (`CMD ... > FILE` truncates or creates FILE, `>> FILE` appends): open
 * starts writing to path for cmd and gives the writer the command's output goes to (no "\r\n"
 * translation), or *write = NULL when cmd hands the file to the program it starts (the
 * platform keeps it for that; the shell's own messages stay on the terminal), printing why and
 * returning an error when it cannot; close ends it after the command. */
typedef struct {
	shell_err_t (*open)(shell_t *sh, const shell_cmd_t *cmd, const char *path, bool append,
			    nc_le_write_fn *write, void **ctx);
	void (*close)(shell_t *sh, void *ctx);
} shell_redirect_t;

struct shell {
	nc_le_t le;
	const shell_cmd_t *cmds;
	size_t n_cmds;
	nc_le_write_fn write;
	void *write_ctx;
	void *user;                /* the platform's own state, for its commands */
	shell_err_t last_status;
	shell_line_fn mode;         /* NULL: lines are commands */
	shell_hook_fn before_prompt; /* NULL or the platform's hook; set after shell_init */
	shell_hook_fn after_version; /* NULL or what the platform adds to `version` */
	bool background;            /* the running command was given a trailing `&` */
	const shell_redirect_t *redirect; /* NULL: `>` is refused (SHELL_ERR_UNSUPPORTED); set after shell_init */
	bool redirected;            /* the running command's output goes to a file */
	shell_typeahead_t typeahead; /* input to feed before reading the terminal again */
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
/* Leave the current mode from its line handler (the next line is a command
 * again, with the shell's prompt). */
void shell_leave_mode(shell_t *sh);
/* Change the prompt for the next line (a mode's continuation lines). */
void shell_set_prompt(shell_t *sh, const char *prompt);
/* Run one command line now (as if typed). The line is a list of commands
 * separated by unquoted, unescaped `;` (run the next), `&&` (run the next if
 * this one returned SHELL_OK), `||` (if it did not) and `&` (this one in the
 * background, then the next); a command skipped keeps the status of the last
 * one run, as sh's lists do. A separator without a command before it, or
 * `&&`/`||` without one after, fails with SHELL_ERR_USAGE before anything
 * runs. `&` asks for the background: a command
 * whose table entry accepts it runs with sh->background set; others fail with
 * SHELL_ERR_USAGE. A last word starting with `>` or `>>` (the file name in it
 * or in the next, final word) sends the command's output to that file through
 * sh->redirect, with sh->redirected set (unless the command hands the file to a
 * program it starts). Returns the status of the last command run. */
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
