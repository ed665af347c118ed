/* The shell on NexaCore: the system commands and what they share. The
 * shell holds only the handles init gave it (the console and capabilities);
 * children get the console and console.write, plus what --grant asks for,
 * each attenuated from a capability the shell holds (docs/shell.md). */
#ifndef USER_SHELL_NEXACORE_H
#define USER_SHELL_NEXACORE_H

#include "shell.h"
#include <nc/syscalls.h>

/* The shell's terminal (tty.c): the console handle, or a channel to a
 * terminal window (read and write) when the shell holds no console. */
typedef struct {
	uint64_t handle;
	bool channel;
	uint8_t pending[NC_SYS_IPC_MSG_MAX_BYTES]; /* a channel message not yet read */
	size_t len, off;
} shell_tty_t;

/* Find the terminal among the shell's handles. False: none. */
bool shell_tty_find(shell_tty_t *t);
/* Up to max bytes typed, waiting up to timeout_ns for the first. Errors:
 * those of FdRead or IpcReceive (PEER_CLOSED: the terminal is gone). */
nc_sys_err_t shell_tty_read(shell_tty_t *t, char *buf, size_t max, uint64_t timeout_ns, uint64_t *got);
/* Write output (all of it, or until the terminal refuses). */
void shell_tty_write(const shell_tty_t *t, const char *s, size_t n);
/* A write-only, transferable copy for a child's standard output. */
nc_sys_err_t shell_tty_output(const shell_tty_t *t, uint64_t *out);

typedef struct {
	shell_tty_t tty;
	uint64_t out_file; /* the file of the running command's `> FILE` when it starts a program (0: none) */
} shell_os_t;

/* Print "what: error name" for a failed system call and return SHELL_ERR_SYSTEM
 * (SHELL_ERR_DENIED for NC_SYS_ERR_DENIED). */
shell_err_t shell_os_fail(shell_t *sh, const char *what, nc_sys_err_t err);

/* Run PROG (an initrd path) with argument text, a standard output (a write-only
 * copy of the terminal, or of os->out_file when the line ends in `> FILE`), a
 * standard input and grants. In the foreground (sh->background false) wait
 * for it while reading the console: Ctrl-C kills it, Ctrl-Z stops it, other
 * keys go to its standard input (what it does not read goes to
 * sh->typeahead when it ends); report how it ended. In the background record
 * it as a job and return at once. */
shell_err_t shell_run_program(shell_t *sh, const char *prog, const char *arg,
			      const shell_grant_t *grants, int n_grants);

/* Standard input of the programs the shell runs (stdin.c). Keys typed for
 * the foreground program wait in one queue until its channel takes them. */
/* Make a channel for in; *child_h gets the program's end to pass at spawn
 * (RIGHT_READ and RIGHT_TRANSFER; the caller closes it after the spawn).
 * False: none could be made (the program starts without standard input). */
bool shell_stdin_open(shell_stdin_t *in, uint64_t *child_h);
/* A key for the foreground program (Ctrl-D: end of input). */
void shell_stdin_key(shell_stdin_t *in, uint8_t byte);
/* Send the queued keys the channel takes now; after Ctrl-D, once all are
 * sent, close the shell's end (the program reads the end of input). */
void shell_stdin_flush(shell_stdin_t *in);
/* The foreground program stopped (Ctrl-Z): keys not yet sent go to the
 * shell's type-ahead; what was sent stays for the program. */
void shell_stdin_detach(shell_t *sh);
/* The program ended: with take_back (it was in the foreground), what it did
 * not read, then the keys not yet sent, go to the type-ahead in order; both
 * handles are closed and in is zeroed. */
void shell_stdin_close(shell_t *sh, shell_stdin_t *in, bool take_back);

/* The program in the foreground: prog names it in the end report, text in
 * the job table if Ctrl-Z stops it. */
typedef struct {
	const char *prog, *text;
	uint64_t pid;
	shell_stdin_t in;
} shell_fg_t;

/* How often a foreground wait looks at the keyboard; the most keys one look
 * takes; the key that ends a foreground program or a wait. */
enum { SHELL_POLL_NS = 20 * 1000 * 1000, SHELL_KEYS_PER_POLL = 256, SHELL_KEY_CTRL_C = 3 };

/* Wait for the foreground program fg (run.c): Ctrl-C kills it, Ctrl-Z makes
 * it a stopped job, other keys go to its standard input; when it ends, what it
 * did not read goes to the type-ahead and how it ended is reported. */
shell_err_t shell_run_wait(shell_t *sh, shell_fg_t *fg);
/* What was typed since the last look, into buf[SHELL_KEYS_PER_POLL] (run.c):
 * the count (0 also when the console read fails). */
uint64_t shell_run_read_keys(shell_t *sh, char *buf);

/* The shell's background and stopped jobs: run.c adds them, job_cmds.c
 * lists, continues and reaps them. */
extern shell_jobs_t shell_job_table;

/* The child's copy of grant g, attenuated from a capability the shell holds
 * (grant_derive.c): *out is a new handle (TRANSFER and DUPLICATE rights).
 * SHELL_ERR_DENIED when the shell holds none that covers g, SHELL_ERR_SYSTEM
 * when CapAttenuate fails; both printed. */
shell_err_t shell_grant_derive(shell_t *sh, const shell_grant_t *g, uint64_t *out);

/* Whether pid is one of the shell's jobs that Ctrl-Z stopped (job_cmds.c): ps
 * shows it as stopped (ProcessList, frozen in ABI v1, has no such state). */
bool shell_run_is_stopped(uint64_t pid);

/* The shell's before-prompt hook (job_cmds.c): report background jobs that have
 * ended, and type-ahead that did not fit. */
void shell_run_before_prompt(shell_t *sh);

/* Leaving the shell: kill every background job still running, wait for each
 * (at most a second) and report it. */
void shell_run_end_jobs(shell_t *sh);

/* `ncs` with no file: the REPL mode (ncs_repl.c). */
shell_err_t shell_ncs_repl(shell_t *sh);

/* Make the file system holding path durable: FsSync on a handle of path (write_cmds.c). Errors:
 * those of FsStat, FsOpen and FsSync. */
nc_sys_err_t shell_fs_sync(const char *path);

/* `> FILE` and `>> FILE` for built-in commands and programs (redirect.c). */
extern const shell_redirect_t shell_redirect;

/* `version`'s NexaCore addition: the image measurement (tee_cmds.c). */
void shell_tee_version(shell_t *sh);

/* Command tables of sys_cmds.c, file_cmds.c, dev_cmds.c, write_cmds.c, net_cmds.c, run.c, job_cmds.c and tee_cmds.c. */
extern const shell_cmd_t shell_sys_cmds[];
extern const size_t shell_n_sys_cmds;
extern const shell_cmd_t shell_file_cmds[];
extern const size_t shell_n_file_cmds;
extern const shell_cmd_t shell_dev_cmds[];
extern const size_t shell_n_dev_cmds;
extern const shell_cmd_t shell_write_cmds[];
extern const size_t shell_n_write_cmds;
extern const shell_cmd_t shell_net_cmds[];
extern const size_t shell_n_net_cmds;
extern const shell_cmd_t shell_run_cmds[];
extern const size_t shell_n_run_cmds;
extern const shell_cmd_t shell_job_cmds[];
extern const size_t shell_n_job_cmds;
extern const shell_cmd_t shell_tee_cmds[];
extern const size_t shell_n_tee_cmds;

#endif
