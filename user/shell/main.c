/* Entry of the NexaCore shell: find its terminal (the console, or a terminal
 * window's channel: tty.c), build the command table, and feed the typed bytes
 * to the shell core until the user leaves.
 * Every byte read from the console passes through the type-ahead queue, which
 * also holds what was typed while a foreground program ran (run.c), so input
 * reaches the shell in the order it was typed. */
#include "nexacore.h"
#include <nc/mem.h>
#include <nc/ulib.h>

enum { MAX_CMDS = 48 };

static shell_cmd_t cmds[MAX_CMDS];
static shell_t sh;
static shell_os_t os;

static void console_write(void *ctx, const char *s, size_t n)
{
	const shell_os_t *o = ctx;
	shell_tty_write(&o->tty, s, n);
}

static size_t add(size_t k, const shell_cmd_t *t, size_t n)
{
	for (size_t i = 0; i < n && k < MAX_CMDS; i++)
		cmds[k++] = t[i];
	return k;
}

int main(const char *arg, size_t arg_len)
{
	if (!shell_tty_find(&os.tty)) {
		nc_print("shell: no console handle and no terminal channel; nothing to talk to\n");
		return 1;
	}
	size_t n = add(0, shell_core_cmds, shell_n_core_cmds);
	n = add(n, shell_sys_cmds, shell_n_sys_cmds);
	n = add(n, shell_file_cmds, shell_n_file_cmds);
	n = add(n, shell_dev_cmds, shell_n_dev_cmds);
	n = add(n, shell_write_cmds, shell_n_write_cmds);
	n = add(n, shell_net_cmds, shell_n_net_cmds);
	n = add(n, shell_run_cmds, shell_n_run_cmds);
	n = add(n, shell_job_cmds, shell_n_job_cmds);
	n = add(n, shell_tee_cmds, shell_n_tee_cmds);
	static const char banner[] = "\r\nNexaCore shell. Type 'help' for commands, Ctrl-D to leave.\r\n";
	console_write(&os, banner, sizeof banner - 1);
	shell_init(&sh, cmds, n, console_write, &os, &os);
	sh.before_prompt = shell_run_before_prompt;
	sh.after_version = shell_tee_version;
	sh.redirect = &shell_redirect;
	for (;;) {
		uint8_t byte;
		if (shell_typeahead_pop(&sh.typeahead, &byte)) {
			if (shell_feed(&sh, byte) == SHELL_EXIT) {
				shell_run_end_jobs(&sh);
				return 0;
			}
			continue;
		}
		char buf[64];
		uint64_t got;
		nc_sys_err_t err = shell_tty_read(&os.tty, buf, sizeof buf, NC_SYS_TIMEOUT_INFINITE, &got);
		if (err == NC_SYS_ERR_PEER_CLOSED) { /* the terminal window closed */
			shell_run_end_jobs(&sh);
			return 0;
		}
		if (err) {
			nc_print("shell: console read failed: %s\n", nc_sys_err_name(err));
			return 1;
		}
		for (uint64_t i = 0; i < got; i++)
			shell_typeahead_push(&sh.typeahead, (uint8_t)buf[i]);
	}
}
