/* Output redirection on NexaCore (shell.h's shell_redirect_t): `> FILE` opens FILE with
 * OPEN_WRITE | OPEN_CREATE | OPEN_TRUNCATE, `>> FILE` with OPEN_APPEND, so the shell needs
 * fs.write on FILE (the kernel checks it). A built-in's output is written there by the shell;
 * a write that fails ends the output there and is reported once the command is done. A
 * program (`run`, `ncs FILE`) gets a write-only copy of the file's handle as its standard
 * output (run.c, user/lib/print.c) and writes it itself; the shell's own messages about it
 * stay on the terminal. */
#include "nexacore.h"
#include <nc/mem.h>
#include <nc/ulib.h>

typedef struct {
	uint64_t h;
	nc_sys_err_t err;           /* the first failed write */
	const char *path;
} out_file_t;

static out_file_t out;

static void file_write(void *ctx, const char *s, size_t n)
{
	out_file_t *f = ctx;
	if (!f->err)
		f->err = nc_write_all(f->h, NC_SYS_HANDLE_FILE, s, n);
}

/* Whether cmd starts a program (run.c's commands). */
static bool runs_program(const shell_cmd_t *cmd)
{
	for (size_t i = 0; i < shell_n_run_cmds; i++)
		if (cmd->fn == shell_run_cmds[i].fn)
			return true;
	return false;
}

static shell_err_t open_out(shell_t *sh, const shell_cmd_t *cmd, const char *path, bool append,
			    nc_le_write_fn *write, void **ctx)
{
	uint64_t flags = NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | (append ? NC_SYS_OPEN_APPEND : NC_SYS_OPEN_TRUNCATE);
	nc_sys_err_t err = nc_sys_fs_open(path, nc_str_len(path), flags, &out.h);
	if (err)
		return shell_os_fail(sh, path, err);
	out.err = NC_SYS_OK;
	out.path = path;
	*ctx = &out;
	if (runs_program(cmd)) {
		((shell_os_t *)sh->user)->out_file = out.h;
		*write = NULL;
	} else {
		*write = file_write;
	}
	return SHELL_OK;
}

static void close_out(shell_t *sh, void *ctx)
{
	out_file_t *f = ctx;
	((shell_os_t *)sh->user)->out_file = 0;
	nc_sys_handle_close(f->h);
	if (f->err)
		shell_os_fail(sh, f->path, f->err);
}

const shell_redirect_t shell_redirect = { open_out, close_out };
