/* Standard input of the programs the shell runs (see nexacore.h): a channel
 * per program. The shell reads every key itself (Ctrl-C and Ctrl-Z are its
 * own) and forwards the others to the foreground program; keys the channel
 * cannot take yet (sixteen unread messages) wait in a queue. When the
 * program ends, what it never read goes back to the shell's type-ahead, so
 * a line typed during a program that reads nothing still runs at the next
 * prompt. */
#include "nexacore.h"

enum { KEY_CTRL_D = 4 };

static shell_typeahead_t pending; /* keys for the foreground program, not yet sent */
static size_t before_eof;         /* after Ctrl-D: how many of them still go before the end */

bool shell_stdin_open(shell_stdin_t *in, uint64_t *child_h)
{
	uint64_t e[2];
	*in = (shell_stdin_t){ 0, 0, false };
	if (nc_sys_ipc_create_channel(e))
		return false;
	if (nc_sys_handle_duplicate(e[1], NC_SYS_RIGHT_READ | NC_SYS_RIGHT_TRANSFER, child_h)) {
		nc_sys_handle_close(e[0]);
		nc_sys_handle_close(e[1]);
		return false;
	}
	in->end = e[0];
	in->peer = e[1];
	return true;
}

void shell_stdin_key(shell_stdin_t *in, uint8_t byte)
{
	if (byte == KEY_CTRL_D && in->end && !in->eof) {
		in->eof = true;
		before_eof = pending.count;
		return;
	}
	shell_typeahead_push(&pending, byte); /* after the end: kept for the prompt */
}

void shell_stdin_flush(shell_stdin_t *in)
{
	uint8_t buf[NC_SYS_IPC_MSG_MAX_BYTES];
	for (;;) {
		size_t max = in->eof && before_eof < sizeof buf ? before_eof : sizeof buf;
		size_t n = in->end ? shell_typeahead_peek(&pending, buf, max) : 0;
		if (!n || nc_sys_ipc_send(in->end, buf, n, NULL, 0, 0) != NC_SYS_OK)
			break;
		shell_typeahead_discard(&pending, n);
		before_eof -= in->eof ? n : 0;
	}
	if (in->end && in->eof && !before_eof) {
		nc_sys_handle_close(in->end);
		in->end = 0;
	}
}

/* Move every queued key to the type-ahead. */
static void pending_to_typeahead(shell_t *sh)
{
	uint8_t b;
	while (shell_typeahead_pop(&pending, &b))
		shell_typeahead_push(&sh->typeahead, b);
	sh->typeahead.n_dropped += pending.n_dropped;
	pending.n_dropped = 0;
}

void shell_stdin_detach(shell_t *sh)
{
	pending_to_typeahead(sh);
	before_eof = 0; /* an end of input still due is sent at the next flush */
}

void shell_stdin_close(shell_t *sh, shell_stdin_t *in, bool take_back)
{
	uint8_t buf[NC_SYS_IPC_MSG_MAX_BYTES];
	uint64_t sizes;
	while (take_back && in->peer &&
	       nc_sys_ipc_receive(in->peer, buf, sizeof buf, NULL, 0, 0, &sizes) == NC_SYS_OK)
		for (uint64_t i = 0; i < (sizes & 0xffffffffu); i++)
			shell_typeahead_push(&sh->typeahead, buf[i]);
	if (take_back) { /* the foreground program's: the queue was for it */
		pending_to_typeahead(sh);
		before_eof = 0;
	}
	if (in->end)
		nc_sys_handle_close(in->end);
	if (in->peer)
		nc_sys_handle_close(in->peer);
	*in = (shell_stdin_t){ 0, 0, false };
}
